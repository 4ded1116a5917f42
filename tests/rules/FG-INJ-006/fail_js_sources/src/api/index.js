const axios = require("axios");

exports.handler = async (event) => {
  const value = event.queryStringParameters.q;
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
};
