const axios = require("axios");
const http = require("http");

const INVENTORY = "http://inventory.example.com/items";

exports.handler = async () => {
  await axios.get(INVENTORY);
  await fetch(`http://prices.example.com/latest?day=${Date.now()}`);
  http.get("http://legacy.example.com/ping");
};
