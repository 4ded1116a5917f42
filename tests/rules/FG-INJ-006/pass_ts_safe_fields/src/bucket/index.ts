import type { S3Event } from "aws-lambda";

export const handler = async (event: S3Event) => {
  const value = event.Records[0].s3.bucket.name;
  await fetch(value);
  return { statusCode: 200 };
};
