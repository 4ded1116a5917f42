"""Throughput of faasguard's function-code analysis: lines of handler code analysed per second.

Usage::

    python bench/code_throughput.py                       # a generated project (deterministic)
    python bench/code_throughput.py --functions 400       # a bigger one
    python bench/code_throughput.py --corpus /work/corpus/serverless-patterns
    python bench/code_throughput.py --corpus DIR --scan   # also time a whole `faasguard scan`

The applications are loaded first (not timed); then the code analysis of every application
runs from a cold per-scan cache (every file parsed, lowered and analysed again), on one core,
`--repeat` times. The figure is lines of the Python files the analysis read (handlers and the
modules they import from their code folders) divided by the CPU seconds of the fastest run
(`time.process_time`, so other processes on the machine do not count). The target is 20,000
lines per second.

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

EVENTS = (
    ("Api", "Path: /orders{n}, Method: get"),
    ("HttpApi", "Path: /orders{n}, Method: post"),
    ("SQS", "Queue: !GetAtt Queue.Arn"),
    ("S3", "Bucket: !Ref Bucket, Events: s3:ObjectCreated:*"),
)


def generate(out: Path, functions: int, seed: int) -> None:
    rng = random.Random(seed)
    lines = ["Transform: AWS::Serverless-2016-10-31", "Resources:"]
    lines += ["  Queue:", "    Type: AWS::SQS::Queue", "  Bucket:", "    Type: AWS::S3::Bucket"]
    for n in range(functions):
        handler = rng.choice(["handler", "lambda_handler", "main", "process_order"])
        folder = out / "src" / f"fn{n:04d}"
        (folder / "lib").mkdir(parents=True, exist_ok=True)
        (folder / "app.py").write_text(HANDLER.format(n=n, handler=handler), encoding="utf-8")
        (folder / "lib" / "__init__.py").write_text("", encoding="utf-8")
        (folder / "lib" / "store.py").write_text(STORE, encoding="utf-8")
        (folder / "lib" / "render.py").write_text(RENDER, encoding="utf-8")
        kind, props = EVENTS[n % len(EVENTS)]
        lines += [
            f"  Fn{n:04d}:",
            "    Type: AWS::Serverless::Function",
            "    Properties:",
            f"      CodeUri: src/fn{n:04d}/",
            f"      Handler: app.{handler}",
            "      Runtime: python3.12",
            "      Events:",
            "        E:",
            f"          Type: {kind}",
            f"          Properties: {{{props.format(n=n)}}}",
        ]
    (out / "template.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def measure(root: Path, repeat: int) -> tuple[int, float, int]:
    from faasguard.analysis.code.analyse import ScanCache, analyse_app
    from faasguard.api import ScanOptions
    from faasguard.engine import load_applications

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
    parser.add_argument("--corpus", type=Path, help="analyse this directory instead of a generated one")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the fastest counts")
    parser.add_argument(
        "--scan", action="store_true", help="also time a whole `faasguard scan` of the target"
    )
    args = parser.parse_args(argv)
    tmp: str | None = None
    if args.corpus is not None:
        root = args.corpus
        label = str(root)
    else:
        tmp = tempfile.mkdtemp(prefix="faasguard-code-bench-")
        root = Path(tmp)
        generate(root, args.functions, args.seed)
        label = f"generated: {args.functions} functions, seed {args.seed}"
    try:
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
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
