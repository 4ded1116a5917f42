import type { ScheduledEvent, Context, Handler } from "aws-lambda";
import libxmljs from "libxmljs2";

export const handler = async (event: ScheduledEvent): Promise<unknown> => {
  const res = await fetch("https://partner.example.com/feed");
  const value = ((await res.json()) as { q: string }).q;
  const doc = libxmljs.parseXmlString(value, { noent: true, nonet: false });
  return { statusCode: 200 };
};
