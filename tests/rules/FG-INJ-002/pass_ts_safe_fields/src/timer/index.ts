import type { ScheduledEvent } from "aws-lambda";
import * as vm from "vm";

export const handler = async (event: ScheduledEvent) => {
  const value = event.time;
  const result = vm.runInNewContext(value, {});
  return { statusCode: 200 };
};
