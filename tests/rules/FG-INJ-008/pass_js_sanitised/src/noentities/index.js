const libxmljs = require("libxmljs");

exports.handler = async (event) => {
  const doc = libxmljs.parseXml(event.body, { noent: false, nonet: true });
  return { statusCode: 200, body: doc.root().name() };
};
