const axios = require("axios");

exports.handler = async (event) => {
  const value = event.Records[0].Sns.Message;
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
};
