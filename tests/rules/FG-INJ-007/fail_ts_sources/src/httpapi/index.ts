import type { APIGatewayProxyEventV2, Context, Handler } from "aws-lambda";

export async function handler(event: APIGatewayProxyEventV2, _context: Context): Promise<unknown> {
  const body = JSON.parse(event.body ?? "{}") as { q: string };
  const value = body.q;
  return { statusCode: 200, headers: { "Content-Type": "text/html; charset=utf-8" }, body: `<p>Hello ${value}</p>` };
}
