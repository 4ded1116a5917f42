exports.handler = async (event) => {
  const [major, minor] = event.queryStringParameters.version.split(".");
  const host = event.headers.Host.split(".");
  const region = host[1];
  const label = Buffer.from(host[1]).toString("hex");
  const body = Buffer.from(event.body, "base64").toString();
  return { statusCode: 200, body: JSON.stringify({ major, minor, region, label, body }) };
};
