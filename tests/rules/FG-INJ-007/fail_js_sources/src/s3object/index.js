const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3");
const s3 = new S3Client({});

exports.handler = async (event) => {
  const obj = await s3.send(new GetObjectCommand({ Bucket: "reports", Key: "latest.txt" }));
  const value = await obj.Body.transformToString();
  return { statusCode: 200, headers: { "Content-Type": "text/html; charset=utf-8" }, body: `<p>Hello ${value}</p>` };
};
