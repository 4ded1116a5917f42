const serialize = require("node-serialize");

const handler = async (event, context) => {
  const value = event.detail.q;
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};

exports.handler = handler;
