import type { APIGatewayProxyEvent } from "aws-lambda";
import knex from "knex";

const db = knex({ client: "pg", connection: process.env.DATABASE_URL });

export const handler = async (event: APIGatewayProxyEvent) => {
  const name = event.queryStringParameters?.name ?? "";
  const rows = await db("users").where({ name }).select("id");
  const more = await db.raw("SELECT * FROM users WHERE name = ?", [name]);
  return { statusCode: 200, body: JSON.stringify({ rows, more }) };
};
