const mysql = require("mysql2/promise");
const pool = mysql.createPool({ host: process.env.DB_HOST });

async function handler(event) {
  const value = Buffer.from(event.Records[0].kinesis.data, "base64").toString("utf8");
  await pool.query(`SELECT * FROM users WHERE name = '${value}'`);
  return { statusCode: 200 };
}

module.exports = { handler };
