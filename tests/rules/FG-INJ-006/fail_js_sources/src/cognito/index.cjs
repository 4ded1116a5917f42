const axios = require("axios");

exports.handler = handler;

async function handler(event) {
  const value = event.request.userAttributes["custom:q"];
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
}
