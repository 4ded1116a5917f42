const fs = require("fs");
const key = fs.readFileSync(__dirname + "/keys/signing.pem", "utf8");

exports.handler = async () => ({ statusCode: 200, body: String(key.length) });
