const { z } = require("zod");
const schema = z.object({ name: z.string().max(20) });

exports.handler = async (event) => {
  const { name: value } = schema.parse(JSON.parse(event.body));
  return { statusCode: 200, headers: { "Content-Type": "text/html" }, body: `<p>${value}</p>` };
};
