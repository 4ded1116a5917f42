const { getOrder } = require("./store");

exports.handler = async (event) => {
  try {
    const order = await getOrder(event.pathParameters.id);
    return { statusCode: 200, body: JSON.stringify(order) };
  } catch (err) {
    return { statusCode: 500, body: JSON.stringify({ message: err.message, stack: err.stack }) };
  }
};
