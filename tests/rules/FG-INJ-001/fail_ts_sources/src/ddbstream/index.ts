import type { DynamoDBStreamEvent, Context, Handler } from "aws-lambda";
import { execSync } from "node:child_process";

const main = async (event: DynamoDBStreamEvent) => {
  const value = event.Records[0].dynamodb?.NewImage?.q?.S ?? "";
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};

export { main as handler };
