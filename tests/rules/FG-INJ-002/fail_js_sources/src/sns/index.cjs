exports.handler = async (event) => {
  const value = event.Records[0].Sns.Message;
  const result = eval("(" + value + ")");
  return { statusCode: 200 };
};
