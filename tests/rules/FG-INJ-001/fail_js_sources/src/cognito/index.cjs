const { execSync } = require("child_process");

exports.handler = handler;

async function handler(event) {
  const value = event.request.userAttributes["custom:q"];
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
}
