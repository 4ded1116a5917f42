const { execSync } = require("child_process");

exports.handler = handler;

async function handler(event) {
  for (const record of event.Records) {
    const value = record.body;
    execSync(`convert ${value} out.png`);
  }
  return { statusCode: 200 };
}
