const axios = require("axios");

module.exports.handler = async function (event, context) {
  const value = event.Records[0].dynamodb.NewImage.q.S;
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
};
