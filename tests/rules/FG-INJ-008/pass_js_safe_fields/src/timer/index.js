const libxmljs = require("libxmljs");

exports.handler = async (event) => {
  const value = event.time;
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
};
