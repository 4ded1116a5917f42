const { execSync } = require("child_process");

const handler = async (event, context) => {
  const value = event.detail.q;
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};

exports.handler = handler;
