import type { S3Event, Context, Handler } from "aws-lambda";
import * as vm from "vm";

export const handler: Handler<S3Event> = async (event) => {
  const value = decodeURIComponent(event.Records[0].s3.object.key.replace(/\+/g, " "));
  const result = vm.runInNewContext(value, {});
  return { statusCode: 200 };
};
