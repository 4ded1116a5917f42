const { execSync } = require("child_process");

async function handler(event) {
  const res = await fetch("https://partner.example.com/feed");
  const value = (await res.json()).q;
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
}

module.exports = { handler };
