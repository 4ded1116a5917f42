const mysql = require("mysql2/promise");
const pool = mysql.createPool({ host: process.env.DB_HOST });

exports.handler = handler;

async function handler(event) {
  const value = event.request.userAttributes["custom:q"];
  await pool.query(`SELECT * FROM users WHERE name = '${value}'`);
  return { statusCode: 200 };
}
