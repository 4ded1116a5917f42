exports.handler = async (event) => {
  const origin = event.headers.origin || "*";
  const response = { statusCode: 200, headers: {}, body: "ok" };
  response.headers["Access-Control-Allow-Origin"] = origin;
  return response;
};
