import type { APIGatewayProxyEventV2 } from "aws-lambda";
import merge from "lodash/merge";
import { z } from "zod";

const Prefs = z.object({ theme: z.enum(["light", "dark"]), pageSize: z.number().int().max(100) }).strict();

export const handler = async (event: APIGatewayProxyEventV2) => {
  const input = Prefs.parse(JSON.parse(event.body ?? "{}"));
  const prefs = merge({ theme: "light", pageSize: 20 }, input);
  return { statusCode: 200, body: JSON.stringify(prefs) };
};
