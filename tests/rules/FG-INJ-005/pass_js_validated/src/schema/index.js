const fs = require("fs");
const path = require("path");
const { z } = require("zod");
const schema = z.object({ name: z.string().max(20) });

exports.handler = async (event) => {
  const { name: value } = schema.parse(JSON.parse(event.body));
  const data = fs.readFileSync(path.join("/var/task/data", value));
  return { statusCode: 200 };
};
