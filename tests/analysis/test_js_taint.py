"""The taint engine on JavaScript / TypeScript: propagation, modules, async chains, sanitisers."""

from __future__ import annotations

from pathlib import Path

from test_js_support import flows, sam


def test_destructuring_spread_templates_and_decoders(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("app.handler", "httpapi"),
            "src/app.js": """
            const { exec } = require("child_process");

            exports.handler = async ({ body, isBase64Encoded }) => {
              const raw = isBase64Encoded ? Buffer.from(body, "base64").toString() : body;
              const { user: { name }, tags = [], ...rest } = JSON.parse(raw);
              const copy = { ...rest, extra: 1 };
              exec(`echo ${decodeURIComponent(name)}`);
              exec("echo " + tags.join(","));
              exec(["echo", copy.other].join(" "));
              const [first] = tags;
              exec(`${first}`);
            };
            """,
        },
    )
    assert got == {
        ("command", "body.user.name", "src/app.js:7"),
        ("command", "body.tags", "src/app.js:8"),
        ("command", "body.other", "src/app.js:9"),
        ("command", "body.tags[]", "src/app.js:11"),
    }


def test_flows_across_commonjs_and_esm_modules(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("handlers/api.handler"),
            "src/handlers/api.mjs": """
            import { readNamed } from "../lib/index.mjs";
            import storage from "../lib/storage.cjs";
            import * as util from "../lib/util.mjs";

            export const handler = async (event) => {
              const q = event.queryStringParameters;
              await readNamed(util.clean(q.name));
              storage.remove(q.other);
            };
            """,
            "src/lib/index.mjs": 'export { readNamed } from "./files.mjs";\n',
            "src/lib/files.mjs": """
            import { readFile } from "node:fs/promises";
            import path from "node:path";

            export async function readNamed(name) {
              return readFile(path.join("/srv/files", name), "utf8");
            }
            """,
            "src/lib/storage.cjs": """
            const fs = require("fs");

            class Storage {
              constructor(base) {
                this.base = base;
              }
              remove(name) {
                fs.unlinkSync(`${this.base}/${name}`);
              }
            }

            module.exports = new Storage("/tmp");
            """,
            "src/lib/util.mjs": "export const clean = (s) => s.trim().toLowerCase();\n",
        },
    )
    assert got == {
        ("path", "queryStringParameters.name", "src/lib/files.mjs:5"),
        ("path", "queryStringParameters.other", "src/lib/storage.cjs:8"),
    }


def test_typescript_index_files_and_paths_without_extensions(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("index.handler", "sqs"),
            "src/index.ts": """
            import type { SQSEvent } from "aws-lambda";
            import { Repo } from "./repo";
            import { run } from "./jobs/index.js";

            export const handler = async (event: SQSEvent): Promise<void> => {
              const repo = new Repo();
              for (const record of event.Records) {
                const job = JSON.parse(record.body) as { id: number; cmd: string };
                const id: number = job.id;
                await repo.byId(id);
                run(job.cmd);
              }
            };
            """,
            "src/repo/index.ts": """
            import mysql from "mysql2/promise";

            export class Repo {
              private pool = mysql.createPool({ host: "db" });
              async byId(id: number) {
                return this.pool.query(`SELECT * FROM jobs WHERE id = ${id}`);
              }
            }
            """,
            "src/jobs/index.ts": """
            import { execSync } from "child_process";
            export const run = (cmd: string) => execSync(cmd);
            """,
        },
    )
    # `id: number` is a type, not a check: the value is still the sender's.
    assert got == {
        ("sql", "Records[].body.id", "src/repo/index.ts:6"),
        ("command", "Records[].body.cmd", "src/jobs/index.ts:2"),
    }


def test_promises_async_await_and_closures(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("app.handler"),
            "src/app.js": """
            const cp = require("child_process");
            const fs = require("fs");

            const load = (key) => Promise.resolve(key).then((k) => k.trim());

            exports.handler = async (event) => {
              const q = event.queryStringParameters;
              const name = await load(q.name);
              cp.exec("cat " + name);
              load(q.file).then((f) => fs.readFileSync(f));
              await new Promise((resolve, reject) => {
                cp.exec(`convert ${q.img}`, (err) => (err ? reject(err) : resolve()));
              });
              [q.a, q.b].forEach((item) => cp.execSync("echo " + item));
              const mapped = await Promise.all([q.c].map(async (c) => c + "!"));
              cp.exec(mapped[0]);
              setTimeout(() => cp.exec(q.later), 100);
            };
            """,
        },
    )
    assert got == {
        ("command", "queryStringParameters.name", "src/app.js:9"),
        ("path", "queryStringParameters.file", "src/app.js:10"),
        ("command", "queryStringParameters.img", "src/app.js:12"),
        ("command", "queryStringParameters.a", "src/app.js:14"),
        ("command", "queryStringParameters.c", "src/app.js:16"),
        ("command", "queryStringParameters.later", "src/app.js:17"),
    }


