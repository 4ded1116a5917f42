const mysql = require("mysql2/promise");
const pool = mysql.createPool({ host: process.env.DB_HOST });

exports.handler = async (event) => {
  let value = event.queryStringParameters.q;
  if (!value) {
    value = "default";
  }
  value = "report";
  await pool.query(`SELECT * FROM users WHERE name = '${value}'`);
  return { statusCode: 200 };
};
