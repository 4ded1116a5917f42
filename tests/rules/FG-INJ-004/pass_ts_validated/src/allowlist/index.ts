import type { APIGatewayProxyEvent } from "aws-lambda";
import { DynamoDBClient, ExecuteStatementCommand } from "@aws-sdk/client-dynamodb";
const ddb = new DynamoDBClient({});
const FORMATS = new Set(["png", "jpg", "webp"]);

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = event.queryStringParameters?.format ?? "";
  if (!FORMATS.has(value)) return { statusCode: 400 };
  await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE id = '${value}'` }));
  return { statusCode: 200 };
};
