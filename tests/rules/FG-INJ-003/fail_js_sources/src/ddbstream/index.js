const serialize = require("node-serialize");

module.exports.handler = async function (event, context) {
  const value = event.Records[0].dynamodb.NewImage.q.S;
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
