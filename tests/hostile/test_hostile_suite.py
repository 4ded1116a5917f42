"""Hostile input, format by format: each case finishes within seconds with a clear `errors` entry
(or a finding), the rest of the project is still scanned, every report stays safe (no control
characters in text, valid JSON, schema-valid SARIF), and nothing read from outside the scan root
(`outside/`, whose files carry CANARY) appears in any report.

Every project also holds `good/template.yaml`, a function URL without auth: its finding must
survive whatever the hostile files do.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pytest
from hostile_checks import CANARY, assert_sound, deadline, render_all, write_project

from faasguard.api import ScanOptions, scan
from faasguard.findings import ScanResult
from faasguard.limits import Limits

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symlinks, FIFOs and SIGALRM")

SECONDS = 10.0  # CPU seconds for every case (each takes about one or less); the wall bound is 10x
REPO = Path(__file__).resolve().parents[2]

GOOD = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      FunctionUrlConfig:
        AuthType: NONE
"""
GOOD_FINDING = ("FG-AUTH-003", "good/template.yaml", 10)

SAM_FN = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: {handler}
      Runtime: {runtime}
      CodeUri: {code}
"""


@cache
def _warm_up() -> None:
    """Imports (rules, analyses, the SARIF schema) happen once, outside the time bound."""
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "template.yaml").write_text(GOOD)
        Path(tmp, "app.py").write_text("def handler(e, c):\n    return 1\n")
        Path(tmp, "index.js").write_text("exports.handler = async () => 1;\n")
        assert_sound(scan(Path(tmp), ScanOptions(use_config=False)), validate_sarif=True)


def _scan(
    tmp_path: Path,
    files: Mapping[str, bytes | str],
    links: Mapping[str, str] = {},
    limits: Limits | None = None,
) -> tuple[ScanResult, set[tuple[str, str]]]:
    root = write_project(tmp_path, {"good/template.yaml": GOOD, **files}, links)
    options = ScanOptions(limits=limits or Limits(), use_config=False, osv_db=REPO / "examples" / "osv")
    _warm_up()
    start = time.process_time()
    with deadline(SECONDS):
        result = scan(root, options)
        assert_sound(result, validate_sarif=True)
    assert time.process_time() - start < SECONDS
    found = {(f.rule, f.location.path, f.location.line) for f in result.findings}
    assert GOOD_FINDING in found, "the rest of the project was not scanned"
    return result, {(e.path, e.kind) for e in result.errors}


# --- alias bombs -------------------------------------------------------------------------------------


def _laughs(levels: int = 12, width: int = 10) -> str:
    lines = ['a0: &a0 ["AWS::Lambda::Function", "Resources", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bombs_in_every_yaml_input(tmp_path: Path) -> None:
    bomb = _laughs()
    tail = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: *a11\n"
    _result, errors = _scan(
        tmp_path,
        {
            "cfn/template.yaml": bomb + tail,
            "sls/serverless.yml": "service: s\nprovider: {name: aws, runtime: python3.12}\n"
            + bomb
            + "functions:\n  f:\n    handler: h.h\n    events: *a11\n",
            "inc/serverless.yml": "service: t\nprovider: {name: aws}\ncustom: ${file(./bomb.yml)}\n"
            "functions:\n  f: {handler: h.h}\n",
            "inc/bomb.yml": bomb + "x: *a11\n",
            "deps/template.yaml": SAM_FN.format(handler="index.handler", runtime="nodejs20.x", code="."),
            "deps/index.js": "exports.handler = async () => 1;\n",
            "deps/package.json": '{"name": "x", "dependencies": {"a": "1"}}',
            "deps/pnpm-lock.yaml": "lockfileVersion: '9.0'\n" + bomb + "packages: *a11\n",
        },
    )
    assert ("cfn/template.yaml", "bound") in errors
    assert ("sls/serverless.yml", "bound") in errors
    assert ("inc/bomb.yml", "bound") in errors
    assert ("deps/pnpm-lock.yaml", "bound") in errors


def test_aliases_that_refer_to_themselves_or_to_nothing(tmp_path: Path) -> None:
    _, errors = _scan(
        tmp_path,
        {
            "a/template.yaml": "Resources: &r\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: *r\n",
            "b/template.yaml": "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: *nothing\n",
            "c/template.yaml": "x: &x {a: *x}\nResources: {Q: {Type: AWS::SQS::Queue}}\n",
        },
    )
    assert ("b/template.yaml", "parse") in errors
    assert ("c/template.yaml", "parse") in errors


# --- 10,000-deep nesting ------------------------------------------------------------------------------

DEEP = 10_000


def test_ten_thousand_deep_yaml_and_json(tmp_path: Path) -> None:
    files = {
        "flow/template.yaml": "Resources: {Q: {Type: AWS::SQS::Queue, Properties: {Tags: "
        + "[" * DEEP
        + "]" * DEEP
        + "}}}\n",
        "block/template.yaml": "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: "
        + "- " * DEEP
        + "x\n",
        "maps/template.json": '{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": '
        + '{"a": ' * DEEP
        + "1"
        + "}" * DEEP
        + "}}}",
        "lists/template.json": '{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": '
        + "[" * DEEP
        + "]" * DEEP
        + "}}}",
        "sls/serverless.yml": "service: s\nprovider: {name: aws}\ncustom: "
        + "{a: " * DEEP
        + "1"
        + "}" * DEEP
        + "\n",
        "chalice/app.py": "from chalice import Chalice\napp = Chalice(app_name='x')\n",
        "chalice/.chalice/config.json": '{"version": "2.0", "app_name": "x", "stages": '
        + "[" * DEEP
        + "]" * DEEP
        + "}",
        "tf/main.tf": "locals {\n  x = " + "[" * DEEP + "]" * DEEP + "\n}\n",
        "tfj/main.tf.json": '{"locals": ' + '{"a": ' * DEEP + "1" + "}" * DEEP + "}",
        "py/template.yaml": SAM_FN.format(handler="app.handler", runtime="python3.12", code="."),
        "py/app.py": "def handler(event, context):\n    return " + "(" * DEEP + "event" + ")" * DEEP + "\n",
        "js/template.yaml": SAM_FN.format(handler="index.handler", runtime="nodejs20.x", code="."),
        "js/index.js": "exports.handler = async (e) => " + "[" * DEEP + "e" + "]" * DEEP + ";\n",
        "js/package-lock.json": '{"lockfileVersion": 3, "packages": '
        + '{"a": ' * DEEP
        + "1"
        + "}" * DEEP
        + "}",
        "js/package.json": '{"name": "x", "dependencies": ' + "[" * DEEP + "]" * DEEP + "}",
        "api/template.yaml": "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n"
        "    Type: AWS::Serverless::Api\n    Properties:\n      StageName: p\n"
        "      DefinitionUri: openapi.json\n",
        "api/openapi.json": '{"openapi": "3.0.1", "paths": ' + '{"/a": ' * DEEP + "{}" + "}" * DEEP + "}",
    }
    _, errors = _scan(tmp_path, files)
    for path in (
        "flow/template.yaml",
        "block/template.yaml",
        "maps/template.json",
        "lists/template.json",
        "sls/serverless.yml",
        "chalice/.chalice/config.json",
        "tf/main.tf",
        "tfj/main.tf.json",
        "api/openapi.json",
    ):
        assert {kind for p, kind in errors if p == path} & {"bound", "parse"}, (path, errors)
    assert ("py/app.py", "bound") in errors or ("py/app.py", "parse") in errors


# --- size ---------------------------------------------------------------------------------------------


def test_files_far_over_the_size_bound(tmp_path: Path) -> None:
    names = [
        "cfn/template.yaml",
        "sls/serverless.yml",
        "tf/main.tf",
        "chalice/.chalice/config.json",
        "py/app.py",
        "py/requirements.txt",
        "js/package-lock.json",
    ]
    files: dict[str, bytes | str] = {name: "" for name in names}
    files["chalice/app.py"] = "from chalice import Chalice\napp = Chalice(app_name='x')\n"
    files["py/template.yaml"] = SAM_FN.format(handler="app.handler", runtime="python3.12", code=".")
    files["js/template.yaml"] = SAM_FN.format(handler="index.handler", runtime="nodejs20.x", code=".")
    files["js/index.js"] = "exports.handler = async () => 1;\n"
    root = write_project(tmp_path, files)
    for name in names:  # 3 GiB each, sparse: nothing is written, and nothing may be read
        os.truncate(root / name, 3 * 1024**3)
    # Real content just over a small bound too: the bound holds for files that are not sparse.
    (root / "real").mkdir()
    (root / "real" / "template.yaml").write_text(
        "Resources:\n" + "".join(f"  Q{i}:\n    Type: AWS::SQS::Queue\n" for i in range(40_000))
    )
    _, errors = _scan(tmp_path, {}, limits=Limits(max_file_bytes=1_000_000))
    for name in [*names, "real/template.yaml"]:
        assert (name, "bound") in errors, (name, errors)


# --- binary, undecodable, special files ------------------------------------------------------------


def test_binary_files_named_like_inputs(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40
    noise = bytes((i * 7919) % 251 + 1 for i in range(20_000))  # no NUL byte: not caught as binary
    _, errors = _scan(
        tmp_path,
        {
            "template.yaml": png,
            "a/template.yaml": noise,
            "sls/serverless.yml": png,
            "tf/main.tf": png,
            "chalice/.chalice/config.json": noise,
            "chalice/app.py": png,
            "py/template.yaml": SAM_FN.format(handler="app.handler", runtime="python3.12", code="."),
            "py/app.py": png,
            "py/requirements.txt": noise,
        },
    )
    for name in ("template.yaml", "a/template.yaml", "sls/serverless.yml", "tf/main.tf", "py/app.py"):
        assert (name, "parse") in errors, (name, errors)


def test_invalid_utf8_in_every_format(tmp_path: Path) -> None:
    bad = b"caf\xe9 \xff\xfe \xc3\x28"
    _, errors = _scan(
        tmp_path,
        {
            "cfn/template.yaml": b"Resources:\n  Q:\n    Type: AWS::SQS::Queue # " + bad + b"\n",
            "json/template.json": b'{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "x": "' + bad + b'"}}}',
            "sls/serverless.yml": b"service: s\nprovider:\n  name: aws\n# " + bad + b"\n",
            "tf/main.tf": b'locals {\n  x = "' + bad + b'"\n}\n',
            "chalice/app.py": b"from chalice import Chalice\napp = Chalice(app_name='x')\n",
            "chalice/.chalice/config.json": b'{"version": "2.0", "app_name": "' + bad + b'"}',
            "py/template.yaml": SAM_FN.format(handler="app.handler", runtime="python3.12", code="."),
            "py/app.py": b"def handler(event, context):\n    return '" + bad + b"'\n",
            "py/requirements.txt": b"requests==2.19.0\n" + bad + b"\n",
            "py/package.json": b'{"name": "' + bad + b'"}',
        },
    )
    for name in ("cfn/template.yaml", "json/template.json", "sls/serverless.yml", "tf/main.tf", "py/app.py"):
        assert (name, "parse") in errors, (name, errors)


def test_fifo_and_device_named_as_templates(tmp_path: Path) -> None:
    root = write_project(tmp_path, {})
    (root / "fifo").mkdir()
    os.mkfifo(root / "fifo" / "template.yaml")  # a blocking open would hang the scan forever
    os.mkfifo(root / "fifo" / "serverless.yml")
    os.mkfifo(root / "main.tf")
    _, errors = _scan(tmp_path, {})
    assert ("fifo/template.yaml", "io") in errors and ("fifo/serverless.yml", "io") in errors


# --- symlinks ------------------------------------------------------------------------------------------


def test_symlink_loops(tmp_path: Path) -> None:
    _, errors = _scan(
        tmp_path,
        {"d/a/x.txt": "x"},
        links={
            "loop": ".",
            "d/a/up": "..",
            "d/a/down": "../a",
            "ping/template.yaml": "pong.yaml",
            "ping/pong.yaml": "template.yaml",
            "self/template.yaml": "template.yaml",
            "sls/serverless.yml": "serverless.yml",
            "tf/main.tf": "other.tf",
            "tf/other.tf": "main.tf",
            "mod/main.tf": "../loop/mod/main.tf",
        },
    )
    assert not [p for p, _ in errors if p.startswith(("loop/", "d/"))]  # linked folders never walked


def test_symlinks_and_file_variables_that_leave_the_root(tmp_path: Path) -> None:
    sls = """\
