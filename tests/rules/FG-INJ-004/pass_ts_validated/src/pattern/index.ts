import type { APIGatewayProxyEvent } from "aws-lambda";
import { DynamoDBClient, ExecuteStatementCommand } from "@aws-sdk/client-dynamodb";
const ddb = new DynamoDBClient({});
const NAME = /^[a-z0-9]{1,16}$/;

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = event.queryStringParameters?.name ?? "";
  if (!NAME.test(value)) throw new Error("bad name");
  await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE id = '${value}'` }));
  return { statusCode: 200 };
};
