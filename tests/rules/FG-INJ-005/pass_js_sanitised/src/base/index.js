const fs = require("fs");
const path = require("path");

exports.handler = async (event) => {
  const name = path.basename(event.queryStringParameters.file);
  const data = fs.readFileSync(path.join("/var/task/public", name), "utf8");
  const last = event.queryStringParameters.other.split("/").pop();
  fs.readFileSync("/var/task/public/" + last);
  return { statusCode: 200, body: data };
};
