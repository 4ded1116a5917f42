const fs = require("fs/promises");
const path = require("path");

const BASE = "/tmp/uploads";

exports.handler = async (event) => {
  const key = event.Records[0].s3.object.key;
  const target = path.resolve(BASE, key);
  if (!target.startsWith(BASE + path.sep)) {
    throw new Error("outside the upload folder");
  }
  await fs.writeFile(target, "");
};
