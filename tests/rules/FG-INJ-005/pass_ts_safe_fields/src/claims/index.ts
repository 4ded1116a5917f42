import type { APIGatewayProxyEvent } from "aws-lambda";
import { createReadStream } from "fs";

export const handler = async (event: APIGatewayProxyEvent) => {
  const sub = String(event.requestContext.authorizer?.claims.sub);
  const value = `${sub} ${event.httpMethod} ${event.headers.Host}`;
  const stream = createReadStream(`/tmp/${value}`);
  return { statusCode: 200 };
};
