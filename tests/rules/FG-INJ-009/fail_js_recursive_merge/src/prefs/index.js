const { merge } = require("./util");

const DEFAULTS = { theme: "light" };

exports.handler = async (event) => {
  const prefs = merge(merge({}, DEFAULTS), JSON.parse(event.body));
  return { statusCode: 200, body: JSON.stringify(prefs) };
};
