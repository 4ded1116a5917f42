import type { SQSEvent, Context, Handler } from "aws-lambda";
import serialize from "node-serialize";

export const handler = async (event: SQSEvent): Promise<unknown> => {
  for (const record of event.Records) {
    const value = record.body;
    const job = serialize.unserialize(value);
  }
  return { statusCode: 200 };
};
