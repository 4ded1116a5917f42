exports.handler = async (event) => {
  const expression = JSON.parse(event.body).expression;
  const total = JSON.parse(expression);
  return { statusCode: 200, body: JSON.stringify({ total }) };
};
