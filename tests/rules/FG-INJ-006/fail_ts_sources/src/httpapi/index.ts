import type { APIGatewayProxyEventV2, Context, Handler } from "aws-lambda";

export async function handler(event: APIGatewayProxyEventV2, _context: Context): Promise<unknown> {
  const body = JSON.parse(event.body ?? "{}") as { q: string };
  const value = body.q;
  await fetch(value);
  return { statusCode: 200 };
}
