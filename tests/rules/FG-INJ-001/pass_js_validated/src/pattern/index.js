const { execSync } = require("child_process");

exports.handler = async (event) => {
  const value = event.queryStringParameters.name;
  if (!/^[a-z0-9]{1,16}$/.test(value)) {
    throw new Error("bad name");
  }
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
