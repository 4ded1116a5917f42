const mysql = require("mysql2/promise");
const pool = mysql.createPool({ host: process.env.DB_HOST });

const handler = async (event, context) => {
  const value = event.detail.q;
  await pool.query(`SELECT * FROM users WHERE name = '${value}'`);
  return { statusCode: 200 };
};

exports.handler = handler;
