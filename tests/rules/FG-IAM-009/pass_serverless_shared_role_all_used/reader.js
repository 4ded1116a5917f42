const { DynamoDBClient, GetItemCommand } = require("@aws-sdk/client-dynamodb");

const client = new DynamoDBClient({});

exports.handler = async (event) => {
  const out = await client.send(
    new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { id: { S: event.pathParameters.id } } })
  );
  return { statusCode: 200, body: JSON.stringify(out.Item) };
};
