exports.handler = async (event) => {
  const name = event.queryStringParameters.name;
  return { statusCode: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ hello: name }) };
};
