import type { S3Event, Context, Handler } from "aws-lambda";
import { createReadStream } from "fs";

export const handler: Handler<S3Event> = async (event) => {
  const value = decodeURIComponent(event.Records[0].s3.object.key.replace(/\+/g, " "));
  const stream = createReadStream(`/tmp/${value}`);
  return { statusCode: 200 };
};
