import type { APIGatewayProxyEvent } from "aws-lambda";
import serialize from "node-serialize";
const FORMATS = new Set(["png", "jpg", "webp"]);

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = event.queryStringParameters?.format ?? "";
  if (!FORMATS.has(value)) return { statusCode: 400 };
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
