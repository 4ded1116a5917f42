import type { SNSEvent, Context, Handler } from "aws-lambda";
import { execSync } from "node:child_process";

export async function handler(event: SNSEvent, _context: Context): Promise<unknown> {
  const { Message: value } = event.Records[0].Sns;
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
}
