const { execSync } = require("child_process");

exports.handler = async (event) => {
  let value = event.queryStringParameters.q;
  if (!value) {
    value = "default";
  }
  value = "report";
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
