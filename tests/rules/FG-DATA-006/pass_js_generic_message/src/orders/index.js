exports.handler = async (event) => {
  try {
    return { statusCode: 200, body: JSON.stringify(await load(event.pathParameters.id)) };
  } catch (err) {
    console.error("order failed", err);
    return { statusCode: err.statusCode || 500, body: JSON.stringify({ message: "internal error", requestId: event.requestContext.requestId }) };
  }
};

async function load(id) {
  return { id };
}
