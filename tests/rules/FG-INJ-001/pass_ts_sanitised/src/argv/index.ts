import type { APIGatewayProxyEvent } from "aws-lambda";
import { execFileSync } from "node:child_process";

export const handler = async (event: APIGatewayProxyEvent) => {
  const name = event.queryStringParameters?.name ?? "x";
  execFileSync("convert", [name, "out.png"]);
  return { statusCode: 200 };
};
