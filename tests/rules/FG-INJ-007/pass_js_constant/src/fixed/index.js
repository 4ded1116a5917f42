exports.handler = async (event) => {
  const value = process.env.STAGE || "dev";
  return { statusCode: 200, headers: { "Content-Type": "text/html" }, body: `<p>${value}</p>` };
};
