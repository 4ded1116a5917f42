const fs = require("fs");
const path = require("path");

exports.handler = async (event) => {
  const { sub } = event.requestContext.authorizer.claims;
  const value = `${sub} ${event.httpMethod} ${event.headers.Host}`;
  const data = fs.readFileSync(path.join("/var/task/data", value));
  return { statusCode: 200 };
};
