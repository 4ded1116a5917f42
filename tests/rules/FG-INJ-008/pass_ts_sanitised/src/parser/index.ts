import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { XMLParser } from "fast-xml-parser";
import libxmljs from "libxmljs2";

export const handler = async (event: APIGatewayProxyEventV2) => {
  const order = new XMLParser().parse(event.body ?? "");
  const doc = libxmljs.parseXml(event.body ?? "");
  return { statusCode: 200, body: JSON.stringify({ order, root: doc.root()?.name() }) };
};
