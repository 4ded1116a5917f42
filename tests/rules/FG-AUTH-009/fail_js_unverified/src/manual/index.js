exports.handler = async (event) => {
  const [, payload] = event.headers.authorization.split(".");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
  return { statusCode: 200, body: claims.sub };
};
