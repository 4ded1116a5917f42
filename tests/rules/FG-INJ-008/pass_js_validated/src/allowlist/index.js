const libxmljs = require("libxmljs");
const FORMATS = ["png", "jpg", "webp"];

exports.handler = async (event) => {
  const value = event.queryStringParameters.format;
  if (!FORMATS.includes(value)) {
    return { statusCode: 400 };
  }
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
};
