import type { APIGatewayProxyEventV2, Context, Handler } from "aws-lambda";
import serialize from "node-serialize";

export async function handler(event: APIGatewayProxyEventV2, _context: Context): Promise<unknown> {
  const body = JSON.parse(event.body ?? "{}") as { q: string };
  const value = body.q;
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
}