service: s
provider:
  name: aws
  runtime: python3.12
  environment:
    A: ${file(../outside/secret.yml):key}
    B: ${file(./link_out/secret.yml):key}
    C: ${file(/etc/hostname)}
    D: ${file(./inside.yml):key}
    E: ${file(../../outside/secret.json):key}
    F: ${file(~/.aws/credentials)}
custom: ${file(./link_out/secret.json)}
resources:
  - ${file(./link_out/secret.yml)}
  - ${file(../outside/template.yaml)}
functions:
  f:
    handler: handler.main
    events:
      - http: GET /x
"""
    _, errors = _scan(
        tmp_path,
        {"sls/serverless.yml": sls, "sls/handler.py": "def main(e, c):\n    return 1\n"},
        links={
            "link_out": "../outside",
            "sls/link_out": "../../outside",
            "sls/inside.yml": "../../outside/secret.yml",
            "template.yaml": "../outside/template.yaml",
            "linked/template.yaml": "../../outside/template.yaml",
            "py/app.py": "../../outside/secret.py",
            "py/requirements.txt": "../../outside/secret.txt",
            "tf/main.tf": "../../outside/main.tf",
        },
    )
    assert ("template.yaml", "outside-root") in errors
    assert ("linked/template.yaml", "outside-root") in errors
    assert any(p.startswith("sls/") and kind == "outside-root" for p, kind in errors)


def test_code_and_requirements_through_links_that_leave_the_root(tmp_path: Path) -> None:
    _, errors = _scan(
        tmp_path,
        {
            "a/template.yaml": SAM_FN.format(handler="app.handler", runtime="python3.12", code="src/"),
            "b/template.yaml": SAM_FN.format(
                handler="secret.handler", runtime="python3.12", code="../link_out/"
            ),
            "c/template.yaml": SAM_FN.format(
                handler="secret.handler", runtime="python3.12", code="../../outside/"
            ),
            "d/template.yaml": SAM_FN.format(handler="secret.handler", runtime="nodejs20.x", code="/etc/"),
        },
        links={"a/src/app.py": "../../../outside/secret.py", "link_out": "../outside"},
    )
    assert ("a/src/app.py", "outside-root") in errors or not [p for p, _ in errors if p.startswith("a/")]


def test_terraform_paths_that_leave_the_root(tmp_path: Path) -> None:
    reads = {
        "a": 'file("../../outside/secret.txt")',
        "b": 'file("${path.module}/../../outside/secret.json")',
        "c": 'templatefile("/etc/hostname", {})',
        "d": 'file("link_out/secret.txt")',
        "e": 'jsondecode(file("../../outside/secret.json")).key',
        "f": 'filebase64("../../outside/secret.py")',
        "g": 'file(pathexpand("~/.aws/credentials"))',
        "h": 'yamldecode(file("${path.root}/../../outside/secret.yml")).key',
    }
    main = "".join(f'resource "aws_sqs_queue" "{k}" {{\n  name = {v}\n}}\n' for k, v in reads.items())
    main += "".join(
        f'module "{name}" {{\n  source = "{source}"\n}}\n'
        for name, source in (
            ("up", "../../outside"),
            ("abs", "/etc"),
            ("linked", "./link_out"),
            ("far", "../" * 30),
        )
    )
    main += 'resource "aws_iam_policy" "p" {\n  policy = file("../../outside/secret.json")\n}\n'
    result, errors = _scan(tmp_path, {"tf/main.tf": main}, links={"tf/link_out": "../../outside"})
    refused = [e for e in result.errors if e.path == "tf/main.tf" and e.kind == "outside-root"]
    assert len(refused) >= 6, result.errors
    assert ("tf/link_out", "outside-root") in errors


# --- escapes and HTML in names and values ----------------------------------------------------------

ESC = "\x1b]0;owned\x07\x1b[2J\x1b[31m\u202e\x9b1m"
HTML = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_escape_sequences_and_html_in_names_and_values(tmp_path: Path) -> None:
    yaml_esc = '"\\e]0;owned\\a\\e[2J\\e[31m\\u202e\\x9b1m"'
    cfn = f"""\
