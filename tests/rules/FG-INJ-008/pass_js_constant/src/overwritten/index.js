const libxmljs = require("libxmljs");

exports.handler = async (event) => {
  let value = event.queryStringParameters.q;
  if (!value) {
    value = "default";
  }
  value = "report";
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
};
