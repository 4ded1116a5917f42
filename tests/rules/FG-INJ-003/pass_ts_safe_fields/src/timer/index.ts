import type { ScheduledEvent } from "aws-lambda";
import serialize from "node-serialize";

export const handler = async (event: ScheduledEvent) => {
  const value = event.time;
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
