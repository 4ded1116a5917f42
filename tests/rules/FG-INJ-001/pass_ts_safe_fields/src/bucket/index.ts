import type { S3Event } from "aws-lambda";
import { execSync } from "node:child_process";

export const handler = async (event: S3Event) => {
  const value = event.Records[0].s3.bucket.name;
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
