const mysql = require("mysql2/promise");
const pool = mysql.createPool({ host: process.env.DB_HOST });

exports.handler = async (event) => {
  const value = parseInt(event.queryStringParameters.count, 10);
  await pool.query(`SELECT * FROM users WHERE name = '${value}'`);
  return { statusCode: 200 };
};
