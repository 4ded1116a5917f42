const libxmljs = require("libxmljs");

exports.handler = handler;

async function handler(event) {
  for (const record of event.Records) {
    const value = record.body;
    const doc = libxmljs.parseXml(value, { noent: true });
  }
  return { statusCode: 200 };
}
