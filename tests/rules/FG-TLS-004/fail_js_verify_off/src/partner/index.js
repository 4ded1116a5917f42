const https = require("https");
const axios = require("axios");

process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
const agent = new https.Agent({ rejectUnauthorized: false });

exports.handler = async () => {
  const res = await axios.get("https://partner.example.com/orders", { httpsAgent: agent });
  return { statusCode: 200, body: JSON.stringify(res.data) };
};
