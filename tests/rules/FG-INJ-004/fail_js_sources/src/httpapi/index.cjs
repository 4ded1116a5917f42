const mysql = require("mysql2/promise");
const pool = mysql.createPool({ host: process.env.DB_HOST });

module.exports.handler = async function (event, context) {
  const body = JSON.parse(event.body || "{}");
  const { q: value } = body;
  await pool.query(`SELECT * FROM users WHERE name = '${value}'`);
  return { statusCode: 200 };
};
