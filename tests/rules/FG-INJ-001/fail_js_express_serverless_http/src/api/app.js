const express = require("express");
const serverless = require("serverless-http");
const { exec } = require("child_process");
const reports = require("./routes/reports");

const app = express();
app.use(express.json());

app.post("/convert/:format", (req, res) => {
  exec(`convert ${req.body.file} out.${req.params.format}`, (err) => {
    res.status(err ? 500 : 200).json({ ok: !err });
  });
});
app.use("/reports", reports);

module.exports.handler = serverless(app);
