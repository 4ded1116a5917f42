function makeResetToken() {
  return Math.random().toString(36).slice(2);
}

exports.handler = async () => {
  const sessionId = Math.floor(Math.random() * 1e16).toString(16);
  return { statusCode: 200, body: JSON.stringify({ token: makeResetToken(), sessionId }) };
};
