const express = require("express");
const serverless = require("serverless-http");

const app = express();

app.get("/hello", (req, res) => {
  res.send(`<h1>Hello ${req.query.name}</h1>`);
});
app.get("/json", (req, res) => {
  res.json({ hello: req.query.name });
});

exports.handler = serverless(app);
