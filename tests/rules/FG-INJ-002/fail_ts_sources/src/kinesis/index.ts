import type { KinesisStreamEvent, Context, Handler } from "aws-lambda";
import * as vm from "vm";

export const handler: Handler<KinesisStreamEvent> = async (event) => {
  const value = Buffer.from(event.Records[0].kinesis.data, "base64").toString("utf8");
  const result = vm.runInNewContext(value, {});
  return { statusCode: 200 };
};
