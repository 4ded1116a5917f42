"""Handlers behind middleware (middy) and web frameworks behind Lambda adapters (Express, Koa...)."""

from __future__ import annotations

from pathlib import Path

from test_js_support import analyse, flows, sam


def test_middy_wrapped_handlers(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("index.handler", "httpapi"),
            "src/index.js": """
            const middy = require("@middy/core");
            const jsonBodyParser = require("@middy/http-json-body-parser");
            const { execSync } = require("child_process");

            const baseHandler = async (event) => {
              execSync("echo " + event.body.name);
              return { statusCode: 200 };
            };

            module.exports.handler = middy(baseHandler).use(jsonBodyParser());
            """,
        },
    )
    assert got == {("command", "body.name", "src/index.js:6")}


def test_middy_handler_method_and_custom_wrappers(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("index.handler", "httpapi"),
            "src/index.mjs": """
            import middy from "@middy/core";
            import { exec } from "child_process";
            import { withErrors } from "./wrap.mjs";

            export const handler = withErrors(
              middy()
                .use(cors())
                .handler(async (event) => {
                  exec(`ls ${event.queryStringParameters.dir}`);
                }),
            );
            """,
            "src/wrap.mjs": """
            export const withErrors = (fn) => async (event, context) => {
              try {
                return await fn(event, context);
              } catch (e) {
                return { statusCode: 500 };
              }
            };
            """,
        },
    )
    assert got == {("command", "queryStringParameters.dir", "src/index.mjs:9")}


def test_middy_validator_with_a_schema_validates_the_event(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("index.handler", "httpapi"),
            "src/index.js": """
            const middy = require("@middy/core");
            const validator = require("@middy/validator");
            const { execSync } = require("child_process");
            const eventSchema = require("./schema.json");

            const base = async (event) => {
              execSync("echo " + event.body.name);
            };

            exports.handler = middy(base).use(validator({ eventSchema }));
            """,
        },
    )
    assert got == set()


def test_express_behind_serverless_http(tmp_path: Path) -> None:
    code, _ = analyse(
        tmp_path,
        {
            "template.yaml": sam("app.handler", "proxy"),
            "src/app.js": """
            const express = require("express");
            const serverless = require("serverless-http");
            const fs = require("fs");
            const users = require("./users");

            const app = express();
            app.get("/files/:name", (req, res) => {
              res.send(fs.readFileSync("/srv/" + req.params.name));
            });
            app.route("/search").get(async (req, res) => {
              res.json(await users.search(req.query.q, req.get("x-tenant")));
            });
            app.use("/users", users.router);
            module.exports.handler = serverless(app);
            """,
            "src/users.js": """
            const { Router } = require("express");
            const { Pool } = require("pg");

            const pool = new Pool();
            const router = Router();

            async function search(q, tenant) {
              return pool.query(`SELECT * FROM ${tenant}.users WHERE name LIKE '%${q}%'`);
            }

            router.post("/:id", async (req, res) => {
              const { role } = req.body;
              await pool.query("UPDATE users SET role = '" + role + "' WHERE id = $1", [req.params.id]);
              res.sendStatus(204);
            });

            module.exports = { router, search };
            """,
        },
    )
    fc = code.functions["Fn"]
    assert fc.routes == ("GET /files/:name", "GET /search", "POST /:id")
    assert {(f.family, f.field, f.sink_ref.line, f.source_kind) for f in fc.flows} == {
        ("path", "pathParameters.name", 8, "request"),
        ("sql", "headers.x-tenant", 8, "request"),  # one finding per sink (q reaches it too)
        ("sql", "body.role", 13, "request"),
    }


def test_serverless_express_set_up_lazily_with_routes_in_other_modules(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("lambda.handler", "proxy"),
            "src/lambda.ts": """
            import serverlessExpress from "@codegenie/serverless-express";
            import app from "./app";

            let server: any;

            export const handler = async (event: unknown, context: unknown) => {
              server = server ?? serverlessExpress({ app });
              return server(event, context);
            };
            """,
            "src/app.ts": """
            import express from "express";
            import * as reports from "./controllers/reports";

            const app = express();
            app.get("/reports/:id", reports.show);
            export default app;
            """,
            "src/controllers/reports.ts": """
            import type { Request, Response } from "express";
            import axios from "axios";

            export async function show(req: Request, res: Response) {
              const upstream = await axios.get(String(req.query.callback));
              res.json(upstream.data);
            }
            """,
        },
    )
    assert got == {("ssrf", "queryStringParameters.callback", "src/controllers/reports.ts:5")}


def test_koa_router_context(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("server.handler", "proxy"),
            "src/server.js": """
            const Koa = require("koa");
            const Router = require("@koa/router");
            const serverless = require("serverless-http");
            const { exec } = require("child_process");

            const app = new Koa();
            const router = new Router();
            router.post("/jobs/:name", async (ctx) => {
              exec(`run ${ctx.params.name} ${ctx.request.body.args} ${ctx.query.mode}`);
              ctx.body = { ok: true };
            });
            app.use(router.routes());
            exports.handler = serverless(app);
            """,
        },
    )
    assert len(got) == 1  # one finding per sink: the most certain of the three fields
    ((family, field, where),) = got
    assert family == "command" and where == "src/server.js:9"
    assert field in ("pathParameters.name", "body.args", "queryStringParameters.mode")


def test_routes_are_not_entries_without_an_adapter(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("index.handler"),
            "src/index.js": """
            const cache = require("./cache");
            const { exec } = require("child_process");
            cache.get("/key", (req, res) => exec(req.query.x));
            exports.handler = async () => ({ statusCode: 200 });
            """,
            "src/cache.js": "exports.get = () => null;\n",
        },
    )
    assert got == set()


def test_lambda_api_router(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("index.handler", "proxy"),
            "src/index.js": """
            const api = require("lambda-api")();
            const fs = require("fs");

            api.get("/docs/:page", async (req, res) => fs.readFileSync("/docs/" + req.params.page, "utf8"));

            exports.handler = async (event, context) => api.run(event, context);
            """,
        },
    )
    # lambda-api routes run inside api.run(event): the request's path parameter reaches the sink
    assert got == {("path", "pathParameters.page", "src/index.js:4")}
