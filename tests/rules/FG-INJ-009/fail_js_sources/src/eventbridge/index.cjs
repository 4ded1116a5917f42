const _ = require("lodash");
const DEFAULTS = { theme: "light" };

exports.handler = async (event) => {
  const value = event.detail;
  const settings = _.merge({}, DEFAULTS, value);
  return { statusCode: 200 };
};
