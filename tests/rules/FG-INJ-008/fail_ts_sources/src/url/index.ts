import type { APIGatewayProxyEventV2, Context, Handler } from "aws-lambda";
import libxmljs from "libxmljs2";

const main = async (event: APIGatewayProxyEventV2) => {
  const value: string = event.headers["x-q"] ?? "";
  const doc = libxmljs.parseXmlString(value, { noent: true, nonet: false });
  return { statusCode: 200 };
};

export { main as handler };
