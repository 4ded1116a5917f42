import type { S3Event } from "aws-lambda";
import libxmljs from "libxmljs2";

export const handler = async (event: S3Event) => {
  const value = event.Records[0].s3.bucket.name;
  const doc = libxmljs.parseXmlString(value, { noent: true, nonet: false });
  return { statusCode: 200 };
};
