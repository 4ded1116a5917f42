import type { APIGatewayProxyEvent } from "aws-lambda";
import * as vm from "vm";
const NAME = /^[a-z0-9]{1,16}$/;

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = event.queryStringParameters?.name ?? "";
  if (!NAME.test(value)) throw new Error("bad name");
  const result = vm.runInNewContext(value, {});
  return { statusCode: 200 };
};
