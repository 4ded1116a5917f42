const { execSync } = require("child_process");
const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3");
const s3 = new S3Client({});

exports.handler = async (event) => {
  const obj = await s3.send(new GetObjectCommand({ Bucket: "reports", Key: "latest.txt" }));
  const value = await obj.Body.transformToString();
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
