import type { SQSEvent, Context, Handler } from "aws-lambda";
import { execSync } from "node:child_process";

export const handler = async (event: SQSEvent): Promise<unknown> => {
  for (const record of event.Records) {
    const value = record.body;
    execSync(`convert ${value} out.png`);
  }
  return { statusCode: 200 };
};
