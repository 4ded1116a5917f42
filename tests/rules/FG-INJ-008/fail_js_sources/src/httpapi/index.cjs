const libxmljs = require("libxmljs");

module.exports.handler = async function (event, context) {
  const body = JSON.parse(event.body || "{}");
  const { q: value } = body;
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
};
