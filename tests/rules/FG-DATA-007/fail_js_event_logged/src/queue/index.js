const { Logger, injectLambdaContext } = require("@aws-lambda-powertools/logger");
const middy = require("@middy/core");

const logger = new Logger();

const process = async (event) => {
  logger.info("batch", { event });
};

exports.handler = middy(process).use(injectLambdaContext(logger, { logEvent: true }));
