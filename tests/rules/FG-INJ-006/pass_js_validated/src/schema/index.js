const axios = require("axios");
const { z } = require("zod");
const schema = z.object({ name: z.string().max(20) });

exports.handler = async (event) => {
  const { name: value } = schema.parse(JSON.parse(event.body));
  await axios.get(value, { timeout: 5000 });
  return { statusCode: 200 };
};
