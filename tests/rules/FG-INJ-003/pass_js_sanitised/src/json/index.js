exports.handler = async (event) => {
  const job = JSON.parse(Buffer.from(event.body, "base64").toString());
  return { statusCode: 200, body: JSON.stringify(job) };
};
