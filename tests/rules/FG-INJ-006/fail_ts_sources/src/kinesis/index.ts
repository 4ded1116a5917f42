import type { KinesisStreamEvent, Context, Handler } from "aws-lambda";

export const handler: Handler<KinesisStreamEvent> = async (event) => {
  const value = Buffer.from(event.Records[0].kinesis.data, "base64").toString("utf8");
  await fetch(value);
  return { statusCode: 200 };
};
