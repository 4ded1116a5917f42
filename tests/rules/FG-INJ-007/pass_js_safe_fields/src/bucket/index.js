exports.handler = async (event) => {
  const value = event.Records[0].s3.bucket.name;
  return { statusCode: 200, headers: { "Content-Type": "text/html" }, body: `<p>${value}</p>` };
};
