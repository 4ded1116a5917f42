import type { APIGatewayProxyEvent } from "aws-lambda";
import libxmljs from "libxmljs2";
const NAME = /^[a-z0-9]{1,16}$/;

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = event.queryStringParameters?.name ?? "";
  if (!NAME.test(value)) throw new Error("bad name");
  const doc = libxmljs.parseXmlString(value, { noent: true, nonet: false });
  return { statusCode: 200 };
};
