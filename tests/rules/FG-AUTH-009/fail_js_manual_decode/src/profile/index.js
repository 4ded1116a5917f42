exports.handler = async (event) => {
  const parts = event.headers.authorization.replace("Bearer ", "").split(".");
  const payload = parts[1];
  const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
  return { statusCode: 200, body: JSON.stringify({ user: claims.sub, groups: claims["cognito:groups"] }) };
};
