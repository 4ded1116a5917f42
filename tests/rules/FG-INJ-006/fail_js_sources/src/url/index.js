const axios = require("axios");

async function handler(event) {
  const value = event.headers["x-q"] || "";
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
}

module.exports = { handler };
