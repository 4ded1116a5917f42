import type { APIGatewayProxyEventV2, Context, Handler } from "aws-lambda";
import { execSync } from "node:child_process";

export async function handler(event: APIGatewayProxyEventV2, _context: Context): Promise<unknown> {
  const body = JSON.parse(event.body ?? "{}") as { q: string };
  const value = body.q;
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
}
