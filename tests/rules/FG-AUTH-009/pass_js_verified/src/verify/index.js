const jwt = require("jsonwebtoken");
const KEYS = require("./keys.json");

exports.handler = async (event) => {
  const token = event.headers.authorization;
  const { header } = jwt.decode(token, { complete: true });
  const claims = jwt.verify(token, KEYS[header.kid], { algorithms: ["RS256"], audience: process.env.CLIENT_ID });
  return { statusCode: 200, body: claims.sub };
};
