import type { APIGatewayProxyEvent, Context, Handler } from "aws-lambda";
import { createReadStream } from "fs";

export const handler = async (event: APIGatewayProxyEvent): Promise<unknown> => {
  const value = event.queryStringParameters?.q ?? "";
  const stream = createReadStream(`/tmp/${value}`);
  return { statusCode: 200 };
};
