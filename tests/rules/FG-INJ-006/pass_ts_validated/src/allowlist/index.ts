import type { APIGatewayProxyEvent } from "aws-lambda";
const FORMATS = new Set(["png", "jpg", "webp"]);

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = event.queryStringParameters?.format ?? "";
  if (!FORMATS.has(value)) return { statusCode: 400 };
  await fetch(value);
  return { statusCode: 200 };
};
