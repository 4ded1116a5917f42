exports.handler = async (event) => {
  const delay = Number(event.queryStringParameters.delay);
  await new Promise((resolve) => setTimeout(() => resolve(event.queryStringParameters.name), delay));
  eval("1 + " + delay);
  return { statusCode: 200 };
};
