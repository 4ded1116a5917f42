const { Pool } = require("pg");
const pool = new Pool();

exports.handler = async (event) => {
  const { id } = JSON.parse(event.body);
  const res = await pool.query({ text: "SELECT * FROM orders WHERE id = $1", values: [id] });
  return { statusCode: 200, body: JSON.stringify(res.rows) };
};
