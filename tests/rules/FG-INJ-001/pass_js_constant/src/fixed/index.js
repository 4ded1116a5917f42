const { execSync } = require("child_process");

exports.handler = async (event) => {
  const value = process.env.STAGE || "dev";
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
