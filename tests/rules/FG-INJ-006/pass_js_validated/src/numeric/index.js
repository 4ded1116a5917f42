const axios = require("axios");

exports.handler = async (event) => {
  const value = parseInt(event.queryStringParameters.count, 10);
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
};
