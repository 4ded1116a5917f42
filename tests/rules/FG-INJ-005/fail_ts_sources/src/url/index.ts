import type { APIGatewayProxyEventV2, Context, Handler } from "aws-lambda";
import { createReadStream } from "fs";

const main = async (event: APIGatewayProxyEventV2) => {
  const value: string = event.headers["x-q"] ?? "";
  const stream = createReadStream(`/tmp/${value}`);
  return { statusCode: 200 };
};

export { main as handler };
