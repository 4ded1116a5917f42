import type { SNSEvent, Context, Handler } from "aws-lambda";

export async function handler(event: SNSEvent, _context: Context): Promise<unknown> {
  const { Message: value } = event.Records[0].Sns;
  await fetch(value);
  return { statusCode: 200 };
}
