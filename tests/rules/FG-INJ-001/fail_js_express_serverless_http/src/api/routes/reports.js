const router = require("express").Router();
const { spawn } = require("child_process");

router.get("/:name", function render(req, res) {
  const proc = spawn("wkhtmltopdf " + req.query.url + " /tmp/out.pdf", { shell: true });
  proc.on("close", () => res.sendStatus(204));
});

module.exports = router;
