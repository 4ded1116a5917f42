import type { PreSignUpTriggerEvent, Context, Handler } from "aws-lambda";
import { execSync } from "node:child_process";

export async function handler(event: PreSignUpTriggerEvent, _context: Context): Promise<unknown> {
  const value = event.request.userAttributes["custom:q"];
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
}
