const libxmljs = require("libxmljs");
const { z } = require("zod");
const schema = z.object({ name: z.string().max(20) });

exports.handler = async (event) => {
  const { name: value } = schema.parse(JSON.parse(event.body));
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
};
