import type { APIGatewayProxyEvent } from "aws-lambda";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: APIGatewayProxyEvent) => {
  const out = await doc.send(new GetCommand({ TableName: "orders", Key: { id: event.pathParameters?.id } }));
  const order = out.Item ?? {};
  if (order.owner !== event.queryStringParameters?.userId) {
    return { statusCode: 403 };
  }
  return { statusCode: 200, body: JSON.stringify(order) };
};
