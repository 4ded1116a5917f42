const mysql = require("mysql2/promise");
const pool = mysql.createPool({ host: process.env.DB_HOST });

module.exports.handler = async function (event, context) {
  const value = event.Records[0].dynamodb.NewImage.q.S;
  await pool.query(`SELECT * FROM users WHERE name = '${value}'`);
  return { statusCode: 200 };
};
