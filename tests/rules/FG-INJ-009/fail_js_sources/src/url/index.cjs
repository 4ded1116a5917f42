const _ = require("lodash");
const DEFAULTS = { theme: "light" };

module.exports.handler = async function (event, context) {
  const value = JSON.parse(event.body);
  const settings = _.merge({}, DEFAULTS, value);
  return { statusCode: 200 };
};
