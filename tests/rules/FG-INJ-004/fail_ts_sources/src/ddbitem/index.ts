import type { ScheduledEvent, Context, Handler } from "aws-lambda";
import { DynamoDBClient, ExecuteStatementCommand } from "@aws-sdk/client-dynamodb";
const ddb = new DynamoDBClient({});
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler: Handler<ScheduledEvent> = async (event) => {
  const out = await table.send(new GetCommand({ TableName: "jobs", Key: { id: "job" } }));
  const value = String(out.Item?.q);
  await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE id = '${value}'` }));
  return { statusCode: 200 };
};
