const { execSync } = require("child_process");

exports.handler = async (event) => {
  const value = event.Records[0].s3.bucket.name;
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
