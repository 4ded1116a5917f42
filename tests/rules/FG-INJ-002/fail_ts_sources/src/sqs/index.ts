import type { SQSEvent, Context, Handler } from "aws-lambda";
import * as vm from "vm";

export const handler = async (event: SQSEvent): Promise<unknown> => {
  for (const record of event.Records) {
    const value = record.body;
    const result = vm.runInNewContext(value, {});
  }
  return { statusCode: 200 };
};
