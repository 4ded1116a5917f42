import type { EventBridgeEvent, Context, Handler } from "aws-lambda";

export const handler = async (event: EventBridgeEvent<string, unknown>): Promise<unknown> => {
  const value = (event.detail as { q: string }).q;
  await fetch(value);
  return { statusCode: 200 };
};
