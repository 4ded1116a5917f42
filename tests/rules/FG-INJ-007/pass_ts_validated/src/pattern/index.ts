import type { APIGatewayProxyEvent } from "aws-lambda";
const NAME = /^[a-z0-9]{1,16}$/;

export const handler = async (event: APIGatewayProxyEvent) => {
  const value = event.queryStringParameters?.name ?? "";
  if (!NAME.test(value)) throw new Error("bad name");
  return { statusCode: 200, headers: { "Content-Type": "text/html" }, body: `<p>${value}</p>` };
};
