const mysql = require("mysql2/promise");
const pool = mysql.createPool({ host: process.env.DB_HOST });
const { z } = require("zod");
const schema = z.object({ name: z.string().max(20) });

exports.handler = async (event) => {
  const { name: value } = schema.parse(JSON.parse(event.body));
  await pool.query(`SELECT * FROM users WHERE name = '${value}'`);
  return { statusCode: 200 };
};
