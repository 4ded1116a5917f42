import type { DynamoDBStreamEvent, Context, Handler } from "aws-lambda";

const main = async (event: DynamoDBStreamEvent) => {
  const value = event.Records[0].dynamodb?.NewImage?.q?.S ?? "";
  await fetch(value);
  return { statusCode: 200 };
};

export { main as handler };
