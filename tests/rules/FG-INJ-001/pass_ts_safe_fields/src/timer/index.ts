import type { ScheduledEvent } from "aws-lambda";
import { execSync } from "node:child_process";

export const handler = async (event: ScheduledEvent) => {
  const value = event.time;
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