def test_async_chains_across_modules_with_callbacks(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("app.handler", "s3"),
            "src/app.js": """
            const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3");
            const { render } = require("./render");
            const s3 = new S3Client({});

            exports.handler = async (event) => {
              for (const record of event.Records) {
                const key = decodeURIComponent(record.s3.object.key);
                const obj = await s3.send(new GetObjectCommand({ Bucket: record.s3.bucket.name, Key: key }));
                const text = await obj.Body.transformToString();
                await render(key, text);
              }
            };
            """,
            "src/render.js": """
            const { exec } = require("child_process");
            const vm = require("vm");

            exports.render = (key, template) =>
              new Promise((resolve) => {
                exec(`pandoc /tmp/${key}`, () => resolve(vm.runInNewContext(template)));
              });
            """,
        },
    )
    assert got == {
        ("command", "Records[].s3.object.key", "src/render.js:6"),
        ("code", "an S3 object", "src/render.js:6"),
    }


def test_sanitisers_and_guards(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("app.handler"),
            "src/app.js": """
            const { exec } = require("child_process");
            const fs = require("fs");
            const path = require("path");
            const validator = require("validator");
            const MODES = new Set(["fast", "slow"]);

            exports.handler = async (event) => {
              const q = event.queryStringParameters;
              exec("seq " + parseInt(q.n, 10));
              exec("seq " + Number(q.m) * 2);
              exec("seq " + q.len.length);
              if (typeof q.count === "number") exec("seq " + q.count);
              if (MODES.has(q.mode)) exec("run --" + q.mode);
              if (["a", "b"].indexOf(q.letter) !== -1) exec("echo " + q.letter);
              if (!/^[0-9a-f]{8}$/.test(q.id)) throw new Error("bad id");
              exec("show " + q.id);
              if (validator.isUUID(q.uuid)) exec("show " + q.uuid);
              fs.readFileSync(path.join("/srv", path.basename(q.file)));
              exec("echo " + q.raw);
              return { statusCode: 200 };
            };
            """,
        },
    )
    assert got == {("command", "queryStringParameters.raw", "src/app.js:19")}


def test_second_order_sources_and_safe_event_fields(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("app.handler", "schedule"),
            "src/app.js": """
            const AWS = require("aws-sdk");
            const axios = require("axios");
            const { exec } = require("child_process");
            const s3 = new AWS.S3();
            const table = new AWS.DynamoDB.DocumentClient();

            exports.handler = async (event) => {
              const obj = await s3.getObject({ Bucket: "b", Key: "k" }).promise();
              exec(obj.Body.toString());
              const { Item } = await table.get({ TableName: "t", Key: { id: 1 } }).promise();
              exec(Item.cmd);
              const res = await axios.get("https://partner.example.com/feed");
              exec(res.data.cmd);
              exec("echo " + event.time + event.source);
            };
            """,
        },
    )
    assert got == {
        ("command", "an S3 object", "src/app.js:9"),
        ("command", "a DynamoDB item", "src/app.js:11"),
        ("command", "a third-party HTTP response", "src/app.js:13"),
    }


def test_handler_without_trigger_gets_medium_confidence(tmp_path: Path) -> None:
    from test_js_support import analyse

    code, _ = analyse(
        tmp_path,
        {
            "template.yaml": sam("app.handler", None),
            "src/app.js": 'exports.handler = async (e) => require("child_process").exec(e.cmd);\n',
        },
    )
    (flow,) = code.functions["Fn"].flows
    assert (flow.field, flow.confidence, flow.exposure) == ("cmd", "medium", None)


def test_related_steps_name_the_modules_crossed(tmp_path: Path) -> None:
    from test_js_support import analyse

    code, _ = analyse(
        tmp_path,
        {
            "template.yaml": sam("app.handler"),
            "src/app.js": """
            const { run } = require("./lib");
            exports.handler = async (event) => {
              const cmd = event.queryStringParameters.cmd;
              return run(cmd);
            };
            """,
            "src/lib.js": 'exports.run = (c) => require("child_process").execSync(c);\n',
        },
    )
    (flow,) = code.functions["Fn"].flows
    assert (flow.sink_ref.path, flow.sink_ref.line) == ("src/lib.js", 1)
    assert flow.source_ref is not None and (flow.source_ref.path, flow.source_ref.line) == ("src/app.js", 3)
    assert [(s.source.path, s.source.line, s.message) for s in flow.steps] == [
        ("src/app.js", 4, "passed to run()")
    ]
