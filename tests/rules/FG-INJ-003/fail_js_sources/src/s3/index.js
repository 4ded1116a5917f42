const serialize = require("node-serialize");

const handler = async (event, context) => {
  const value = decodeURIComponent(event.Records[0].s3.object.key.replace(/\+/g, " "));
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};

exports.handler = handler;
