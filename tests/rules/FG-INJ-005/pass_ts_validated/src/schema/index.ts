import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { createReadStream } from "fs";
import Joi from "joi";
const schema = Joi.object({ value: Joi.string().alphanum() });

export const handler = async (event: APIGatewayProxyEventV2) => {
  const { value } = Joi.attempt(JSON.parse(event.body ?? "{}"), schema);
  const stream = createReadStream(`/tmp/${value}`);
  return { statusCode: 200 };
};
