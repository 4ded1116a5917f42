import type { S3Event, Context, Handler } from "aws-lambda";
import { execSync } from "node:child_process";

export const handler: Handler<S3Event> = async (event) => {
  const value = decodeURIComponent(event.Records[0].s3.object.key.replace(/\+/g, " "));
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
