"""The fuzz targets: one per input format, each with a whole-scan property and a parser property.

Whole-scan property (`scan`): a generated project is written next to `outside/` (see
hostile_checks), scanned with every rule and the offline vulnerability data of the demo, and the
result must hold `hostile_checks.problems` (only known error kinds, never `internal`; safe text,
JSON and SARIF; nothing from outside the root). An exception escaping `scan()` fails it, and the
driver fails an example that runs past its time bound or the process's memory bound.

Parser property (`parse`): the format's parser alone, on generated and mutated text, raises only
what its caller turns into an `errors` entry.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fuzz_gen import (
    DEP_FILES,
    REPO,
    Project,
    cfn_template,
    chalice_app,
    chalice_config,
    detag,
    emit_json,
    emit_yaml,
    hcl_expr,
    hcl_literal,
    js_module,
    mutate,
    openapi_doc,
    pick,
    python_block,
    python_module,
    rarely,
    scalars,
    seeded,
    seeds,
    serverless_doc,
    statements,
    terraform_file,
    text_values,
    values,
)
from hostile_checks import problems, write_project
from hypothesis import strategies as st

from faasguard.api import ScanOptions, scan
from faasguard.limits import Limits
from faasguard.loaders.reader import ReadFailure

OSV = REPO / "examples" / "osv"

# Symlinks a project may hold: out of the root (a folder and files), a loop, a link to itself.
LINKS = {
    "link_out": "../outside",
    "loop": ".",
    "self_link": "self_link",
    "template_out.yaml": "../outside/template.yaml",
    "src/outside.py": "../../outside/secret.py",
}


@st.composite
def links(draw: st.DrawFn) -> dict[str, str]:
    return {k: LINKS[k] for k in draw(st.lists(st.sampled_from(sorted(LINKS)), max_size=3, unique=True))}


def run_scan(project: Project, use_config: bool = False) -> None:
    base = Path(tempfile.mkdtemp(prefix="fgfuzz-"))
    try:
        root = write_project(base, project.files, project.links)
        options = ScanOptions(use_config=use_config, osv_db=OSV, limits=Limits(parse_seconds=5.0))
        result = scan(root, options)
        found = problems(result)
        if found:
            raise AssertionError("\n".join(found))
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


# --- projects per format -------------------------------------------------------------------------

HANDLER_PY = (
    b"import os\ndef handler(event, context):\n    os.system(event['q'])\n    return {'body': event['q']}\n"
)
HANDLER_JS = (
    b"const cp = require('child_process');\nexports.handler = async (e) => { cp.exec(e.q); return e.q; };\n"
)


@st.composite
def fan_out(draw: st.DrawFn, name: Any, line: Any, tail: str = "") -> dict[str, bytes]:
    """A chain of files, each including the next several times: linear on disk, exponential if
    an include is followed once per path instead of once per file."""
    if not rarely(draw, 4):
        return {}
    depth, width = draw(st.integers(1, 14)), draw(st.integers(1, 8))
    return {name(i): ("".join(line(i + 1, k) for k in range(width)) + tail).encode() for i in range(depth)}


@st.composite
def yaml_text(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        return draw(cfn_template().flatmap(emit_yaml))
    return draw(seeded("template.yaml", "template.yml", "*.template.yaml"))


@cache
def _json_seeds() -> tuple[bytes, ...]:
    from faasguard.loaders.reader import parse_yaml

    out = list(seeds("template.json", "*.template.json"))
    for data in seeds("template.yaml")[:60]:
        try:
            docs = parse_yaml(data.decode("utf-8"))
        except (ReadFailure, UnicodeDecodeError):
            continue
        if docs:
            out.append(json.dumps(docs[0], indent=1, default=str).encode())
    return tuple(out)


@st.composite
def json_text(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        return draw(cfn_template().flatmap(emit_json))
    return draw(_json_seeded())


@cache
def _json_seeded() -> st.SearchStrategy[bytes]:
    return pick(_json_seeds()).flatmap(mutate)


# Folder names a report must show safely: undecodable bytes (as os.fsdecode gives them), escape
# sequences, a newline, HTML, spaces.
FOLDER_NAMES = ["nested", "d\udcff\udcfe", "e\x1b]0;t\x07\x1b[2J", "n\nl", "<b>&amp;", "sp ace", "%2e%2e"]


@st.composite
def cfn_yaml_project(draw: st.DrawFn) -> Project:
    files = {
        "template.yaml": draw(yaml_text()),
        "src/app.py": HANDLER_PY,
        "src/requirements.txt": b"requests==2.19.0\n",
    }
    if rarely(draw, 4):
        files["samconfig.toml"] = draw(
            st.sampled_from(
                [
                    b'version = 0.1\n[default.deploy.parameters]\nparameter_overrides = "A=1 B=\\"x y\\""\n',
                    b"[[[",
                    b"version = 0.1\n[default]\nx = 1\n",
                ]
            ).flatmap(mutate)
        )
    if rarely(draw, 4):
        folder = draw(st.sampled_from(FOLDER_NAMES))
        files[f"{folder}/template.yml"] = draw(yaml_text())
    return Project(files, draw(links()))


@st.composite
def cfn_json_project(draw: st.DrawFn) -> Project:
    files = {"template.json": draw(json_text()), "src/app.py": HANDLER_PY}
    if draw(st.booleans()):
        files["cdk.out/Stack.template.json"] = draw(json_text())
        files["cdk.out/manifest.json"] = b'{"version": "36.0.0", "artifacts": {}}'
    return Project(files, draw(links()))


@st.composite
def serverless_project(draw: st.DrawFn) -> Project:
    if draw(st.booleans()):
        main = draw(serverless_doc().flatmap(emit_yaml))
    else:
        main = draw(seeded("serverless.yml", "serverless.yaml"))
    files = {
        "serverless.yml": main,
        "handler.py": HANDLER_PY,
        "src/app.py": HANDLER_PY,
        "extra.yml": draw(st.one_of(values([]), statements([])).flatmap(emit_yaml)),
        "extra.json": draw(values([]).flatmap(emit_json)),
        ".env": draw(st.sampled_from([b"SECRET=abc\nexport X='y'\n", b"\xff\xfe", b"=\n==\nA"])),
    }
    if rarely(draw, 5):
        files["serverless.ts"] = b"export default { service: 'x' };\n"
    chain = draw(fan_out(lambda i: f"inc{i}.yml", lambda n, k: f"k{k}: ${{file(./inc{n}.yml)}}\n"))
    if chain:
        files.update(chain)
        files["serverless.yml"] += b"\ncustom2: ${file(./inc0.yml)}\n"
    return Project(files, draw(links()))


BLUEPRINT = b"from chalice import Blueprint\nbp = Blueprint(__name__)\n@bp.route('/bp')\ndef v():\n    pass\n"


@st.composite
def chalice_project(draw: st.DrawFn) -> Project:
    config = draw(st.one_of(chalice_config().flatmap(emit_json), seeded("config.json")))
    app = draw(st.one_of(chalice_app().map(str.encode), seeded("app.py")))
    policy = {"Version": "2012-10-17", "Statement": draw(statements([]))}
    files = {
        ".chalice/config.json": config,
        ".chalice/policy-dev.json": json.dumps(policy, default=str).encode(),
        "app.py": app,
        "chalicelib/__init__.py": draw(
            st.one_of(
                st.just(BLUEPRINT),
                seeded("__init__.py"),
                python_module().map(str.encode),
            )
        ),
        "requirements.txt": b"chalice==1.29.0\n",
    }
    return Project(files, draw(links()))


@st.composite
def terraform_project(draw: st.DrawFn) -> Project:
    main = draw(st.one_of(terraform_file().map(str.encode), seeded("*.tf")))
    files = {
        "main.tf": main,
        "app.py": HANDLER_PY,
        "policy.json": json.dumps({"Statement": draw(statements([]))}, default=str).encode(),
    }
    if draw(st.booleans()):
        files["modules/m/main.tf"] = draw(st.one_of(terraform_file().map(str.encode), seeded("*.tf")))
    if draw(st.booleans()):
        files["terraform.tfvars"] = f"x = {draw(hcl_expr())}\nlist = {draw(hcl_expr())}\n".encode(
            "utf-8", "surrogatepass"
        )
    if rarely(draw, 4):
        files["extra.tf.json"] = draw(
            values([]).map(lambda v: {"resource": {"aws_sqs_queue": {"q": {"name": v}}}}).flatmap(emit_json)
        )
    files.update(
        draw(
            fan_out(
                lambda i: "main.tf" if i == 0 else f"m{i}/main.tf",
                lambda n, k: f'module "c{k}" {{\n  source = "{"./m1" if n == 1 else f"../m{n}"}"\n}}\n',
            )
        )
    )
    return Project(files, draw(links()))


DEPS_TEMPLATE = b"""\
Transform: AWS::Serverless-2016-10-31
Resources:
  Py:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.handler, Runtime: python3.12, CodeUri: py/}
  Js:
    Type: AWS::Serverless::Function
    Properties: {Handler: index.handler, Runtime: nodejs20.x, CodeUri: js/}
