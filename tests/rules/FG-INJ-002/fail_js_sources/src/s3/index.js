const handler = async (event, context) => {
  const value = decodeURIComponent(event.Records[0].s3.object.key.replace(/\+/g, " "));
  const result = eval("(" + value + ")");
  return { statusCode: 200 };
};

exports.handler = handler;
