const axios = require("axios");
const FORMATS = ["png", "jpg", "webp"];

exports.handler = async (event) => {
  const value = event.queryStringParameters.format;
  if (!FORMATS.includes(value)) {
    return { statusCode: 400 };
  }
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
};
