import type { PreSignUpTriggerEvent, Context, Handler } from "aws-lambda";
import { createReadStream } from "fs";

export async function handler(event: PreSignUpTriggerEvent, _context: Context): Promise<unknown> {
  const value = event.request.userAttributes["custom:q"];
  const stream = createReadStream(`/tmp/${value}`);
  return { statusCode: 200 };
}
