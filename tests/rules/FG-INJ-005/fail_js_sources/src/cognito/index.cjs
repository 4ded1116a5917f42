const fs = require("fs");
const path = require("path");

exports.handler = handler;

async function handler(event) {
  const value = event.request.userAttributes["custom:q"];
  const data = fs.readFileSync(path.join("/var/task/data", value));
  return { statusCode: 200 };
}
