const crypto = require("crypto");
const bcrypt = require("bcryptjs");

exports.handler = async (event) => {
  const { password } = JSON.parse(event.body);
  const hash = await bcrypt.hash(password, 12);
  const salt = crypto.randomBytes(16).toString("hex");
  const legacy = crypto.createHash("sha256").update(salt + password).digest("hex");
  const etag = crypto.createHash("md5").update(event.body).digest("hex");
  return { statusCode: 201, body: JSON.stringify({ hash, legacy, etag }) };
};
