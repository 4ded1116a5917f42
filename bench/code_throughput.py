"""Throughput of faasguard's function-code analysis: lines of handler code analysed per second.

Usage::

    python bench/code_throughput.py                       # a generated project (deterministic)
    python bench/code_throughput.py --functions 400       # a bigger one
    python bench/code_throughput.py --language javascript # Node.js handlers (CommonJS + ESM)
    python bench/code_throughput.py --language typescript # TypeScript handlers
    python bench/code_throughput.py --language all        # each language, one line each
    python bench/code_throughput.py --corpus /work/corpus/serverless-patterns
    python bench/code_throughput.py --corpus DIR --scan   # also time a whole `faasguard scan`

The applications are loaded first (not timed); then the code analysis of every application
runs from a cold per-scan cache (every file parsed, lowered and analysed again), on one core,
`--repeat` times. The figure is lines of the Python files the analysis read (handlers and the
modules they import from their code folders) divided by the CPU seconds of the fastest run
(`time.process_time`, so other processes on the machine do not count). The target is 20,000
lines per second, for each language: the JavaScript / TypeScript figure includes tree-sitter's
parse, the lowering into the shared IR and the taint analysis (the grammars are loaded before the
timed runs, as a scan loads them once).

With `--scan`, `python -m faasguard scan DIR --format json` runs as a child process with every
rule on, and its wall time and peak RSS (`ru_maxrss`) are reported, for comparison with checkov's
CloudFormation run on the same corpus (bench/README.md).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HANDLER = '''"""Orders service {n} (generated for benchmarking)."""

import base64
import json
import logging
import os
import shlex
import subprocess
from urllib.parse import unquote

import boto3
import requests

from lib.store import Store, load_item
from lib.render import render_page, safe_name

logger = logging.getLogger(__name__)
s3 = boto3.client("s3")
TABLE = boto3.resource("dynamodb").Table(os.environ.get("TABLE", "orders"))
ALLOWED = {{"csv", "json", "xml"}}
BASE_URL = "https://api.example.com/v1/"


class Handler{n}:
    def __init__(self, event):
        self.event = event
        self.store = Store(TABLE)

    def body(self):
        raw = self.event.get("body") or "{{}}"
        if self.event.get("isBase64Encoded"):
            raw = base64.b64decode(raw).decode()
        return json.loads(raw)

    def run(self):
        body = self.body()
        kind = body.get("format", "json")
        if kind not in ALLOWED:
            return {{"statusCode": 400, "body": "bad format"}}
        items = [self.store.get(i) for i in body.get("ids", [])]
        total = sum(int(i.get("qty", 0)) for i in items if i)
        return {{"statusCode": 200, "body": json.dumps({{"total": total, "format": kind}})}}


def export(event, name):
    safe = safe_name(name)
    path = os.path.join("/tmp", safe)
    with open(path, "w") as fh:
        fh.write(json.dumps(event.get("queryStringParameters") or {{}}))
    subprocess.run(["gzip", path], check=True)
    return path


def fetch(item_id):
    resp = requests.get(BASE_URL + "items/" + str(item_id), timeout=5)
    data = resp.json()
    return {{k: v for k, v in data.items() if not k.startswith("_")}}


def {handler}(evt, ctx):
    params = evt.get("queryStringParameters") or {{}}
    name = unquote(params.get("name", "report"))
    try:
        if evt.get("httpMethod") == "POST":
            return Handler{n}(evt).run()
        report = export(evt, name)
        logger.info("exported %s", report)
        if params.get("debug") == "1":
            out = subprocess.check_output("ls -l " + shlex.quote(report), shell=True)
            logger.debug(out)
        page = render_page(load_item(TABLE, params.get("id", "0")))
        for i in range(3):
            page += "<p>%d</p>" % i
        obj = s3.get_object(Bucket=os.environ["BUCKET"], Key="templates/" + safe_name(name))
        template = obj["Body"].read().decode()
        return {{"statusCode": 200, "headers": {{"Content-Type": "application/json"}},
                "body": json.dumps({{"page": page, "template": len(template), "item": fetch(1)}})}}
    except KeyError as exc:
        logger.warning("missing %s", exc)
        return {{"statusCode": 400, "body": "missing field"}}
'''

STORE = '''"""Storage helpers (generated for benchmarking)."""

from decimal import Decimal

from boto3.dynamodb.conditions import Key


class Store:
    def __init__(self, table):
        self.table = table
        self.cache = {}

    def get(self, item_id):
        if item_id in self.cache:
            return self.cache[item_id]
        resp = self.table.query(KeyConditionExpression=Key("pk").eq(str(item_id)))
        items = resp.get("Items", [])
        found = items[0] if items else None
        self.cache[item_id] = found
        return found

    def put(self, item):
        clean = {k: (Decimal(str(v)) if isinstance(v, float) else v) for k, v in item.items()}
        self.table.put_item(Item=clean)
        return clean


def load_item(table, item_id):
    resp = table.get_item(Key={"pk": item_id})
    item = resp.get("Item") or {}
    name = item.get("name", "")
    return {"id": item_id, "name": name.strip(), "tags": sorted(item.get("tags", []))}
'''

RENDER = '''"""Rendering helpers (generated for benchmarking)."""

import html
import os
import re

_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


def safe_name(name):
    base = os.path.basename(name)
    return _SAFE.sub("_", base)[:64] or "file"


def render_page(item):
    title = html.escape(item.get("name", ""))
    rows = []
    for tag in item.get("tags", []):
        rows.append("<li>" + html.escape(str(tag)) + "</li>")
    return "<h1>" + title + "</h1><ul>" + "".join(rows) + "</ul>"
'''

JS_HANDLER = """// Orders service {n} (generated for benchmarking).
const {{ execFile }} = require("child_process");
const fs = require("fs");
const path = require("path");
const {{ S3Client, GetObjectCommand }} = require("@aws-sdk/client-s3");
const {{ DynamoDBClient }} = require("@aws-sdk/client-dynamodb");
const {{ DynamoDBDocumentClient, QueryCommand }} = require("@aws-sdk/lib-dynamodb");
const axios = require("axios");
const {{ Store, loadItem }} = require("./lib/store");
const {{ renderPage, safeName }} = require("./lib/render");

