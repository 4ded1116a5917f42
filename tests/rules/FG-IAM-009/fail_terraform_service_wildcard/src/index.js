const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3");

const s3 = new S3Client({});

exports.handler = async (event) => {
  const object = await s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: event.key }));
  return { size: object.ContentLength };
};
