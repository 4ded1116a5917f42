const libxmljs = require("libxmljs");

exports.handler = async (event) => {
  const value = event.queryStringParameters.name;
  if (!/^[a-z0-9]{1,16}$/.test(value)) {
    throw new Error("bad name");
  }
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
};