const s3 = new S3Client({{}});
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({{}}));
const TABLE = process.env.TABLE || "orders";
const ALLOWED = ["csv", "json", "xml"];
const BASE_URL = "https://api.example.com/v1/";

class Handler{n} {{
  constructor(event) {{
    this.event = event;
    this.store = new Store(doc, TABLE);
  }}

  body() {{
    let raw = this.event.body || "{{}}";
    if (this.event.isBase64Encoded) {{
      raw = Buffer.from(raw, "base64").toString("utf8");
    }}
    return JSON.parse(raw);
  }}

  async run() {{
    const body = this.body();
    const kind = body.format || "json";
    if (!ALLOWED.includes(kind)) {{
      return {{ statusCode: 400, body: "bad format" }};
    }}
    const items = await Promise.all((body.ids || []).map((id) => this.store.get(id)));
    const total = items.filter(Boolean).reduce((sum, i) => sum + Number(i.qty || 0), 0);
    return {{ statusCode: 200, body: JSON.stringify({{ total, format: kind }}) }};
  }}
}}

async function exportReport(event, name) {{
  const safe = safeName(name);
  const target = path.join("/tmp", safe);
  fs.writeFileSync(target, JSON.stringify(event.queryStringParameters || {{}}));
  await new Promise((resolve, reject) => {{
    execFile("gzip", [target], (err) => (err ? reject(err) : resolve()));
  }});
  return target;
}}

async function fetchItem(itemId) {{
  const resp = await axios.get(BASE_URL + "items/" + encodeURIComponent(String(itemId)), {{ timeout: 5000 }});
  const data = resp.data;
  return Object.fromEntries(Object.entries(data).filter(([k]) => !k.startsWith("_")));
}}

exports.{handler} = async (event, context) => {{
  const params = event.queryStringParameters || {{}};
  const name = decodeURIComponent(params.name || "report");
  try {{
    if (event.httpMethod === "POST") {{
      return await new Handler{n}(event).run();
    }}
    const report = await exportReport(event, name);
    console.log("exported", report);
    const {{ Items = [] }} = await doc.send(new QueryCommand({{
      TableName: TABLE,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: {{ ":pk": String(params.id || "0") }},
    }}));
    let page = renderPage(await loadItem(doc, TABLE, params.id || "0"));
    for (let i = 0; i < 3; i++) {{
      page += `<p>${{i}}</p>`;
    }}
    const obj = await s3.send(
      new GetObjectCommand({{ Bucket: process.env.BUCKET, Key: "templates/" + safeName(name) }}),
    );
    const template = await obj.Body.transformToString();
    return {{
      statusCode: 200,
      headers: {{ "Content-Type": "application/json" }},
      body: JSON.stringify({{
        page,
        template: template.length,
        items: Items.length,
        item: await fetchItem(1),
      }}),
    }};
  }} catch (err) {{
    console.warn("failed", err.name);
    return {{ statusCode: 400, body: "missing field" }};
  }}
}};
"""

JS_STORE = """// Storage helpers (generated for benchmarking).
const {{ GetCommand, QueryCommand, PutCommand }} = require("@aws-sdk/lib-dynamodb");

