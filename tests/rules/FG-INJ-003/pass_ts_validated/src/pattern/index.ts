import type { APIGatewayProxyEvent } from "aws-lambda";
import serialize from "node-serialize";
const NAME = /^[a-z0-9]{1,16}$/;

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = event.queryStringParameters?.name ?? "";
  if (!NAME.test(value)) throw new Error("bad name");
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
