import type { APIGatewayProxyEvent, Context, Handler } from "aws-lambda";

export const handler = async (event: APIGatewayProxyEvent): Promise<unknown> => {
  const value = event.queryStringParameters?.q ?? "";
  return { statusCode: 200, headers: { "Content-Type": "text/html; charset=utf-8" }, body: `<p>Hello ${value}</p>` };
};
