import type { S3Event } from "aws-lambda";
import { DynamoDBClient, ExecuteStatementCommand } from "@aws-sdk/client-dynamodb";
const ddb = new DynamoDBClient({});

export const handler = async (event: S3Event) => {
  const value = event.Records[0].s3.bucket.name;
  await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE id = '${value}'` }));
  return { statusCode: 200 };
};
