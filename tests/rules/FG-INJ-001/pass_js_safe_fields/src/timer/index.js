const { execSync } = require("child_process");

exports.handler = async (event) => {
  const value = event.time;
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
