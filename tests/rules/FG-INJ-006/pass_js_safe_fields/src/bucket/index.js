const axios = require("axios");

exports.handler = async (event) => {
  const value = event.Records[0].s3.bucket.name;
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
};
