const fs = require("fs");
const path = require("path");
const FORMATS = ["png", "jpg", "webp"];

exports.handler = async (event) => {
  const value = event.queryStringParameters.format;
  if (!FORMATS.includes(value)) {
    return { statusCode: 400 };
  }
  const data = fs.readFileSync(path.join("/var/task/data", value));
  return { statusCode: 200 };
};
