const axios = require("axios");

exports.handler = async (event) => {
  const value = event.time;
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
};
