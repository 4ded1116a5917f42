import type { EventBridgeEvent, Context, Handler } from "aws-lambda";
import { createReadStream } from "fs";

export const handler = async (event: EventBridgeEvent<string, unknown>): Promise<unknown> => {
  const value = (event.detail as { q: string }).q;
  const stream = createReadStream(`/tmp/${value}`);
  return { statusCode: 200 };
};
