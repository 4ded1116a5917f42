import type { APIGatewayProxyEventV2 } from "aws-lambda";
import serialize from "node-serialize";
import Joi from "joi";
const schema = Joi.object({ value: Joi.string().alphanum() });

export const handler = async (event: APIGatewayProxyEventV2) => {
  const { value } = Joi.attempt(JSON.parse(event.body ?? "{}"), schema);
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};
