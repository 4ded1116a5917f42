const crypto = require("crypto");

exports.handler = async (event) => {
  const { email, password } = JSON.parse(event.body);
  const hash = crypto.createHash("sha256").update(password).digest("hex");
  return { statusCode: 201, body: JSON.stringify({ email, hash }) };
};
