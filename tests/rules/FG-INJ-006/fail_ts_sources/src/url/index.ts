import type { APIGatewayProxyEventV2, Context, Handler } from "aws-lambda";

const main = async (event: APIGatewayProxyEventV2) => {
  const value: string = event.headers["x-q"] ?? "";
  await fetch(value);
  return { statusCode: 200 };
};

export { main as handler };
