import type { SNSEvent, Context, Handler } from "aws-lambda";
import libxmljs from "libxmljs2";

export async function handler(event: SNSEvent, _context: Context): Promise<unknown> {
  const { Message: value } = event.Records[0].Sns;
  const doc = libxmljs.parseXmlString(value, { noent: true, nonet: false });
  return { statusCode: 200 };
}
