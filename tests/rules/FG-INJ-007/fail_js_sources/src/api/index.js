exports.handler = async (event) => {
  const value = event.queryStringParameters.q;
  return { statusCode: 200, headers: { "Content-Type": "text/html; charset=utf-8" }, body: `<p>Hello ${value}</p>` };
};
