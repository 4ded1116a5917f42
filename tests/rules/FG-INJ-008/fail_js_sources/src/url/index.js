const libxmljs = require("libxmljs");

async function handler(event) {
  const value = event.headers["x-q"] || "";
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
}

module.exports = { handler };
