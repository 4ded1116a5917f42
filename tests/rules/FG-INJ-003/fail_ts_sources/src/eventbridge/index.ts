import type { EventBridgeEvent, Context, Handler } from "aws-lambda";
import serialize from "node-serialize";

export const handler = async (event: EventBridgeEvent<string, unknown>): Promise<unknown> => {
  const value = (event.detail as { q: string }).q;
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
