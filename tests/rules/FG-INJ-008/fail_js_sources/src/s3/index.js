const libxmljs = require("libxmljs");

const handler = async (event, context) => {
  const value = decodeURIComponent(event.Records[0].s3.object.key.replace(/\+/g, " "));
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
};

exports.handler = handler;
