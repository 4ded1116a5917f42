module.exports.handler = async function (event, context) {
  const body = JSON.parse(event.body || "{}");
  const { q: value } = body;
  return { statusCode: 200, headers: { "Content-Type": "text/html; charset=utf-8" }, body: `<p>Hello ${value}</p>` };
};
