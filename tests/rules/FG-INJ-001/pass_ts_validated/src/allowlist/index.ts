import type { APIGatewayProxyEvent } from "aws-lambda";
import { execSync } from "node:child_process";
const FORMATS = new Set(["png", "jpg", "webp"]);

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = event.queryStringParameters?.format ?? "";
  if (!FORMATS.has(value)) return { statusCode: 400 };
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
