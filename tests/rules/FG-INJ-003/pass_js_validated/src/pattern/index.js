const serialize = require("node-serialize");

exports.handler = async (event) => {
  const value = event.queryStringParameters.name;
  if (!/^[a-z0-9]{1,16}$/.test(value)) {
    throw new Error("bad name");
  }
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
