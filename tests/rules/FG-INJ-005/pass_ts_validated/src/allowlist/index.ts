import type { APIGatewayProxyEvent } from "aws-lambda";
import { createReadStream } from "fs";
const FORMATS = new Set(["png", "jpg", "webp"]);

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = event.queryStringParameters?.format ?? "";
  if (!FORMATS.has(value)) return { statusCode: 400 };
  const stream = createReadStream(`/tmp/${value}`);
  return { statusCode: 200 };
};
