const express = require("express");
const serverless = require("serverless-http");

const app = express();
const router = express.Router();
router.get("/", (req, res) => res.json([]));
router.get("/:id", (req, res) => res.json({ id: req.params.id }));
router.post("/", (req, res) => res.status(201).end());
router.get("/:id/items", (req, res) => res.json([]));
app.use("/orders", router);

module.exports.handler = serverless(app);
