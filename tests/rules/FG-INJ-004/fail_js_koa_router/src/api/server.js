const Koa = require("koa");
const Router = require("@koa/router");
const serverless = require("serverless-http");
const db = require("./db");

const app = new Koa();
const router = new Router();

router.get("/users", async (ctx) => {
  ctx.body = await db.raw(`SELECT * FROM users WHERE team = '${ctx.query.team}'`);
});
router.get("/users/:id", async (ctx) => {
  ctx.body = await db("users").whereRaw("id = " + ctx.params.id);
});

app.use(router.routes());
module.exports.handler = serverless(app);
