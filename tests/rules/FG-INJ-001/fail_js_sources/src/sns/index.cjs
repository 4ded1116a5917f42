const { execSync } = require("child_process");

exports.handler = async (event) => {
  const value = event.Records[0].Sns.Message;
  execSync(`convert ${value} out.png`);
  return { statusCode: 200 };
};
