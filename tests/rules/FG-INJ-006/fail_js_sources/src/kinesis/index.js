const axios = require("axios");

async function handler(event) {
  const value = Buffer.from(event.Records[0].kinesis.data, "base64").toString("utf8");
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
}

module.exports = { handler };
