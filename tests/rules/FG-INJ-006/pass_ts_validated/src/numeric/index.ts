import type { APIGatewayProxyEvent } from "aws-lambda";

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = Number(event.queryStringParameters?.count);
  await fetch(value);
  return { statusCode: 200 };
};
