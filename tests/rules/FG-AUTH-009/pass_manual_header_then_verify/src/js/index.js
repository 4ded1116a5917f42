const jwt = require("jsonwebtoken");
const KEYS = require("./keys.json");

exports.handler = async (event) => {
  const token = event.headers.authorization.replace("Bearer ", "");
  const [encodedHeader] = token.split(".");
  const header = JSON.parse(Buffer.from(encodedHeader, "base64url").toString());
  const claims = jwt.verify(token, KEYS[header.kid], { algorithms: [header.alg], audience: process.env.CLIENT_ID });
  return { statusCode: 200, body: claims.sub };
};
