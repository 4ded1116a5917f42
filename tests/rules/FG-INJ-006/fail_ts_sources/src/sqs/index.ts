import type { SQSEvent, Context, Handler } from "aws-lambda";

export const handler = async (event: SQSEvent): Promise<unknown> => {
  for (const record of event.Records) {
    const value = record.body;
    await fetch(value);
  }
  return { statusCode: 200 };
};