"""


@st.composite
def deps_project(draw: st.DrawFn) -> Project:
    files: dict[str, bytes] = {
        "template.yaml": DEPS_TEMPLATE,
        "py/app.py": b"import requests, yaml\n" + HANDLER_PY,
        "js/index.js": HANDLER_JS,
    }
    py_names = [
        "requirements.txt",
        "base.txt",
        "constraints.txt",
        "pyproject.toml",
        "poetry.lock",
        "uv.lock",
        "Pipfile.lock",
    ]
    js_names = ["package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", ".npmrc"]
    for name in draw(st.lists(st.sampled_from(py_names), min_size=1, max_size=4, unique=True)):
        files[f"py/{name}"] = draw(DEP_FILES[name]())
    for name in draw(st.lists(st.sampled_from(js_names), min_size=1, max_size=3, unique=True)):
        files[f"js/{name}"] = draw(DEP_FILES[name]())
    if draw(st.booleans()):
        name, version, requires = draw(text_values()), draw(text_values()), draw(text_values())
        meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nRequires-Dist: {requires}\n"
        files["py/requests-2.19.0.dist-info/METADATA"] = meta.encode("utf-8", "surrogatepass")
        files["py/requests-2.19.0.dist-info/top_level.txt"] = b"requests\n"
    if draw(st.booleans()):
        files["js/node_modules/lodash/package.json"] = draw(DEP_FILES["package.json"]())
    if draw(st.booleans()):
        files["requirements.txt"] = draw(DEP_FILES["requirements.txt"]())  # above the code folder
    files.update(draw(fan_out(lambda i: f"py/r{i}.txt", lambda n, k: f"-r r{n}.txt\n", "flask\n")))
    if "py/r0.txt" in files:
        files["py/requirements.txt"] = b"-r r0.txt\n-r r0.txt\n"
    return Project(files, draw(links()))


@st.composite
def openapi_project(draw: st.DrawFn) -> Project:
    ids = ["Fn", "Api"]
    spec = draw(openapi_doc(ids))
    spec_file = draw(st.one_of(emit_yaml(spec), seeded("*openapi*", "*swagger*", "template.yaml")))
    where = draw(st.sampled_from(["inline", "uri", "include", "restapi", "terraform", "uri-out"]))
    api: dict[str, Any] = {"StageName": "prod"}
    api_type = "AWS::Serverless::Api"
    if where == "inline":
        api["DefinitionBody"] = spec
    elif where in ("uri", "uri-out"):
        api["DefinitionUri"] = (
            "openapi.yaml"
            if where == "uri"
            else draw(st.sampled_from(["../outside/secret.yml", "/etc/passwd", "link_out/secret.yml"]))
        )
    elif where == "include":
        api["DefinitionBody"] = {
            "Fn::Transform": {
                "Name": "AWS::Include",
                "Parameters": {
                    "Location": draw(
                        st.sampled_from(["openapi.yaml", "../outside/secret.yml", "link_out/secret.yml"])
                    )
                },
            }
        }
    else:
        api_type = "AWS::ApiGateway::RestApi"
        api = {"Body": spec}
    template = {
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {
            "Fn": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"Handler": "app.handler", "Runtime": "python3.12", "CodeUri": "src/"},
            },
            "Api": {"Type": draw(st.sampled_from([api_type, "AWS::Serverless::HttpApi"])), "Properties": api},
        },
    }
    files: dict[str, bytes] = {"src/app.py": HANDLER_PY, "openapi.yaml": spec_file}
    if where == "terraform":
        body = hcl_literal(detag(spec))
        files["main.tf"] = (
            f'resource "aws_api_gateway_rest_api" "api" {{\n  name = "api"\n'
            f"  body = jsonencode({body})\n}}\n"
            'resource "aws_api_gateway_rest_api" "api2" {\n  name = "api2"\n'
            '  body = file("openapi.yaml")\n}\n'
            'resource "aws_api_gateway_rest_api" "api3" {\n  name = "api3"\n'
            '  body = file("../outside/secret.json")\n}\n'
        ).encode("utf-8", "surrogatepass")
    else:
        files["template.yaml"] = draw(emit_yaml(template))
    return Project(files, draw(links()))


PY_TEMPLATE = b"""\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      FunctionUrlConfig: {AuthType: NONE}
      Events:
        Get: {Type: Api, Properties: {Path: "/items/{id}", Method: get}}
        Q: {Type: SQS, Properties: {Queue: "arn:aws:sqs:us-east-1:123456789012:q"}}
