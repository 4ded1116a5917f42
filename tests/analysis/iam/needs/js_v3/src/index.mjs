import { GetObjectCommand, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { Upload } from "@aws-sdk/lib-storage";
import { SQS } from "@aws-sdk/client-sqs";
import { s3, documentClient } from "./lib/clients.mjs";

const doc = documentClient();
const sqs = new SQS({});

export const handler = async (event) => {
  const original = await s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: event.key }));
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: process.env.BUCKET })) {
    console.log(page.KeyCount);
  }
  const upload = new Upload({ client: s3, params: { Bucket: process.env.BUCKET, Key: "thumbs/" + event.key, Body: original.Body } });
  await upload.done();
  await doc.send(new PutCommand({ TableName: process.env.TABLE, Item: { pk: event.key } }));
  const rows = await doc.send(
    new QueryCommand({ TableName: process.env.TABLE, IndexName: "byOwner", KeyConditionExpression: "o = :o" }),
  );
  await sqs.sendMessage({ QueueUrl: process.env.QUEUE, MessageBody: JSON.stringify(rows.Items) });
  return { ok: true };
};