Transform: AWS::Serverless-2016-10-31
Parameters:
  {yaml_esc}:
    Type: String
    Default: {yaml_esc}
Resources:
  "Fn\\e[31m<b>":
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: {yaml_esc}
      Handler: "app.handler"
      Runtime: python3.12
      CodeUri: src/
      Description: "{HTML}"
      Environment:
        Variables:
          "PASSWORD\\e[8m": "hunter2\\e[0m{HTML}"
      FunctionUrlConfig:
        AuthType: NONE
      Events:
        Get:
          Type: Api
          Properties:
            Path: "/{HTML}/\\e[31m"
            Method: get
"""
    sls = f"""\
service: "svc\\e]8;;http://evil\\e\\\\link\\e]8;;\\e\\\\"
provider:
  name: aws
  runtime: python3.12
  iam:
    role:
      statements:
        - Effect: Allow
          Action: "*"
          Resource: "{HTML}"
functions:
  "f\\e[5m":
    handler: handler.main
    url: true
"""
    tf = f"""\
resource "aws_lambda_function" "fn" {{
  function_name = "\\u001b]0;owned\\u0007{HTML}"
  filename      = "fn.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/x"
}}
resource "aws_lambda_function_url" "fn" {{
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = "NONE"
}}
"""
    code = f"import os\ndef handler(event, context):\n    os.system(event['{ESC}'])\n    return '{HTML}'\n"
    result, _ = _scan(
        tmp_path,
        {
            "cfn/template.yaml": cfn,
            "cfn/src/app.py": code,
            "sls/serverless.yml": sls,
            "sls/handler.py": code.replace("def handler", "def main"),
            "tf/main.tf": tf,
            f"names/d{ESC}\n<i>/template.yaml": GOOD,
            "names/\udcff\udcfe/template.yaml": GOOD,  # undecodable bytes in a folder name
            "names/lone.json": '{"Resources": {"Fn\\ud800\\u001b[31m": {"Type": "AWS::Lambda::Url",'
            ' "Properties": {"AuthType": "NONE", "TargetFunctionArn": "\\udfff"}}}}',
        },
    )
    outputs = render_all(result)
    assert any("\x1b" in f.resource or "\x1b" in f.location.path for f in result.findings)
    for fmt in ("text", "text-wrapped"):
        assert "\x1b" not in outputs[fmt] and "\u202e" not in outputs[fmt] and "\x07" not in outputs[fmt]
    assert "\x1b[2J" not in outputs["text-colour"] and "\x1b]" not in outputs["text-colour"]
    assert "[2J" not in outputs["text"]  # sequences are removed whole, not just their ESC byte
    assert "\\u001b" in outputs["json"] and "\x1b" not in outputs["json"]
    assert CANARY not in "".join(outputs.values())


# --- fan-out: inputs that include the next one several times, level after level ------------------


def test_include_fan_out_stays_linear(tmp_path: Path) -> None:
    files: dict[str, bytes | str] = {
        "py/template.yaml": SAM_FN.format(handler="app.handler", runtime="python3.12", code="src/"),
        "py/src/app.py": "import requests\nfrom .p0 import *\ndef handler(e, c):\n    return p0.run(e)\n",
        "js/template.yaml": SAM_FN.format(handler="index.handler", runtime="nodejs20.x", code="src/"),
        "js/src/index.js": "import * as all from './m0.js';\n"
        "export const handler = async (e) => all[e.k](e);\n",
        "sls/serverless.yml": "service: s\nprovider: {name: aws}\ncustom: ${file(./f0.yml)}\n"
        "functions:\n  f: {handler: h.main}\n",
    }
    levels, width = 12, 6
    for i in range(levels):
        nxt = i + 1
        files[f"py/src/{'requirements' if i == 0 else f'r{i}'}.txt"] = f"-r r{nxt}.txt\n" * width + "flask\n"
        files[f"py/src/p{i}.py"] = f"from .p{nxt} import *\nfrom . import p{nxt}\n" * width + f"v{i} = 1\n"
        files[f"js/src/m{i}.js"] = "".join(f"export * from './m{nxt}.js';\n" for _ in range(width))
        files[f"sls/f{i}.yml"] = "".join(f"k{k}: ${{file(./f{nxt}.yml)}}\n" for k in range(width))
        folder = "tf" if i == 0 else f"tf/m{i}"
        source = "./m1" if i == 0 else f"../m{nxt}"
        files[f"{folder}/main.tf"] = "".join(
            f'module "c{k}" {{\n  source = "{source}"\n}}\n' for k in range(width)
        )
    _, errors = _scan(tmp_path, files)
    assert ("py/src/r1.txt", "bound") in errors  # the include budget, not 6**10 parses
    assert any(p.startswith("tf/") and kind == "bound" for p, kind in errors)  # the module budget
    assert ("sls/serverless.yml", "bound") in errors  # the copy budget, not a tree of 6**12 maps
    # JavaScript `export *` and Python star imports: each module searched once per name.
