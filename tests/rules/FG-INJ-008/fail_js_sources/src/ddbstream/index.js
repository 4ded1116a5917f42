const libxmljs = require("libxmljs");

module.exports.handler = async function (event, context) {
  const value = event.Records[0].dynamodb.NewImage.q.S;
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
};
