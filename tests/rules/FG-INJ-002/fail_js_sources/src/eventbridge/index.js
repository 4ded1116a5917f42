const handler = async (event, context) => {
  const value = event.detail.q;
  const result = eval("(" + value + ")");
  return { statusCode: 200 };
};

exports.handler = handler;
