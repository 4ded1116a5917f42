import type { APIGatewayProxyEvent } from "aws-lambda";

export const handler = async (event: APIGatewayProxyEvent) => {
  const sub = String(event.requestContext.authorizer?.claims.sub);
  const value = `${sub} ${event.httpMethod} ${event.headers.Host}`;
  return { statusCode: 200, headers: { "Content-Type": "text/html" }, body: `<p>${value}</p>` };
};
