import type { APIGatewayProxyEvent } from "aws-lambda";
import * as vm from "vm";
const FORMATS = new Set(["png", "jpg", "webp"]);

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = event.queryStringParameters?.format ?? "";
  if (!FORMATS.has(value)) return { statusCode: 400 };
  const result = vm.runInNewContext(value, {});
  return { statusCode: 200 };
};
