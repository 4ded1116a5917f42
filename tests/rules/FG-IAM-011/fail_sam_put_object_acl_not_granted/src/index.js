const AWS = require("aws-sdk");

const s3 = new AWS.S3();

exports.handler = async (event) => {
  await s3
    .putObject({ Bucket: process.env.BUCKET, Key: event.key, Body: event.body, ACL: "public-read" })
    .promise();
};
