import type { APIGatewayProxyEvent } from "aws-lambda";
import libxmljs from "libxmljs2";
const FORMATS = new Set(["png", "jpg", "webp"]);

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = event.queryStringParameters?.format ?? "";
  if (!FORMATS.has(value)) return { statusCode: 400 };
  const doc = libxmljs.parseXmlString(value, { noent: true, nonet: false });
  return { statusCode: 200 };
};
