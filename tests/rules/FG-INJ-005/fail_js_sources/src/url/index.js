const fs = require("fs");
const path = require("path");

async function handler(event) {
  const value = event.headers["x-q"] || "";
  const data = fs.readFileSync(path.join("/var/task/data", value));
  return { statusCode: 200 };
}

module.exports = { handler };
