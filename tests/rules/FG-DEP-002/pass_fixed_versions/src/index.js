const _ = require("lodash");

exports.handler = async (event) => _.pick(event, ["id"]);
