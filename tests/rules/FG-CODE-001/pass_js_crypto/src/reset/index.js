const crypto = require("crypto");

exports.handler = async () => {
  const token = crypto.randomBytes(32).toString("base64url");
  const jitterMs = Math.random() * 100;
  return { statusCode: 200, body: JSON.stringify({ token, jitterMs }) };
};
