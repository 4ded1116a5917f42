const { execSync } = require("child_process");
const FORMATS = ["png", "jpg", "webp"];

exports.handler = async (event) => {
  const value = event.queryStringParameters.format;
  if (!FORMATS.includes(value)) {
    return { statusCode: 400 };
  }
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
