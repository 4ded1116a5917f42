import type { APIGatewayProxyEvent } from "aws-lambda";

const OPS: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
};

export const handler = async (event: APIGatewayProxyEvent) => {
  const { op = "add", a = "0", b = "0" } = event.queryStringParameters ?? {};
  const fn = OPS[op];
  const result = fn ? fn(Number(a), Number(b)) : eval(String(parseFloat(a)));
  return { statusCode: 200, body: JSON.stringify({ result }) };
};
