import type { APIGatewayProxyEvent, Context, Handler } from "aws-lambda";
import * as vm from "vm";

export const handler = async (event: APIGatewayProxyEvent): Promise<unknown> => {
  const value = event.queryStringParameters?.q ?? "";
  const result = vm.runInNewContext(value, {});
  return { statusCode: 200 };
};
