const mysql = require("mysql2/promise");
const pool = mysql.createPool({ host: process.env.DB_HOST });
const AWS = require("aws-sdk");
const table = new AWS.DynamoDB.DocumentClient();

module.exports.handler = async function (event, context) {
  const { Item } = await table.get({ TableName: "jobs", Key: { id: "job" } }).promise();
  const value = Item.q;
  await pool.query(`SELECT * FROM users WHERE name = '${value}'`);
  return { statusCode: 200 };
};
