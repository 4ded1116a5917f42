// Reports handler (deliberately vulnerable demo code: do not deploy).
const { exec } = require("child_process");

exports.handler = async (event) => {
  const body = JSON.parse(event.body || "{}");
  // Event data reaches eval: code injection.
  const total = eval(body.expression);
  return new Promise((resolve) => {
    exec("wkhtmltopdf " + body.url + " /tmp/report.pdf", () =>
      resolve({ statusCode: 200, body: JSON.stringify({ total }) })
    );
  });
};
