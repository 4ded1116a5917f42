import type { EventBridgeEvent, Context, Handler } from "aws-lambda";
import merge from "lodash/merge";
const DEFAULTS = { theme: "light" };

export async function handler(event: EventBridgeEvent<string, unknown>, _context: Context): Promise<unknown> {
  const value = event.detail;
  const settings = merge({}, DEFAULTS, value);
  return { statusCode: 200 };
}
