const serialize = require("node-serialize");

module.exports.handler = async function (event, context) {
  const body = JSON.parse(event.body || "{}");
  const { q: value } = body;
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
