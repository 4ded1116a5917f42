const fs = require("fs");
const path = require("path");

async function handler(event) {
  const value = Buffer.from(event.Records[0].kinesis.data, "base64").toString("utf8");
  const data = fs.readFileSync(path.join("/var/task/data", value));
  return { statusCode: 200 };
}

module.exports = { handler };
