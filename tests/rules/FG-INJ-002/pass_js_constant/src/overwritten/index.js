exports.handler = async (event) => {
  let value = event.queryStringParameters.q;
  if (!value) {
    value = "default";
  }
  value = "report";
  const result = eval("(" + value + ")");
  return { statusCode: 200 };
};
