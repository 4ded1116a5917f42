import type { DynamoDBStreamEvent, Context, Handler } from "aws-lambda";
import serialize from "node-serialize";

const main = async (event: DynamoDBStreamEvent) => {
  const value = event.Records[0].dynamodb?.NewImage?.q?.S ?? "";
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};

export { main as handler };
