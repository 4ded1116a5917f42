exports.handler = async (event) => {
  const value = event.time;
  return { statusCode: 200, headers: { "Content-Type": "text/html" }, body: `<p>${value}</p>` };
};
