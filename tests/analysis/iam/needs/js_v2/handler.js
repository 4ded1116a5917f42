const AWS = require("aws-sdk");
const SNS = require("aws-sdk/clients/sns");
const { table } = require("./db");

const docClient = new AWS.DynamoDB.DocumentClient();
const s3 = new AWS.S3();
const sns = new SNS();

async function remember(note) {
  await docClient.put({ TableName: table, Item: note }).promise();
}

module.exports.main = async (event) => {
  const note = JSON.parse(event.body);
  await remember(note);
  const found = await docClient.get({ TableName: table, Key: { id: note.id } }).promise();
  await docClient.batchWrite({ RequestItems: {} }).promise();
  await new AWS.DynamoDB().executeStatement({ Statement: "INSERT INTO notes VALUE {'id': '1'}" }).promise();
  const shared = await s3.getObject({ Bucket: "shared-assets", Key: "banner.txt" }).promise();
  await sns.publish({ TopicArn: process.env.TOPIC_ARN, Message: String(shared.Body) }).promise();
  return { statusCode: 200, body: JSON.stringify(found.Item) };
};
