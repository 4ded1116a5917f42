const fs = require("fs");
const path = require("path");

const handler = async (event, context) => {
  const value = decodeURIComponent(event.Records[0].s3.object.key.replace(/\+/g, " "));
  const data = fs.readFileSync(path.join("/var/task/data", value));
  return { statusCode: 200 };
};

exports.handler = handler;
