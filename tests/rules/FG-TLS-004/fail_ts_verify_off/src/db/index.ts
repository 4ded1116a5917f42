import { Client } from "pg";

const client = new Client({ connectionString: process.env.DATABASE_URL, ssl: { rejectUnauthorized: false } });

export const handler = async () => {
  await client.connect();
  return { statusCode: 200 };
};
