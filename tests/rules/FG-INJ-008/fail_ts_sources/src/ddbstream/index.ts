import type { DynamoDBStreamEvent, Context, Handler } from "aws-lambda";
import libxmljs from "libxmljs2";

const main = async (event: DynamoDBStreamEvent) => {
  const value = event.Records[0].dynamodb?.NewImage?.q?.S ?? "";
  const doc = libxmljs.parseXmlString(value, { noent: true, nonet: false });
  return { statusCode: 200 };
};

export { main as handler };
