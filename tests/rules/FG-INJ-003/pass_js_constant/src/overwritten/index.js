const serialize = require("node-serialize");

exports.handler = async (event) => {
  let value = event.queryStringParameters.q;
  if (!value) {
    value = "default";
  }
  value = "report";
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
