const escapeHtml = require("escape-html");

exports.handler = async (event) => {
  const name = escapeHtml(event.queryStringParameters.name);
  return { statusCode: 200, headers: { "Content-Type": "text/html" }, body: `<h1>Hello ${name}</h1>` };
};
