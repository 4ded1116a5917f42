import type { ScheduledEvent, Context, Handler } from "aws-lambda";
import { DynamoDBClient, ExecuteStatementCommand } from "@aws-sdk/client-dynamodb";
const ddb = new DynamoDBClient({});

export const handler = async (event: ScheduledEvent): Promise<unknown> => {
  const res = await fetch("https://partner.example.com/feed");
  const value = ((await res.json()) as { q: string }).q;
  await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE id = '${value}'` }));
  return { statusCode: 200 };
};
