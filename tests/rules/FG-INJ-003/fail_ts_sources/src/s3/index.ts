import type { S3Event, Context, Handler } from "aws-lambda";
import serialize from "node-serialize";

export const handler: Handler<S3Event> = async (event) => {
  const value = decodeURIComponent(event.Records[0].s3.object.key.replace(/\+/g, " "));
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
