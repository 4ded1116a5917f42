const serialize = require("node-serialize");

exports.handler = async (event) => {
  const value = process.env.STAGE || "dev";
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
