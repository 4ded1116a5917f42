const serialize = require("node-serialize");

async function handler(event) {
  const value = event.headers["x-q"] || "";
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
}

module.exports = { handler };
