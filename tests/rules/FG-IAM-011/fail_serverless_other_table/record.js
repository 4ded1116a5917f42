const AWS = require("aws-sdk");

const documents = new AWS.DynamoDB.DocumentClient();

exports.handler = async (event) => {
  await documents.put({ TableName: process.env.TABLE, Item: { id: event.id, at: Date.now() } }).promise();
  return { ok: true };
};
