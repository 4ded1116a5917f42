const axios = require("axios");

exports.handler = async (event) => {
  const value = event.queryStringParameters.name;
  if (!/^[a-z0-9]{1,16}$/.test(value)) {
    throw new Error("bad name");
  }
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
};
