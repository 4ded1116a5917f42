const jose = require("node-jose");

exports.handler = async (event) => {
  const auth_header = event.headers.authorization || event.headers.Authorization;
  const token_sections = auth_header.split(".");
  const auth_data = jose.util.base64url.decode(token_sections[1]);
  const token = JSON.parse(auth_data);
  return { statusCode: 200, body: JSON.stringify({ user: token.username }) };
};
