const axios = require("axios");

const handler = async (event, context) => {
  const value = decodeURIComponent(event.Records[0].s3.object.key.replace(/\+/g, " "));
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
};

exports.handler = handler;
