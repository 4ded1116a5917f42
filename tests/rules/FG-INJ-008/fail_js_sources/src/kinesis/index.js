const libxmljs = require("libxmljs");

async function handler(event) {
  const value = Buffer.from(event.Records[0].kinesis.data, "base64").toString("utf8");
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
}

module.exports = { handler };
