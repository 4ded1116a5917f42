import type { PreSignUpTriggerEvent, Context, Handler } from "aws-lambda";
import libxmljs from "libxmljs2";

export async function handler(event: PreSignUpTriggerEvent, _context: Context): Promise<unknown> {
  const value = event.request.userAttributes["custom:q"];
  const doc = libxmljs.parseXmlString(value, { noent: true, nonet: false });
  return { statusCode: 200 };
}
