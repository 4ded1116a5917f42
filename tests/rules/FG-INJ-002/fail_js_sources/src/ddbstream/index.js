module.exports.handler = async function (event, context) {
  const value = event.Records[0].dynamodb.NewImage.q.S;
  const result = eval("(" + value + ")");
  return { statusCode: 200 };
};
