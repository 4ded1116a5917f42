import type { APIGatewayProxyEvent } from "aws-lambda";
import serialize from "node-serialize";

export const handler = async (event: APIGatewayProxyEvent) => {
  const sub = String(event.requestContext.authorizer?.claims.sub);
  const value = `${sub} ${event.httpMethod} ${event.headers.Host}`;
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
