import type { SNSEvent, Context, Handler } from "aws-lambda";
import merge from "lodash/merge";
const DEFAULTS = { theme: "light" };

export const handler: Handler<SNSEvent> = async (event) => {
  const value = JSON.parse(event.Records[0].Sns.Message);
  const settings = merge({}, DEFAULTS, value);
  return { statusCode: 200 };
};
