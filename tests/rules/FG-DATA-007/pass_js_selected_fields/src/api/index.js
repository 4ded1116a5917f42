exports.handler = async (event) => {
  console.log("request", { path: event.path, method: event.httpMethod, id: event.requestContext.requestId });
  return { statusCode: 200 };
};
