exports.handler = async (event) => {
  const value = event.queryStringParameters.q;
  const result = eval("(" + value + ")");
  return { statusCode: 200 };
};
