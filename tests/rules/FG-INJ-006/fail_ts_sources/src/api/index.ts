import type { APIGatewayProxyEvent, Context, Handler } from "aws-lambda";

export const handler = async (event: APIGatewayProxyEvent): Promise<unknown> => {
  const value = event.queryStringParameters?.q ?? "";
  await fetch(value);
  return { statusCode: 200 };
};
