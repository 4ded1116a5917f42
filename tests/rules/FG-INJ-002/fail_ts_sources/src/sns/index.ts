import type { SNSEvent, Context, Handler } from "aws-lambda";
import * as vm from "vm";

export async function handler(event: SNSEvent, _context: Context): Promise<unknown> {
  const { Message: value } = event.Records[0].Sns;
  const result = vm.runInNewContext(value, {});
  return { statusCode: 200 };
}
