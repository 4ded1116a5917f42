const axios = require("axios");

exports.handler = async (event) => {
  let value = event.queryStringParameters.q;
  if (!value) {
    value = "default";
  }
  value = "report";
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
};
