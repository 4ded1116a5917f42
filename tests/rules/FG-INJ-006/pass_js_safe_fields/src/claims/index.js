const axios = require("axios");

exports.handler = async (event) => {
  const { sub } = event.requestContext.authorizer.claims;
  const value = `${sub} ${event.httpMethod} ${event.headers.Host}`;
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
};
