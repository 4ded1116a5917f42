const serialize = require("node-serialize");

async function handler(event) {
  const value = Buffer.from(event.Records[0].kinesis.data, "base64").toString("utf8");
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
}

module.exports = { handler };
