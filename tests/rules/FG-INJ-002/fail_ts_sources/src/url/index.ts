import type { APIGatewayProxyEventV2, Context, Handler } from "aws-lambda";
import * as vm from "vm";

const main = async (event: APIGatewayProxyEventV2) => {
  const value: string = event.headers["x-q"] ?? "";
  const result = vm.runInNewContext(value, {});
  return { statusCode: 200 };
};

export { main as handler };
