const fs = require("fs");
const path = require("path");

exports.handler = handler;

async function handler(event) {
  for (const record of event.Records) {
    const value = record.body;
    const data = fs.readFileSync(path.join("/var/task/data", value));
  }
  return { statusCode: 200 };
}
