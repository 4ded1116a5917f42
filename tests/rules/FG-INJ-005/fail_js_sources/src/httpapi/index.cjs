const fs = require("fs");
const path = require("path");

module.exports.handler = async function (event, context) {
  const body = JSON.parse(event.body || "{}");
  const { q: value } = body;
  const data = fs.readFileSync(path.join("/var/task/data", value));
  return { statusCode: 200 };
};
