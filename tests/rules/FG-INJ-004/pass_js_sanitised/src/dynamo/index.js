const { DynamoDBClient, ExecuteStatementCommand, QueryCommand } = require("@aws-sdk/client-dynamodb");
const client = new DynamoDBClient({});

exports.handler = async (event) => {
  const id = event.queryStringParameters.id;
  await client.send(new ExecuteStatementCommand({ Statement: "SELECT * FROM orders WHERE id = ?", Parameters: [{ S: id }] }));
  const params = { TableName: "orders", KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": { S: id } } };
  await client.send(new QueryCommand(params));
  return { statusCode: 200 };
};
