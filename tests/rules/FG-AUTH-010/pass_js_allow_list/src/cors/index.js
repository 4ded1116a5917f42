const ALLOWED = ["https://app.example.com", "https://admin.example.com"];

exports.handler = async (event) => {
  const origin = event.headers.origin || "";
  const headers = { "Access-Control-Allow-Origin": "https://app.example.com" };
  if (ALLOWED.includes(origin)) {
    headers["Access-Control-Allow-Origin"] = origin;
  }
  return { statusCode: 200, headers, body: "ok" };
};
