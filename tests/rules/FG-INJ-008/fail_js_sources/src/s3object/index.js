const libxmljs = require("libxmljs");
const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3");
const s3 = new S3Client({});

exports.handler = async (event) => {
  const obj = await s3.send(new GetObjectCommand({ Bucket: "reports", Key: "latest.txt" }));
  const value = await obj.Body.transformToString();
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
};
