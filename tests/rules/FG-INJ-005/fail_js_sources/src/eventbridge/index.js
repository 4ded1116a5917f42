const fs = require("fs");
const path = require("path");

const handler = async (event, context) => {
  const value = event.detail.q;
  const data = fs.readFileSync(path.join("/var/task/data", value));
  return { statusCode: 200 };
};

exports.handler = handler;
