exports.handler = async (event) => {
  const { sub } = event.requestContext.authorizer.claims;
  const value = `${sub} ${event.httpMethod} ${event.headers.Host}`;
  const result = eval("(" + value + ")");
  return { statusCode: 200 };
};