"""


@st.composite
def python_project(draw: st.DrawFn) -> Project:
    app = draw(st.one_of(python_module().map(str.encode), seeded("app.py", "*.py")))
    files = {"template.yaml": PY_TEMPLATE, "src/app.py": app}
    if draw(st.booleans()):
        files["src/helpers.py"] = draw(st.one_of(python_module().map(str.encode), seeded("*.py")))
    if draw(st.booleans()):
        files["src/lib/deep.py"] = (
            "thing = 1\ndef f(x):\n" + "\n".join("    " + b for b in draw(python_block(1))) + "\n"
        ).encode()
    if rarely(draw, 5):
        files["src/lib/__init__.py"] = b"from .deep import *\nfrom . import deep\n"
    files.update(draw(fan_out(lambda i: f"src/p{i}.py", lambda n, k: f"from .p{n} import *\nimport p{n}\n")))
    if "src/p0.py" in files:
        files["src/app.py"] = b"from p0 import *\nimport p0\n" + files["src/app.py"]
    return Project(files, draw(links()))


JS_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: {handler}
      Runtime: nodejs20.x
      CodeUri: src/
      FunctionUrlConfig: {{AuthType: NONE}}
      Events:
        Get: {{Type: HttpApi, Properties: {{Path: "/items/{{id}}", Method: get}}}}
"""