class Store {{
  constructor(doc, table) {{
    this.doc = doc;
    this.table = table;
    this.cache = new Map();
  }}

  async get(itemId) {{
    if (this.cache.has(itemId)) {{
      return this.cache.get(itemId);
    }}
    const resp = await this.doc.send(new QueryCommand({{
      TableName: this.table,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: {{ ":pk": String(itemId) }},
    }}));
    const found = (resp.Items || [])[0] || null;
    this.cache.set(itemId, found);
    return found;
  }}

  async put(item) {{
    const clean = {{ ...item, updatedAt: Date.now() }};
    await this.doc.send(new PutCommand({{ TableName: this.table, Item: clean }}));
    return clean;
  }}
}}

async function loadItem(doc, table, itemId) {{
  const resp = await doc.send(new GetCommand({{ TableName: table, Key: {{ pk: itemId }} }}));
  const item = resp.Item || {{}};
  const name = item.name || "";
  return {{ id: itemId, name: name.trim(), tags: [...(item.tags || [])].sort() }};
}}

module.exports = {{ Store, loadItem }};
"""

JS_RENDER = """// Rendering helpers (generated for benchmarking).
const path = require("path");
const escapeHtml = require("escape-html");

const SAFE = /[^A-Za-z0-9_.-]/g;

function safeName(name) {{
  const base = path.basename(name);
  return base.replace(SAFE, "_").slice(0, 64) || "file";
}}

function renderPage(item) {{
  const title = escapeHtml(item.name || "");
  const rows = [];
  for (const tag of item.tags || []) {{
    rows.push("<li>" + escapeHtml(String(tag)) + "</li>");
  }}
  return "<h1>" + title + "</h1><ul>" + rows.join("") + "</ul>";
}}

module.exports = {{ safeName, renderPage }};
"""

TS_HANDLER = """// Orders service {n} (generated for benchmarking).
import type {{ APIGatewayProxyEvent, APIGatewayProxyResult, Context }} from "aws-lambda";
import {{ execFile }} from "node:child_process";
import {{ writeFileSync }} from "node:fs";
import path from "node:path";
import {{ S3Client, GetObjectCommand }} from "@aws-sdk/client-s3";
import {{ DynamoDBClient }} from "@aws-sdk/client-dynamodb";
import {{ DynamoDBDocumentClient, QueryCommand }} from "@aws-sdk/lib-dynamodb";
import {{ z }} from "zod";
import {{ Store, loadItem }} from "./lib/store";
import {{ renderPage, safeName }} from "./lib/render";

const s3 = new S3Client({{}});
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({{}}));
const TABLE: string = process.env.TABLE ?? "orders";
const Body = z.object({{
  format: z.enum(["csv", "json", "xml"]).default("json"),
  ids: z.array(z.string()).default([]),
}});
type Order = z.infer<typeof Body>;

interface Item {{
  qty?: number;
  name?: string;
}}

export class Handler{n} {{
  private readonly store: Store;

  constructor(private readonly event: APIGatewayProxyEvent) {{
    this.store = new Store(doc, TABLE);
  }}

  body(): Order {{
    let raw = this.event.body ?? "{{}}";
    if (this.event.isBase64Encoded) {{
      raw = Buffer.from(raw, "base64").toString("utf8");
    }}
    return Body.parse(JSON.parse(raw));
  }}

  async run(): Promise<APIGatewayProxyResult> {{
    const {{ format, ids }} = this.body();
    const items = (await Promise.all(ids.map((id) => this.store.get(id)))) as Array<Item | null>;
    const total = items.reduce((sum: number, i) => sum + Number(i?.qty ?? 0), 0);
    return {{ statusCode: 200, body: JSON.stringify({{ total, format }}) }};
  }}
}}

async function exportReport(event: APIGatewayProxyEvent, name: string): Promise<string> {{
  const target = path.join("/tmp", safeName(name));
  writeFileSync(target, JSON.stringify(event.queryStringParameters ?? {{}}));
  await new Promise<void>((resolve, reject) => {{
    execFile("gzip", [target], (err) => (err ? reject(err) : resolve()));
  }});
  return target;
}}

