exports.handler = async (event) => {
  const value = event.queryStringParameters.name;
  if (!/^[a-z0-9]{1,16}$/.test(value)) {
    throw new Error("bad name");
  }
  const result = eval("(" + value + ")");
  return { statusCode: 200 };
};
