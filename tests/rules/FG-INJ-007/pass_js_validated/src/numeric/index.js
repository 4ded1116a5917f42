exports.handler = async (event) => {
  const value = parseInt(event.queryStringParameters.count, 10);
  return { statusCode: 200, headers: { "Content-Type": "text/html" }, body: `<p>${value}</p>` };
};