export const {handler} = async (
  event: APIGatewayProxyEvent,
  _context: Context,
): Promise<APIGatewayProxyResult> => {{
  const params = event.queryStringParameters ?? {{}};
  const name = decodeURIComponent(params.name ?? "report");
  try {{
    if (event.httpMethod === "POST") {{
      return await new Handler{n}(event).run();
    }}
    const report = await exportReport(event, name);
    console.log("exported", report);
    const {{ Items = [] }} = await doc.send(
      new QueryCommand({{
        TableName: TABLE,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: {{ ":pk": params.id ?? "0" }},
      }}),
    );
    let page = renderPage(await loadItem(doc, TABLE, params.id ?? "0"));
    for (let i = 0; i < 3; i++) {{
      page += `<p>${{i}}</p>`;
    }}
    const obj = await s3.send(
      new GetObjectCommand({{ Bucket: process.env.BUCKET, Key: `templates/${{safeName(name)}}` }}),
    );
    const template = (await obj.Body?.transformToString()) ?? "";
    return {{
      statusCode: 200,
      headers: {{ "Content-Type": "application/json" }},
      body: JSON.stringify({{ page, template: template.length, items: Items.length }}),
    }};
  }} catch (err) {{
    console.warn("failed", (err as Error).name);
    return {{ statusCode: 400, body: "missing field" }};
  }}
}};
"""

TS_STORE = """// Storage helpers (generated for benchmarking).
import {{ DynamoDBDocumentClient, GetCommand, QueryCommand, PutCommand }} from "@aws-sdk/lib-dynamodb";

export class Store {{
  private readonly cache = new Map<string, Record<string, unknown> | null>();

  constructor(private readonly doc: DynamoDBDocumentClient, private readonly table: string) {{}}

  async get(itemId: string): Promise<Record<string, unknown> | null> {{
    if (this.cache.has(itemId)) {{
      return this.cache.get(itemId) ?? null;
    }}
    const resp = await this.doc.send(
      new QueryCommand({{
        TableName: this.table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: {{ ":pk": itemId }},
      }}),
    );
    const found = resp.Items?.[0] ?? null;
    this.cache.set(itemId, found);
    return found;
  }}

  async put(item: Record<string, unknown>): Promise<Record<string, unknown>> {{
    const clean = {{ ...item, updatedAt: Date.now() }};
    await this.doc.send(new PutCommand({{ TableName: this.table, Item: clean }}));
    return clean;
  }}
}}

export async function loadItem(doc: DynamoDBDocumentClient, table: string, itemId: string) {{
  const resp = await doc.send(new GetCommand({{ TableName: table, Key: {{ pk: itemId }} }}));
  const item = (resp.Item ?? {{}}) as {{ name?: string; tags?: string[] }};
  return {{ id: itemId, name: (item.name ?? "").trim(), tags: [...(item.tags ?? [])].sort() }};
}}
"""

TS_RENDER = """// Rendering helpers (generated for benchmarking).
import path from "node:path";
import escapeHtml from "escape-html";

const SAFE = /[^A-Za-z0-9_.-]/g;

export function safeName(name: string): string {{
  return path.basename(name).replace(SAFE, "_").slice(0, 64) || "file";
}}

