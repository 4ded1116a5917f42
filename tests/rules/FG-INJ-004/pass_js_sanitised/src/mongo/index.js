const { MongoClient } = require("mongodb");
const client = new MongoClient(process.env.MONGO_URI);

exports.handler = async (event) => {
  const body = JSON.parse(event.body);
  const users = client.db("app").collection("users");
  const user = await users.findOne({ username: String(body.username), active: true });
  return { statusCode: user ? 200 : 404 };
};
