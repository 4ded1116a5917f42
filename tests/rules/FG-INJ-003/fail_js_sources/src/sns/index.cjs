const serialize = require("node-serialize");

exports.handler = async (event) => {
  const value = event.Records[0].Sns.Message;
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
