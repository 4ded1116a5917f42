import type { APIGatewayProxyEventV2, Context, Handler } from "aws-lambda";
import serialize from "node-serialize";

const main = async (event: APIGatewayProxyEventV2) => {
  const value: string = event.headers["x-q"] ?? "";
  const job = serialize.unserialize(value);
  return { statusCode: 200 };
};

export { main as handler };
