const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager");

const client = new SecretsManagerClient({});
const config = { password: process.env.DB_PASSWORD, apiKey: "changeme", token: "<your-token-here>" };

exports.handler = async () => {
  const secret = await client.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_ARN }));
  const password = "";
  return { statusCode: 200, body: String(Boolean(secret && config && password)) };
};
