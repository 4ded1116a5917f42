const { execSync } = require("child_process");

async function handler(event) {
  const value = Buffer.from(event.Records[0].kinesis.data, "base64").toString("utf8");
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
}

module.exports = { handler };
