const serialize = require("node-serialize");

exports.handler = async (event) => {
  const value = event.time;
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
