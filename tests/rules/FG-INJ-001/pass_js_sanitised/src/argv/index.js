const { execFile, spawn } = require("child_process");

exports.handler = async (event) => {
  const name = event.queryStringParameters.name;
  execFile("convert", [name, "out.png"], () => {});
  spawn("gzip", ["-k", name]);
  return { statusCode: 200 };
};
