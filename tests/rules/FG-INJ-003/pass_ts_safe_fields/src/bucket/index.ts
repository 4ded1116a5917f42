import type { S3Event } from "aws-lambda";
import serialize from "node-serialize";

export const handler = async (event: S3Event) => {
  const value = event.Records[0].s3.bucket.name;
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
