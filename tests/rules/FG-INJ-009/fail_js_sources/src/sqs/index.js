const _ = require("lodash");
const DEFAULTS = { theme: "light" };

async function handler(event) {
  for (const record of event.Records) {
    const value = JSON.parse(record.body);
    const settings = _.merge({}, DEFAULTS, value);
  }
  return { statusCode: 200 };
}

module.exports = { handler };
