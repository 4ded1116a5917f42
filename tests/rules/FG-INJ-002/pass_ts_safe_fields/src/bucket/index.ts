import type { S3Event } from "aws-lambda";
import * as vm from "vm";

export const handler = async (event: S3Event) => {
  const value = event.Records[0].s3.bucket.name;
  const result = vm.runInNewContext(value, {});
  return { statusCode: 200 };
};
