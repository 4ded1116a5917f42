const axios = require("axios");

const handler = async (event, context) => {
  const value = event.detail.q;
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
};

exports.handler = handler;
