import type { ScheduledEvent, Context, Handler } from "aws-lambda";

export const handler = async (event: ScheduledEvent): Promise<unknown> => {
  const res = await fetch("https://partner.example.com/feed");
  const value = ((await res.json()) as { q: string }).q;
  await fetch(value);
  return { statusCode: 200 };
};
