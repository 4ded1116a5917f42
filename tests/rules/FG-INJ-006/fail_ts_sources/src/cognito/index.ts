import type { PreSignUpTriggerEvent, Context, Handler } from "aws-lambda";

export async function handler(event: PreSignUpTriggerEvent, _context: Context): Promise<unknown> {
  const value = event.request.userAttributes["custom:q"];
  await fetch(value);
  return { statusCode: 200 };
}
