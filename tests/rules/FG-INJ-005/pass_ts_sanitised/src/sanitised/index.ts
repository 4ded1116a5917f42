import type { APIGatewayProxyEvent } from "aws-lambda";
import { readFile } from "node:fs/promises";
import sanitize from "sanitize-filename";

export const handler = async (event: APIGatewayProxyEvent) => {
  const name = sanitize(event.pathParameters?.name ?? "");
  const body = await readFile(`/opt/templates/${name}`, "utf8");
  return { statusCode: 200, body };
};
