const fs = require("fs");
const path = require("path");

async function handler(event) {
  const res = await fetch("https://partner.example.com/feed");
  const value = (await res.json()).q;
  const data = fs.readFileSync(path.join("/var/task/data", value));
  return { statusCode: 200 };
}

module.exports = { handler };
