import middy from "@middy/core";
import httpJsonBodyParser from "@middy/http-json-body-parser";
import httpErrorHandler from "@middy/http-error-handler";
import type { APIGatewayProxyEventV2 } from "aws-lambda";

type Body = { discount: string };

const baseHandler = async (event: APIGatewayProxyEventV2 & { body: Body }) => {
  const discount = new Function("price", `return ${event.body.discount};`);
  return { statusCode: 200, body: JSON.stringify({ total: discount(100) }) };
};

export const main = middy(baseHandler).use(httpJsonBodyParser()).use(httpErrorHandler());
