const libxmljs = require("libxmljs");

exports.handler = async (event) => {
  const value = process.env.STAGE || "dev";
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
};
