const { execSync } = require("child_process");

exports.handler = async (event) => {
  const value = parseInt(event.queryStringParameters.count, 10);
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
