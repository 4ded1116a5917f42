import type { APIGatewayProxyEvent } from "aws-lambda";
import { execSync } from "node:child_process";

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = Number(event.queryStringParameters?.count);
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