@st.composite
def js_project(draw: st.DrawFn) -> Project:
    name = draw(
        st.sampled_from(["index.js", "index.mjs", "index.cjs", "index.ts", "app.js", "dist/index.js"])
    )
    handler = name.rsplit(".", 1)[0] + ".handler"
    code = draw(st.one_of(js_module().map(str.encode), seeded("*.js", "*.ts", "*.mjs")))
    files = {
        "template.yaml": JS_TEMPLATE.format(handler=handler).encode(),
        f"src/{name}": code,
        "src/helpers.js": draw(st.one_of(js_module().map(str.encode), seeded("*.js"))),
        "src/package.json": b'{"name": "fn", "type": "module", "dependencies": {"lodash": "4.17.4"}}',
    }
    if draw(st.booleans()):
        files["src/lib/helper.js"] = draw(js_module().map(str.encode))
    files.update(draw(fan_out(lambda i: f"src/m{i}.js", lambda n, k: f"export * from './m{n}.js';\n")))
    if "src/m0.js" in files:
        files[f"src/{name}"] = (
            b"import * as all from './m0.js';\nexport const handler = async (e) => all[e.k](e);\n"
        )
    return Project(files, draw(links()))


# --- parser properties -----------------------------------------------------------------------------


def parse_yaml_text(data: bytes) -> None:
    from faasguard.loaders.reader import decode_text, parse_json, parse_yaml

    try:
        text = decode_text(data)
        parse_yaml(text, "t.yaml", Limits(parse_seconds=5.0))
        parse_json(text, "t.json", Limits(parse_seconds=5.0))
    except ReadFailure:
        pass


def parse_hcl_text(data: bytes) -> None:
    from faasguard.loaders.reader import decode_text
    from faasguard.loaders.tf_hcl import parse_hcl

    with contextlib.suppress(ReadFailure):
        parse_hcl(decode_text(data), "main.tf", Limits(parse_seconds=5.0))


def _fronts() -> dict[str, Any]:
    from faasguard.analysis.code.analyse import _fronts as fronts

    return fronts()


