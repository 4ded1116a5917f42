import type { SQSEvent, Context, Handler } from "aws-lambda";
import libxmljs from "libxmljs2";

export const handler = async (event: SQSEvent): Promise<unknown> => {
  for (const record of event.Records) {
    const value = record.body;
    const doc = libxmljs.parseXmlString(value, { noent: true, nonet: false });
  }
  return { statusCode: 200 };
};
