exports.handler = async (event) => {
  const value = event.queryStringParameters.name;
  if (!/^[a-z0-9]{1,16}$/.test(value)) {
    throw new Error("bad name");
  }
  return { statusCode: 200, headers: { "Content-Type": "text/html" }, body: `<p>${value}</p>` };
};
