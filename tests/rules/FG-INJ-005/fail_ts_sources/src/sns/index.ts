import type { SNSEvent, Context, Handler } from "aws-lambda";
import { createReadStream } from "fs";

export async function handler(event: SNSEvent, _context: Context): Promise<unknown> {
  const { Message: value } = event.Records[0].Sns;
  const stream = createReadStream(`/tmp/${value}`);
  return { statusCode: 200 };
}
