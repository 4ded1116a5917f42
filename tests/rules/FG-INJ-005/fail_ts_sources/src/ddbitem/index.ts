import type { ScheduledEvent, Context, Handler } from "aws-lambda";
import { createReadStream } from "fs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler: Handler<ScheduledEvent> = async (event) => {
  const out = await table.send(new GetCommand({ TableName: "jobs", Key: { id: "job" } }));
  const value = String(out.Item?.q);
  const stream = createReadStream(`/tmp/${value}`);
  return { statusCode: 200 };
};
