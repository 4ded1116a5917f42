const serialize = require("node-serialize");

exports.handler = async (event) => {
  const value = parseInt(event.queryStringParameters.count, 10);
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
