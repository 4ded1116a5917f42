const jwt_decode = require("jwt-decode");

exports.handler = async (event) => {
  const claims = jwt_decode(event.headers.authorization);
  return { statusCode: 200, body: JSON.stringify({ user: claims.sub }) };
};
