const serialize = require("node-serialize");

exports.handler = async (event) => {
  const value = event.queryStringParameters.q;
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
