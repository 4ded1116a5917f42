import type { SQSEvent, Context, Handler } from "aws-lambda";
import { DynamoDBClient, ExecuteStatementCommand } from "@aws-sdk/client-dynamodb";
const ddb = new DynamoDBClient({});

export const handler = async (event: SQSEvent): Promise<unknown> => {
  for (const record of event.Records) {
    const value = record.body;
    await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE id = '${value}'` }));
  }
  return { statusCode: 200 };
};
