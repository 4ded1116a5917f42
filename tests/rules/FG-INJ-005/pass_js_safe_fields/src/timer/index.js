const fs = require("fs");
const path = require("path");

exports.handler = async (event) => {
  const value = event.time;
  const data = fs.readFileSync(path.join("/var/task/data", value));
  return { statusCode: 200 };
};
