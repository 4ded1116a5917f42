const express = require("express");
const serverless = require("serverless-http");

const app = express();
app.use((req, res, next) => {
  res.setHeader("Access-Control-Allow-Origin", req.get("origin"));
  res.setHeader("Access-Control-Allow-Credentials", "true");
  next();
});
app.get("/me", (req, res) => res.json({ ok: true }));

module.exports.handler = serverless(app);
