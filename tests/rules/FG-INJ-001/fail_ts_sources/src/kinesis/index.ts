import type { KinesisStreamEvent, Context, Handler } from "aws-lambda";
import { execSync } from "node:child_process";

export const handler: Handler<KinesisStreamEvent> = async (event) => {
  const value = Buffer.from(event.Records[0].kinesis.data, "base64").toString("utf8");
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
