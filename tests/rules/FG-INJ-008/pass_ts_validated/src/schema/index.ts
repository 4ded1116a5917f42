import type { APIGatewayProxyEventV2 } from "aws-lambda";
import libxmljs from "libxmljs2";
import Joi from "joi";
const schema = Joi.object({ value: Joi.string().alphanum() });

export const handler = async (event: APIGatewayProxyEventV2) => {
  const { value } = Joi.attempt(JSON.parse(event.body ?? "{}"), schema);
  const doc = libxmljs.parseXmlString(value, { noent: true, nonet: false });
  return { statusCode: 200 };
};
