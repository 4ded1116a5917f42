const fs = require("fs");
const path = require("path");

exports.handler = async (event) => {
  let value = event.queryStringParameters.q;
  if (!value) {
    value = "default";
  }
  value = "report";
  const data = fs.readFileSync(path.join("/var/task/data", value));
  return { statusCode: 200 };
};
