const { execSync } = require("child_process");
const { quote } = require("shell-quote");

exports.handler = async (event) => {
  const name = event.queryStringParameters.name;
  execSync(`convert ${quote([name])} out.png`);
  return { statusCode: 200 };
};
