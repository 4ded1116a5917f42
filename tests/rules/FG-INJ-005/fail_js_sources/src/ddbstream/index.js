const fs = require("fs");
const path = require("path");

module.exports.handler = async function (event, context) {
  const value = event.Records[0].dynamodb.NewImage.q.S;
  const data = fs.readFileSync(path.join("/var/task/data", value));
  return { statusCode: 200 };
};
