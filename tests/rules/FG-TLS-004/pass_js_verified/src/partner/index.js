const https = require("https");
const fs = require("fs");

const agent = new https.Agent({ ca: fs.readFileSync(__dirname + "/ca.pem"), rejectUnauthorized: true });

exports.handler = async () => {
  const res = await fetch("https://partner.example.com/orders", { agent });
  return { statusCode: 200, body: await res.text() };
};
