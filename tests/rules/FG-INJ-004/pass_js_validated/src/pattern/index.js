const mysql = require("mysql2/promise");
const pool = mysql.createPool({ host: process.env.DB_HOST });

exports.handler = async (event) => {
  const value = event.queryStringParameters.name;
  if (!/^[a-z0-9]{1,16}$/.test(value)) {
    throw new Error("bad name");
  }
  await pool.query(`SELECT * FROM users WHERE name = '${value}'`);
  return { statusCode: 200 };
};
