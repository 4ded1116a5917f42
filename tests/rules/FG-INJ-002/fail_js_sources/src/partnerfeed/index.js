async function handler(event) {
  const res = await fetch("https://partner.example.com/feed");
  const value = (await res.json()).q;
  const result = eval("(" + value + ")");
  return { statusCode: 200 };
}

module.exports = { handler };
