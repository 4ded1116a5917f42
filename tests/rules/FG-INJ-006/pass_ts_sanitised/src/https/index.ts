import type { APIGatewayProxyEvent } from "aws-lambda";
import https from "node:https";

export const handler = async (event: APIGatewayProxyEvent) => {
  const city = event.queryStringParameters?.city ?? "paris";
  await new Promise((resolve) => {
    https.get({ hostname: "weather.example.com", path: `/v1/${encodeURIComponent(city)}` }, resolve);
  });
  return { statusCode: 200 };
};
