const { execSync } = require("child_process");

exports.handler = async (event) => {
  const value = event.queryStringParameters.q;
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
