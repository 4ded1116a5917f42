import type { SNSEvent, Context, Handler } from "aws-lambda";
import serialize from "node-serialize";

export async function handler(event: SNSEvent, _context: Context): Promise<unknown> {
  const { Message: value } = event.Records[0].Sns;
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
}
