const { execSync } = require("child_process");

const handler = async (event, context) => {
  const value = decodeURIComponent(event.Records[0].s3.object.key.replace(/\+/g, " "));
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};

exports.handler = handler;
