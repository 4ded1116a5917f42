const axios = require("axios");

exports.handler = async () => {
  await axios.get("https://inventory.example.com/items");
  await fetch("http://localhost:2773/secretsmanager/get?secretId=db");
  await fetch("http://169.254.169.254/latest/meta-data/");
};
