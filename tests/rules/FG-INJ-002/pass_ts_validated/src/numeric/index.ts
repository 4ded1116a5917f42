import type { APIGatewayProxyEvent } from "aws-lambda";
import * as vm from "vm";

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = Number(event.queryStringParameters?.count);
  const result = vm.runInNewContext(value, {});
  return { statusCode: 200 };
};
