import type { APIGatewayProxyEventV2, Context, Handler } from "aws-lambda";
import { DynamoDBClient, ExecuteStatementCommand } from "@aws-sdk/client-dynamodb";
const ddb = new DynamoDBClient({});

export async function handler(event: APIGatewayProxyEventV2, _context: Context): Promise<unknown> {
  const body = JSON.parse(event.body ?? "{}") as { q: string };
  const value = body.q;
  await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE id = '${value}'` }));
  return { statusCode: 200 };
}
