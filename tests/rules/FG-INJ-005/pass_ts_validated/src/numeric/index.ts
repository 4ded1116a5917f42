import type { APIGatewayProxyEvent } from "aws-lambda";
import { createReadStream } from "fs";

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = Number(event.queryStringParameters?.count);
  const stream = createReadStream(`/tmp/${value}`);
  return { statusCode: 200 };
};
