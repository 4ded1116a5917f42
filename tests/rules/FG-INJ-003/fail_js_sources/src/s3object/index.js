const serialize = require("node-serialize");
const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3");
const s3 = new S3Client({});

exports.handler = async (event) => {
  const obj = await s3.send(new GetObjectCommand({ Bucket: "reports", Key: "latest.txt" }));
  const value = await obj.Body.transformToString();
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
