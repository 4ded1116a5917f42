const mysql = require("mysql2/promise");
const pool = mysql.createPool({ host: process.env.DB_HOST });

exports.handler = async (event) => {
  const { sub } = event.requestContext.authorizer.claims;
  const value = `${sub} ${event.httpMethod} ${event.headers.Host}`;
  await pool.query(`SELECT * FROM users WHERE name = '${value}'`);
  return { statusCode: 200 };
};
