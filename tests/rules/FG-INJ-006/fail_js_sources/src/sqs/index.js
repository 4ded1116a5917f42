const axios = require("axios");

exports.handler = handler;

async function handler(event) {
  for (const record of event.Records) {
    const value = record.body;
    await axios.get(value, { timeout: 5000 });
  }
  return { statusCode: 200 };
}
