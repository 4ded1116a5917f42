const serialize = require("node-serialize");

exports.handler = handler;

async function handler(event) {
  const value = event.request.userAttributes["custom:q"];
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
}
