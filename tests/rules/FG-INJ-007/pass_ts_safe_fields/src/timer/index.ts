import type { APIGatewayProxyEvent } from "aws-lambda";

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = event.time;
  return { statusCode: 200, headers: { "Content-Type": "text/html" }, body: `<p>${value}</p>` };
};
