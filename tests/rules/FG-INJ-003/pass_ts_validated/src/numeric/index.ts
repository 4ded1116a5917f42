import type { APIGatewayProxyEvent } from "aws-lambda";
import serialize from "node-serialize";

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = Number(event.queryStringParameters?.count);
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
