const mysql = require("mysql2/promise");
const pool = mysql.createPool({ host: process.env.DB_HOST });

async function handler(event) {
  const res = await fetch("https://partner.example.com/feed");
  const value = (await res.json()).q;
  await pool.query(`SELECT * FROM users WHERE name = '${value}'`);
  return { statusCode: 200 };
}

module.exports = { handler };
