const serialize = require("node-serialize");

exports.handler = async (event) => {
  const value = event.Records[0].s3.bucket.name;
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
