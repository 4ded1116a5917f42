const fs = require("fs");
const path = require("path");
const AWS = require("aws-sdk");
const table = new AWS.DynamoDB.DocumentClient();

module.exports.handler = async function (event, context) {
  const { Item } = await table.get({ TableName: "jobs", Key: { id: "job" } }).promise();
  const value = Item.q;
  const data = fs.readFileSync(path.join("/var/task/data", value));
  return { statusCode: 200 };
};
