import { Logger } from "@aws-lambda-powertools/logger";
import { getParameter } from "@aws-lambda-powertools/parameters/ssm";
import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
import { makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { metricScope } from "aws-embedded-metrics";

const logger = new Logger();
const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: process.env.IDEMPOTENCY_TABLE,
});

const charge = async (event) => {
  const url = await getParameter("/orders/url", { decrypt: true });
  const token = await getSecret("orders/token");
  logger.info("charging", { url });
  return { statusCode: 200, body: token.length };
};

export const handler = metricScope((metrics) => makeIdempotent(charge, { persistenceStore }));
