const { execSync } = require("child_process");

module.exports.handler = async function (event, context) {
  const body = JSON.parse(event.body || "{}");
  const { q: value } = body;
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
