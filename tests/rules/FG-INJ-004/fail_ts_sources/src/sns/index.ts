import type { SNSEvent, Context, Handler } from "aws-lambda";
import { DynamoDBClient, ExecuteStatementCommand } from "@aws-sdk/client-dynamodb";
const ddb = new DynamoDBClient({});

export async function handler(event: SNSEvent, _context: Context): Promise<unknown> {
  const { Message: value } = event.Records[0].Sns;
  await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE id = '${value}'` }));
  return { statusCode: 200 };
}
