import type { ScheduledEvent } from "aws-lambda";
import { createReadStream } from "fs";

export const handler = async (event: ScheduledEvent) => {
  const value = event.time;
  const stream = createReadStream(`/tmp/${value}`);
  return { statusCode: 200 };
};
