const cp = require("child_process");

exports.handler = async (event) => {
  for (const record of event.Records) {
    cp.execFileSync("gzip", [record.s3.object.key]);
  }
};
