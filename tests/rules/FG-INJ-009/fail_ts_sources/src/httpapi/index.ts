import type { APIGatewayProxyEventV2, Context, Handler } from "aws-lambda";
import merge from "lodash/merge";
const DEFAULTS = { theme: "light" };

export const handler = async (event: APIGatewayProxyEventV2): Promise<unknown> => {
  const value = JSON.parse(event.body ?? "{}");
  const settings = merge({}, DEFAULTS, value);
  return { statusCode: 200 };
};
