import type { EventBridgeEvent, Context, Handler } from "aws-lambda";
import { DynamoDBClient, ExecuteStatementCommand } from "@aws-sdk/client-dynamodb";
const ddb = new DynamoDBClient({});

export const handler = async (event: EventBridgeEvent<string, unknown>): Promise<unknown> => {
  const value = (event.detail as { q: string }).q;
  await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE id = '${value}'` }));
  return { statusCode: 200 };
};
