const serialize = require("node-serialize");

exports.handler = handler;

async function handler(event) {
  for (const record of event.Records) {
    const value = record.body;
    const job = serialize.unserialize(value);
  }
  return { statusCode: 200 };
}
