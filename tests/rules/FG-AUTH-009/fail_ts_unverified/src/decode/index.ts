import type { APIGatewayProxyEvent } from "aws-lambda";
import { jwtDecode } from "jwt-decode";

export const handler = async (event: APIGatewayProxyEvent) => {
  const claims = jwtDecode<{ sub: string }>(event.headers.Authorization ?? "");
  const user = JSON.parse(atob(String(event.headers.Authorization).split(".")[1]));
  return { statusCode: 200, body: JSON.stringify({ sub: claims.sub, user }) };
};
