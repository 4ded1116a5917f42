const axios = require("axios");

exports.handler = async (event) => {
  const value = process.env.STAGE || "dev";
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
};
