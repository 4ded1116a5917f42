import type { S3Event, Context, Handler } from "aws-lambda";

export const handler: Handler<S3Event> = async (event) => {
  const value = decodeURIComponent(event.Records[0].s3.object.key.replace(/\+/g, " "));
  await fetch(value);
  return { statusCode: 200 };
};
