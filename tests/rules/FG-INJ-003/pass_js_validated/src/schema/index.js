const serialize = require("node-serialize");
const { z } = require("zod");
const schema = z.object({ name: z.string().max(20) });

exports.handler = async (event) => {
  const { name: value } = schema.parse(JSON.parse(event.body));
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
