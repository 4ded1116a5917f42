import type { DynamoDBStreamEvent, Context, Handler } from "aws-lambda";
import { createReadStream } from "fs";

const main = async (event: DynamoDBStreamEvent) => {
  const value = event.Records[0].dynamodb?.NewImage?.q?.S ?? "";
  const stream = createReadStream(`/tmp/${value}`);
  return { statusCode: 200 };
};

export { main as handler };
