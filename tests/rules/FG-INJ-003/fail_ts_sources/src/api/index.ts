import type { APIGatewayProxyEvent, Context, Handler } from "aws-lambda";
import serialize from "node-serialize";

export const handler = async (event: APIGatewayProxyEvent): Promise<unknown> => {
  const value = event.queryStringParameters?.q ?? "";
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
