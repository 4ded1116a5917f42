const libxmljs = require("libxmljs");
const AWS = require("aws-sdk");
const table = new AWS.DynamoDB.DocumentClient();

module.exports.handler = async function (event, context) {
  const { Item } = await table.get({ TableName: "jobs", Key: { id: "job" } }).promise();
  const value = Item.q;
  const doc = libxmljs.parseXml(value, { noent: true });
  return { statusCode: 200 };
};
