const ALLOWED_HOSTS = ["images.example.com", "cdn.example.com"];

exports.handler = async (event) => {
  const { url } = JSON.parse(event.body);
  if (!ALLOWED_HOSTS.includes(new URL(url).hostname)) {
    return { statusCode: 400, body: "host not allowed" };
  }
  const res = await fetch(url);
  return { statusCode: 200, body: await res.text() };
};
