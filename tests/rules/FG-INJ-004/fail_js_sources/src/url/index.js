const mysql = require("mysql2/promise");
const pool = mysql.createPool({ host: process.env.DB_HOST });

async function handler(event) {
  const value = event.headers["x-q"] || "";
  await pool.query(`SELECT * FROM users WHERE name = '${value}'`);
  return { statusCode: 200 };
}

module.exports = { handler };
