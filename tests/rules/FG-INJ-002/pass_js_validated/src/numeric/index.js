exports.handler = async (event) => {
  const value = parseInt(event.queryStringParameters.count, 10);
  const result = eval("(" + value + ")");
  return { statusCode: 200 };
};
