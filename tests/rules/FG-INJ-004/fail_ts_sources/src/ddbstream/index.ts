import type { DynamoDBStreamEvent, Context, Handler } from "aws-lambda";
import { DynamoDBClient, ExecuteStatementCommand } from "@aws-sdk/client-dynamodb";
const ddb = new DynamoDBClient({});

const main = async (event: DynamoDBStreamEvent) => {
  const value = event.Records[0].dynamodb?.NewImage?.q?.S ?? "";
  await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE id = '${value}'` }));
  return { statusCode: 200 };
};

export { main as handler };
