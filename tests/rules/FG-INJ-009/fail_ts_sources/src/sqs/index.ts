import type { SQSEvent, Context, Handler } from "aws-lambda";
import merge from "lodash/merge";
const DEFAULTS = { theme: "light" };

const main = async (event: SQSEvent) => {
  for (const record of event.Records) {
    const value = JSON.parse(record.body);
    const settings = merge({}, DEFAULTS, value);
  }
  return { statusCode: 200 };
};

export { main as handler };
