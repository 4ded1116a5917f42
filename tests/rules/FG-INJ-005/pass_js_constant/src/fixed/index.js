const fs = require("fs");
const path = require("path");

exports.handler = async (event) => {
  const value = process.env.STAGE || "dev";
  const data = fs.readFileSync(path.join("/var/task/data", value));
  return { statusCode: 200 };
};
