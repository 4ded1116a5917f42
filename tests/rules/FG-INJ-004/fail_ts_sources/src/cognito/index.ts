import type { PreSignUpTriggerEvent, Context, Handler } from "aws-lambda";
import { DynamoDBClient, ExecuteStatementCommand } from "@aws-sdk/client-dynamodb";
const ddb = new DynamoDBClient({});

export async function handler(event: PreSignUpTriggerEvent, _context: Context): Promise<unknown> {
  const value = event.request.userAttributes["custom:q"];
  await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE id = '${value}'` }));
  return { statusCode: 200 };
}
