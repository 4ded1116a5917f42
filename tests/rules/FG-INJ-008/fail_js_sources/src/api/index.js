const libxmljs = require("libxmljs");

exports.handler = async (event) => {
  const value = event.queryStringParameters.q;
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
};
