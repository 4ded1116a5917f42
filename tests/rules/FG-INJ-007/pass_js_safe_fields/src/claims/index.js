exports.handler = async (event) => {
  const { sub } = event.requestContext.authorizer.claims;
  const value = `${sub} ${event.httpMethod} ${event.headers.Host}`;
  return { statusCode: 200, headers: { "Content-Type": "text/html" }, body: `<p>${value}</p>` };
};
