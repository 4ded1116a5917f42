import type { KinesisStreamEvent, Context, Handler } from "aws-lambda";
import { DynamoDBClient, ExecuteStatementCommand } from "@aws-sdk/client-dynamodb";
const ddb = new DynamoDBClient({});

export const handler: Handler<KinesisStreamEvent> = async (event) => {
  const value = Buffer.from(event.Records[0].kinesis.data, "base64").toString("utf8");
  await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE id = '${value}'` }));
  return { statusCode: 200 };
};
