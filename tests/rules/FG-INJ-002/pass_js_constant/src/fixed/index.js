exports.handler = async (event) => {
  const value = process.env.STAGE || "dev";
  const result = eval("(" + value + ")");
  return { statusCode: 200 };
};
