import type { APIGatewayProxyEventV2, Context, Handler } from "aws-lambda";
import merge from "lodash/merge";
const DEFAULTS = { theme: "light" };

export async function handler(event: APIGatewayProxyEventV2, _context: Context): Promise<unknown> {
  const value: unknown = JSON.parse(event.body ?? "{}");
  const settings = merge({}, DEFAULTS, value);
  return { statusCode: 200 };
}
