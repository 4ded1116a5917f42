const libxmljs = require("libxmljs");

exports.handler = async (event) => {
  const value = event.Records[0].s3.bucket.name;
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
};
