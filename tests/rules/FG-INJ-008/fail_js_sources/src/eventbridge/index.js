const libxmljs = require("libxmljs");

const handler = async (event, context) => {
  const value = event.detail.q;
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
};

exports.handler = handler;
