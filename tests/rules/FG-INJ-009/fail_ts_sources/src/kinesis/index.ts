import type { KinesisStreamEvent, Context, Handler } from "aws-lambda";
import merge from "lodash/merge";
const DEFAULTS = { theme: "light" };

export const handler = async (event: KinesisStreamEvent): Promise<unknown> => {
  const value = JSON.parse(Buffer.from(event.Records[0].kinesis.data, "base64").toString());
  const settings = merge({}, DEFAULTS, value);
  return { statusCode: 200 };
};
