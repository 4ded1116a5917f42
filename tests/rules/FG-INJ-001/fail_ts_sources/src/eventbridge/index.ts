import type { EventBridgeEvent, Context, Handler } from "aws-lambda";
import { execSync } from "node:child_process";

export const handler = async (event: EventBridgeEvent<string, unknown>): Promise<unknown> => {
  const value = (event.detail as { q: string }).q;
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
