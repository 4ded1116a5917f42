const _ = require("lodash");

exports.handler = async (event) => {
  const ids = _.uniq(event.Records.map((r) => r.messageId));
  return { count: ids.length };
};
