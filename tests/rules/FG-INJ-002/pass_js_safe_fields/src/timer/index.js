exports.handler = async (event) => {
  const value = event.time;
  const result = eval("(" + value + ")");
  return { statusCode: 200 };
};
