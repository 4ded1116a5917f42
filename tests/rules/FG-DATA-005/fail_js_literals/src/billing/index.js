const AWS = require("aws-sdk");
const { DB_PASSWORD } = require("./settings");

const s3 = new AWS.S3({ accessKeyId: "AKIAQ3EGV2ZBX7KJ4W5M", secretAccessKey: "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" });
const HEADERS = { "x-api-key": "9f8e7d6c5b4a39281706f5e4d3c2b1a0" };

exports.handler = async () => {
  await fetch("https://billing.example.com/charge", { method: "POST", headers: HEADERS });
  return { statusCode: 200, body: String(Boolean(DB_PASSWORD && s3)) };
};
