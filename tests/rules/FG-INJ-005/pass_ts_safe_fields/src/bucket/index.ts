import type { S3Event } from "aws-lambda";
import { createReadStream } from "fs";

export const handler = async (event: S3Event) => {
  const value = event.Records[0].s3.bucket.name;
  const stream = createReadStream(`/tmp/${value}`);
  return { statusCode: 200 };
};
