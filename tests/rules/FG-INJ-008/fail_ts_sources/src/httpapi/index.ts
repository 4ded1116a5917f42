import type { APIGatewayProxyEventV2, Context, Handler } from "aws-lambda";
import libxmljs from "libxmljs2";

export async function handler(event: APIGatewayProxyEventV2, _context: Context): Promise<unknown> {
  const body = JSON.parse(event.body ?? "{}") as { q: string };
  const value = body.q;
  const doc = libxmljs.parseXmlString(value, { noent: true, nonet: false });
  return { statusCode: 200 };
}
