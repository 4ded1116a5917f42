const { execSync } = require("child_process");
const { z } = require("zod");
const schema = z.object({ name: z.string().max(20) });

exports.handler = async (event) => {
  const { name: value } = schema.parse(JSON.parse(event.body));
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
