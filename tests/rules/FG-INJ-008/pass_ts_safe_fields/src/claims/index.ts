import type { APIGatewayProxyEvent } from "aws-lambda";
import libxmljs from "libxmljs2";

export const handler = async (event: APIGatewayProxyEvent) => {
  const sub = String(event.requestContext.authorizer?.claims.sub);
  const value = `${sub} ${event.httpMethod} ${event.headers.Host}`;
  const doc = libxmljs.parseXmlString(value, { noent: true, nonet: false });
  return { statusCode: 200 };
};