export function renderPage(item: {{ name: string; tags: string[] }}): string {{
  const title = escapeHtml(item.name);
  const rows = item.tags.map((tag) => `<li>${{escapeHtml(String(tag))}}</li>`);
  return `<h1>${{title}}</h1><ul>${{rows.join("")}}</ul>`;
}}
"""

# language -> (runtime, handler file, its text, helper files, handler names)
LANGUAGES = {
    "python": (
        "python3.12",
        "app.py",
        HANDLER,
        {"lib/__init__.py": "", "lib/store.py": STORE, "lib/render.py": RENDER},
    ),
    "javascript": (
        "nodejs20.x",
        "app.js",
        JS_HANDLER,
        {"lib/store.js": JS_STORE, "lib/render.js": JS_RENDER},
    ),
    "typescript": (
        "nodejs20.x",
        "app.ts",
        TS_HANDLER,
        {"lib/store.ts": TS_STORE, "lib/render.ts": TS_RENDER},
    ),
}
HANDLER_NAMES = {
    "python": ["handler", "lambda_handler", "main", "process_order"],
    "javascript": ["handler", "lambdaHandler", "main", "processOrder"],
    "typescript": ["handler", "lambdaHandler", "main", "processOrder"],
}

EVENTS = (
    ("Api", "Path: /orders{n}, Method: get"),
    ("HttpApi", "Path: /orders{n}, Method: post"),
    ("SQS", "Queue: !GetAtt Queue.Arn"),
    ("S3", "Bucket: !Ref Bucket, Events: s3:ObjectCreated:*"),
)


def generate(out: Path, functions: int, seed: int, language: str = "python") -> None:
    rng = random.Random(seed)
    runtime, handler_file, handler_text, helpers = LANGUAGES[language]
    lines = ["Transform: AWS::Serverless-2016-10-31", "Resources:"]
    lines += ["  Queue:", "    Type: AWS::SQS::Queue", "  Bucket:", "    Type: AWS::S3::Bucket"]
    for n in range(functions):
        handler = rng.choice(HANDLER_NAMES[language])
        folder = out / "src" / f"fn{n:04d}"
        (folder / "lib").mkdir(parents=True, exist_ok=True)
        (folder / handler_file).write_text(handler_text.format(n=n, handler=handler), encoding="utf-8")
        for rel, text in helpers.items():
            (folder / rel).write_text(text.format() if language != "python" else text, encoding="utf-8")
        kind, props = EVENTS[n % len(EVENTS)]
        lines += [
            f"  Fn{n:04d}:",
            "    Type: AWS::Serverless::Function",
            "    Properties:",
            f"      CodeUri: src/fn{n:04d}/",
            f"      Handler: app.{handler}",
            f"      Runtime: {runtime}",
            "      Events:",
            "        E:",
            f"          Type: {kind}",
            f"          Properties: {{{props.format(n=n)}}}",
        ]
    (out / "template.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def measure(root: Path, repeat: int) -> tuple[int, float, int]:
    from faasguard.analysis.code.analyse import ScanCache, analyse_app
    from faasguard.analysis.code.js_parse import _parsers
    from faasguard.api import ScanOptions
    from faasguard.engine import load_applications

    _parsers()  # the grammars load once per process, as in a scan: not part of the rate
    apps, _, _ = load_applications(root.resolve(), ScanOptions(use_config=False))
    best = float("inf")
    lines = flows = 0
    for _ in range(repeat):
        cache = ScanCache(root.resolve())
        start = time.process_time()
        lines = flows = 0
        for app in apps:
            code = analyse_app(app, cache)
            lines += code.lines
            flows += sum(len(fc.flows) for fc in code.functions.values())
        best = min(best, time.process_time() - start)
    return lines, best, flows


def scan(root: Path) -> tuple[float, float, int]:
    start = time.perf_counter()
    cmd = [
        sys.executable,
        "-m",
        "faasguard",
        "scan",
        str(root),
        "--format",
        "json",
        "--output",
        os.devnull,
        "--fail-on",
        "never",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--functions", type=int, default=200, help="functions in the generated project")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--language",
        choices=(*LANGUAGES, "all"),
        default="python",
        help="language of the generated handlers (all: one run per language)",
    )
    parser.add_argument("--corpus", type=Path, help="analyse this directory instead of a generated one")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the fastest counts")
    parser.add_argument(
        "--scan", action="store_true", help="also time a whole `faasguard scan` of the target"
    )
    args = parser.parse_args(argv)
    if args.corpus is not None:
        return _report(args.corpus, str(args.corpus), args)
    languages = list(LANGUAGES) if args.language == "all" else [args.language]
    for language in languages:
        tmp = tempfile.mkdtemp(prefix="faasguard-code-bench-")
        try:
            generate(Path(tmp), args.functions, args.seed, language)
            label = f"generated: {args.functions} {language} functions, seed {args.seed}"
            _report(Path(tmp), label, args)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _report(root: Path, label: str, args: argparse.Namespace) -> int:
    lines, seconds, flows = measure(root, args.repeat)
    rate = lines / seconds if seconds > 0 else float("inf")
    print(f"target           {label}")
    print(f"lines analysed   {lines}")
    print(f"flows found      {flows}")
    print(f"CPU seconds      {seconds:.3f} (fastest of {args.repeat})")
    print(f"lines per second {rate:,.0f} (target 20,000)")
    if args.scan:
        wall, mib, code = scan(root)
        print(f"whole scan       {wall:.2f} s wall, {mib:.0f} MiB peak RSS, exit {code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
