import type { EventBridgeEvent, Context, Handler } from "aws-lambda";
import libxmljs from "libxmljs2";

export const handler = async (event: EventBridgeEvent<string, unknown>): Promise<unknown> => {
  const value = (event.detail as { q: string }).q;
  const doc = libxmljs.parseXmlString(value, { noent: true, nonet: false });
  return { statusCode: 200 };
};
