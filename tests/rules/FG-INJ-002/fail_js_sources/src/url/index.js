async function handler(event) {
  const value = event.headers["x-q"] || "";
  const result = eval("(" + value + ")");
  return { statusCode: 200 };
}

module.exports = { handler };
