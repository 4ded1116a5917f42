import type { APIGatewayProxyEvent } from "aws-lambda";
import libxmljs from "libxmljs2";

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = Number(event.queryStringParameters?.count);
  const doc = libxmljs.parseXmlString(value, { noent: true, nonet: false });
  return { statusCode: 200 };
};
