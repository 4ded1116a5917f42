const axios = require("axios");

module.exports.handler = async function (event, context) {
  const body = JSON.parse(event.body || "{}");
  const { q: value } = body;
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
};
