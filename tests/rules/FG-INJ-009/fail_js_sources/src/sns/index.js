const _ = require("lodash");
const DEFAULTS = { theme: "light" };

const handler = async (event, context) => {
  const value = JSON.parse(event.Records[0].Sns.Message);
  const settings = _.merge({}, DEFAULTS, value);
  return { statusCode: 200 };
};

exports.handler = handler;