def _parse_code(path: str, data: bytes) -> None:
    front = _fronts().get(Path(path).suffix)
    if front is None:
        return  # no front for this language yet: the scan property still covers the files
    # SyntaxError...: what the code analysis turns into an errors entry
    with contextlib.suppress(SyntaxError, ValueError, RecursionError, MemoryError):
        front.parse(path, data.decode("utf-8", "replace"))


def parse_python_text(data: bytes) -> None:
    _parse_code("app.py", data)


def parse_js_text(data: tuple[str, bytes]) -> None:
    _parse_code(*data)


def parse_dep_file(item: tuple[str, bytes]) -> None:
    from faasguard.analysis.deps import npm, python

    name, data = item
    text = data.decode("utf-8", "replace")
    parsers: dict[str, Callable[[], Any]] = {
        "requirements.txt": lambda: python.parse_requirements("requirements.txt", text, lambda rel: text),
        "pyproject.toml": lambda: python.parse_pyproject(name, text),
        "poetry.lock": lambda: python.parse_poetry_lock(name, text),
        "uv.lock": lambda: python.parse_uv_lock(name, text),
        "Pipfile.lock": lambda: python.parse_pipfile_lock(name, text),
        "package.json": lambda: npm.parse_package_json(name, text),
        "package-lock.json": lambda: npm.parse_package_lock(name, text),
        "yarn.lock": lambda: npm.parse_yarn_lock(name, text),
        "pnpm-lock.yaml": lambda: npm.parse_pnpm_lock(name, text),
        "METADATA": lambda: python.parse_dist_info("x.dist-info/METADATA", text, text, text),
    }
    parser = parsers.get(name, parsers["requirements.txt"])
    with contextlib.suppress(RecursionError):  # DepCache turns it into a "bound" error
        parser()


def parse_sls_text(data: bytes) -> None:
    from faasguard.loaders.sls_vars import split_template, split_top

    text = data.decode("utf-8", "replace")
    split_template(text)
    split_top(text)


@st.composite
def dep_item(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from([*sorted(DEP_FILES), "METADATA"]))
    if name == "METADATA":
        return name, draw(
            st.sampled_from([b"Name: x\nVersion: 1\nRequires-Dist: y>=1; extra == 'a'\n"]).flatmap(mutate)
        )
    data = draw(DEP_FILES[name]())
    return name, draw(mutate(data)) if draw(st.booleans()) else data


# --- the registry -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    project: st.SearchStrategy[Project]
    parse_input: st.SearchStrategy[Any]
    parse: Callable[[Any], None]
    use_config: bool = False


def _code_text(gen: st.SearchStrategy[str], *patterns: str) -> st.SearchStrategy[bytes]:
    return st.one_of(gen.map(lambda s: s.encode("utf-8", "surrogatepass")), seeded(*patterns))


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target("cfn-yaml", cfn_yaml_project(), yaml_text(), parse_yaml_text),
        Target("cfn-json", cfn_json_project(), json_text(), parse_yaml_text),
        Target(
            "serverless",
            serverless_project(),
            st.one_of(
                seeded("serverless.yml"),
                st.sampled_from(["${" * 50, "${self:a, ${b}}"]).map(str.encode),
                scalars().map(lambda v: str(v).encode("utf-8", "surrogatepass")),
            ),
            parse_sls_text,
        ),
        Target("chalice", chalice_project(), _code_text(chalice_app(), "app.py"), parse_python_text),
        Target(
            "terraform",
            terraform_project(),
            st.one_of(terraform_file().map(str.encode), seeded("*.tf")),
            parse_hcl_text,
        ),
        Target("deps", deps_project(), dep_item(), parse_dep_file, use_config=True),
        Target(
            "openapi",
            openapi_project(),
            openapi_doc(["Fn"]).flatmap(lambda d: st.one_of(emit_yaml(d), emit_json(d))),
            parse_yaml_text,
        ),
        Target("python-code", python_project(), _code_text(python_module(), "*.py"), parse_python_text),
        Target(
            "js-code",
            js_project(),
            st.tuples(
                st.sampled_from(["a.js", "a.ts", "a.mjs", "a.tsx"]), _code_text(js_module(), "*.js", "*.ts")
            ),
            parse_js_text,
        ),
    )
}
