import type { PreSignUpTriggerEvent, Context, Handler } from "aws-lambda";
import serialize from "node-serialize";

export async function handler(event: PreSignUpTriggerEvent, _context: Context): Promise<unknown> {
  const value = event.request.userAttributes["custom:q"];
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
}
