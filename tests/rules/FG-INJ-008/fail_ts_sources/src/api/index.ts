import type { APIGatewayProxyEvent, Context, Handler } from "aws-lambda";
import libxmljs from "libxmljs2";

export const handler = async (event: APIGatewayProxyEvent): Promise<unknown> => {
  const value = event.queryStringParameters?.q ?? "";
  const doc = libxmljs.parseXmlString(value, { noent: true, nonet: false });
  return { statusCode: 200 };
};
