const fs = require("fs");
const path = require("path");

exports.handler = async (event) => {
  const value = event.queryStringParameters.name;
  if (!/^[a-z0-9]{1,16}$/.test(value)) {
    throw new Error("bad name");
  }
  const data = fs.readFileSync(path.join("/var/task/data", value));
  return { statusCode: 200 };
};
