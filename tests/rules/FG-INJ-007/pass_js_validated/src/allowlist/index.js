const FORMATS = ["png", "jpg", "webp"];

exports.handler = async (event) => {
  const value = event.queryStringParameters.format;
  if (!FORMATS.includes(value)) {
    return { statusCode: 400 };
  }
  return { statusCode: 200, headers: { "Content-Type": "text/html" }, body: `<p>${value}</p>` };
};
