import type { APIGatewayProxyEventV2, Context, Handler } from "aws-lambda";
import { execSync } from "node:child_process";

const main = async (event: APIGatewayProxyEventV2) => {
  const value: string = event.headers["x-q"] ?? "";
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};

export { main as handler };
