const _ = require("lodash");
const DEFAULTS = { theme: "light" };

exports.handler = handler;

async function handler(event) {
  const value = JSON.parse(Buffer.from(event.Records[0].kinesis.data, "base64").toString());
  const settings = _.merge({}, DEFAULTS, value);
  return { statusCode: 200 };
}
