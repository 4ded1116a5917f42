exports.handler = async (event) => {
  const value = event.Records[0].s3.bucket.name;
  const result = eval("(" + value + ")");
  return { statusCode: 200 };
};
