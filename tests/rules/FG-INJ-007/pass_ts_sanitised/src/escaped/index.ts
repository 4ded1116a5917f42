import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { encode } from "html-entities";

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const name = encode(event.queryStringParameters?.name ?? "");
  const headers = { "Content-Type": "text/html" };
  return { statusCode: 200, headers, body: `<h1>Hello ${name}</h1>` };
};
