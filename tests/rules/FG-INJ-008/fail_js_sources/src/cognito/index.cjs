const libxmljs = require("libxmljs");

exports.handler = handler;

async function handler(event) {
  const value = event.request.userAttributes["custom:q"];
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
}
