async function handler(event) {
  const value = event.headers["x-q"] || "";
  return { statusCode: 200, headers: { "Content-Type": "text/html; charset=utf-8" }, body: `<p>Hello ${value}</p>` };
}

module.exports = { handler };
