const mysql = require("mysql2/promise");
const pool = mysql.createPool({ host: process.env.DB_HOST });
const FORMATS = ["png", "jpg", "webp"];

exports.handler = async (event) => {
  const value = event.queryStringParameters.format;
  if (!FORMATS.includes(value)) {
    return { statusCode: 400 };
  }
  await pool.query(`SELECT * FROM users WHERE name = '${value}'`);
  return { statusCode: 200 };
};
