const { execSync } = require("child_process");

async function handler(event) {
  const value = event.headers["x-q"] || "";
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
}

module.exports = { handler };
