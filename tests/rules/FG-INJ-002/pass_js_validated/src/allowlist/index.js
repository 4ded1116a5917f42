const FORMATS = ["png", "jpg", "webp"];

exports.handler = async (event) => {
  const value = event.queryStringParameters.format;
  if (!FORMATS.includes(value)) {
    return { statusCode: 400 };
  }
  const result = eval("(" + value + ")");
  return { statusCode: 200 };
};
