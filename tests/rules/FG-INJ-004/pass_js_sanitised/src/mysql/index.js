const mysql = require("mysql2/promise");
const pool = mysql.createPool({ host: process.env.DB_HOST });

exports.handler = async (event) => {
  const name = event.queryStringParameters.name;
  const [rows] = await pool.query("SELECT * FROM users WHERE name = ?", [name]);
  await pool.query(`SELECT * FROM users WHERE name = ${pool.escape(name)}`);
  return { statusCode: 200, body: JSON.stringify(rows) };
};
