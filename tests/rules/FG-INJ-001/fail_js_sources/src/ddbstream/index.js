const { execSync } = require("child_process");

module.exports.handler = async function (event, context) {
  const value = event.Records[0].dynamodb.NewImage.q.S;
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
