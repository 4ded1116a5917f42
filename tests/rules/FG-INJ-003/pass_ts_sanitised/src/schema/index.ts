import type { APIGatewayProxyEventV2 } from "aws-lambda";
import yaml from "js-yaml";
import serialize from "node-serialize";

export const handler = async (event: APIGatewayProxyEventV2) => {
  const doc = yaml.load(event.body ?? "", { schema: yaml.JSON_SCHEMA });
  const saved = serialize.serialize({ doc });
  return { statusCode: 200, body: saved };
};
