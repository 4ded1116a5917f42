import type { APIGatewayProxyEvent, Context, Handler } from "aws-lambda";
import { execSync } from "node:child_process";

export const handler = async (event: APIGatewayProxyEvent): Promise<unknown> => {
  const value = event.queryStringParameters?.q ?? "";
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
