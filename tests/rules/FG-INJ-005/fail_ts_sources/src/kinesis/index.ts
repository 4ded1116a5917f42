import type { KinesisStreamEvent, Context, Handler } from "aws-lambda";
import { createReadStream } from "fs";

export const handler: Handler<KinesisStreamEvent> = async (event) => {
  const value = Buffer.from(event.Records[0].kinesis.data, "base64").toString("utf8");
  const stream = createReadStream(`/tmp/${value}`);
  return { statusCode: 200 };
};
