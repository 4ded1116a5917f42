import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { DynamoDBClient, ExecuteStatementCommand } from "@aws-sdk/client-dynamodb";
const ddb = new DynamoDBClient({});
import Joi from "joi";
const schema = Joi.object({ value: Joi.string().alphanum() });

export const handler = async (event: APIGatewayProxyEventV2) => {
  const { value } = Joi.attempt(JSON.parse(event.body ?? "{}"), schema);
  await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE id = '${value}'` }));
  return { statusCode: 200 };
};
