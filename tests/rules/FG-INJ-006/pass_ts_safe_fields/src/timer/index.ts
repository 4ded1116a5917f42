import type { ScheduledEvent } from "aws-lambda";

export const handler = async (event: ScheduledEvent) => {
  const value = event.time;
  await fetch(value);
  return { statusCode: 200 };
};
