import type { APIGatewayProxyEvent } from "aws-lambda";
import { execSync } from "node:child_process";
const NAME = /^[a-z0-9]{1,16}$/;

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = event.queryStringParameters?.name ?? "";
  if (!NAME.test(value)) throw new Error("bad name");
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
