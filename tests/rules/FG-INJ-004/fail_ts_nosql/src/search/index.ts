import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { User } from "./models/user";

const ddb = new DynamoDBClient({});

export const handler = async (event: APIGatewayProxyEventV2) => {
  const body = JSON.parse(event.body ?? "{}");
  const user = await User.findOne({ email: body.email, password: body.password });
  const params = { TableName: "orders", FilterExpression: `status = ${body.status}` };
  const orders = await ddb.send(new ScanCommand(params));
  return { statusCode: 200, body: JSON.stringify({ user, orders }) };
};
