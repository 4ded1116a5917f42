import type { APIGatewayProxyEventV2, Context, Handler } from "aws-lambda";
import { createReadStream } from "fs";

export async function handler(event: APIGatewayProxyEventV2, _context: Context): Promise<unknown> {
  const body = JSON.parse(event.body ?? "{}") as { q: string };
  const value = body.q;
  const stream = createReadStream(`/tmp/${value}`);
  return { statusCode: 200 };
}
