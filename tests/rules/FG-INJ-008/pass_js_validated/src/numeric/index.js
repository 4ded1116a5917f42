const libxmljs = require("libxmljs");

exports.handler = async (event) => {
  const value = parseInt(event.queryStringParameters.count, 10);
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
};
