import type { KinesisStreamEvent, Context, Handler } from "aws-lambda";
import serialize from "node-serialize";

export const handler: Handler<KinesisStreamEvent> = async (event) => {
  const value = Buffer.from(event.Records[0].kinesis.data, "base64").toString("utf8");
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
