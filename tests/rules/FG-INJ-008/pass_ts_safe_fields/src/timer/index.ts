import type { ScheduledEvent } from "aws-lambda";
import libxmljs from "libxmljs2";

export const handler = async (event: ScheduledEvent) => {
  const value = event.time;
  const doc = libxmljs.parseXmlString(value, { noent: true, nonet: false });
  return { statusCode: 200 };
};
