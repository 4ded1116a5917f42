const _ = require("lodash");

exports.handler = async (event) => {
  const filters = _.merge({ limit: 10 }, event.queryStringParameters);
  return { statusCode: 200, body: JSON.stringify(filters) };
};
