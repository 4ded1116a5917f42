const AWS = require("aws-sdk");
const table = new AWS.DynamoDB.DocumentClient();

module.exports.handler = async function (event, context) {
  const { Item } = await table.get({ TableName: "jobs", Key: { id: "job" } }).promise();
  const value = Item.q;
  const result = eval("(" + value + ")");
  return { statusCode: 200 };
};
