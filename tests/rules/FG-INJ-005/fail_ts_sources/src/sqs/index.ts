import type { SQSEvent, Context, Handler } from "aws-lambda";
import { createReadStream } from "fs";

export const handler = async (event: SQSEvent): Promise<unknown> => {
  for (const record of event.Records) {
    const value = record.body;
    const stream = createReadStream(`/tmp/${value}`);
  }
  return { statusCode: 200 };
};
