import type { APIGatewayProxyEventV2, Context, Handler } from "aws-lambda";
import { DynamoDBClient, ExecuteStatementCommand } from "@aws-sdk/client-dynamodb";
const ddb = new DynamoDBClient({});

const main = async (event: APIGatewayProxyEventV2) => {
  const value: string = event.headers["x-q"] ?? "";
  await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE id = '${value}'` }));
  return { statusCode: 200 };
};

export { main as handler };
