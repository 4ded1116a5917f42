"""Layers the application builds itself: the loaders record each layer's content folder and link
the functions attaching it; the dependency inventory reads the manifests, lockfiles and vendored
packages inside that folder and attributes them to every attaching function; reachability
follows the handler's imports onto the layer's import path.

Advisories come from the OSV records in `examples/osv` (real public records, cut down)."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

import pytest

from faasguard.api import ScanOptions, scan
from faasguard.engine import load_applications
from faasguard.model import Application
from faasguard.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
OSV = ROOT / "examples" / "osv"
FIXTURES = ROOT / "tests" / "rules" / "FG-DEP-002"
DAY = dt.date(2026, 11, 29)


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def load(root: Path) -> list[Application]:
    apps, errors, _ = load_applications(root.resolve(), ScanOptions(use_config=False))
    assert not [e for e in errors if e.kind == "internal"], errors
    return apps


def dep_findings(root: Path, osv: Path | None = OSV, rule: str = "FG-DEP-002") -> list[dict[str, Any]]:
    options = ScanOptions(
        select=frozenset({rule}), settings=Settings(today=DAY), use_config=False, osv_db=osv
    )
    result = scan(root.resolve(), options)
    assert not [e for e in result.errors if e.kind == "internal"], result.errors
    rows = [
        {
            "path": f.location.path,
            "line": f.location.line,
            "severity": str(f.severity),
            "advisory": f.extra.get("advisory"),
            "functions": f.extra["functions"],
            "layers": f.extra.get("layers"),
            "reachable": f.extra.get("reachable"),
        }
        for f in result.findings
    ]
    return sorted(rows, key=lambda r: (r["path"], r["line"], str(r["advisory"])))


SAM_LAYER = """
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Layers:
      - !Ref DepsLayer
Resources:
  DepsLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      LayerName: deps
      ContentUri: layers/deps/
      CompatibleRuntimes:
        - python3.12
    Metadata:
      BuildMethod: python3.12
  S3Layer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri:
        Bucket: my-artifacts
        Key: layers/s3.zip
  ApiFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/api/
      Handler: app.handler
      Layers:
        - !Ref S3Layer
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /items
            Method: get
  WorkerFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/worker/
      Handler: app.handler
"""


# --- loaders ------------------------------------------------------------------------------------


def test_sam_layer_content_and_references(tmp_path: Path) -> None:
    write(tmp_path, {"template.yaml": SAM_LAYER, "layers/deps/requirements.txt": "requests==2.19.1\n"})
    (app,) = load(tmp_path)
    assert [(lv.id, lv.content_dir, lv.build_method, lv.name, lv.runtimes) for lv in app.layers] == [
        ("DepsLayer", "layers/deps", "python3.12", "deps", ("python3.12",)),
        ("S3Layer", None, None, None, ()),
    ]
    assert app.layer("DepsLayer") is app.layers[0]
    api = app.function("ApiFunction")
    worker = app.function("WorkerFunction")
    assert api is not None and worker is not None
    # Globals lists come first, then the function's own (SAM's merge rule).
    assert [(ly.arn, ly.layer_id, ly.content_dir) for ly in api.layers] == [
        ("${DepsLayer}", "DepsLayer", "layers/deps"),
        ("${S3Layer}", "S3Layer", None),
    ]
    assert [(ly.layer_id, ly.content_dir) for ly in worker.layers] == [("DepsLayer", "layers/deps")]


def test_cloudformation_layer_s3_content_and_cdk_asset(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "cdk.out/AppStack.template.json": """
            {
              "Resources": {
                "SharedLayerA1B2C3": {
                  "Type": "AWS::Lambda::LayerVersion",
                  "Properties": {
                    "Content": {"S3Bucket": "cdk-assets", "S3Key": "abc123.zip"},
                    "CompatibleRuntimes": ["python3.12"]
                  },
                  "Metadata": {
                    "aws:cdk:path": "AppStack/SharedLayer/Resource",
                    "aws:asset:path": "asset.abc123",
                    "aws:asset:is-bundled": false,
                    "aws:asset:property": "Content"
                  }
                },
                "PlainLayer": {
                  "Type": "AWS::Lambda::LayerVersion",
                  "Properties": {"Content": {"S3Bucket": "b", "S3Key": "k.zip"}}
                },
                "HandlerFn": {
                  "Type": "AWS::Lambda::Function",
                  "Properties": {
                    "Code": {"S3Bucket": "cdk-assets", "S3Key": "def456.zip"},
                    "Handler": "index.handler",
                    "Runtime": "python3.12",
                    "Role": "arn:aws:iam::123456789012:role/x",
                    "Layers": [{"Ref": "SharedLayerA1B2C3"}, {"Ref": "PlainLayer"}]
                  },
                  "Metadata": {"aws:asset:path": "asset.def456", "aws:asset:property": "Code"}
                }
              }
            }
            """,
            "cdk.out/asset.abc123/python/requirements.txt": "PyYAML==5.3\n",
            "cdk.out/asset.def456/index.py": (
                "import yaml\n\n\ndef handler(event, context):\n    return yaml.load(event)\n"
            ),
        },
    )
    (app,) = load(tmp_path)
    assert [(lv.id, lv.content_dir) for lv in app.layers] == [
        ("SharedLayerA1B2C3", "cdk.out/asset.abc123"),
        ("PlainLayer", None),
    ]
    fn = app.function("HandlerFn")
    assert fn is not None
    assert [(ly.layer_id, ly.content_dir) for ly in fn.layers] == [
        ("SharedLayerA1B2C3", "cdk.out/asset.abc123"),
        ("PlainLayer", None),
    ]
    assert dep_findings(tmp_path) == [
        {
            "path": "cdk.out/asset.abc123/python/requirements.txt",
            "line": 1,
            "severity": "critical",
            "advisory": advisory,
            "functions": ["HandlerFn"],
            "layers": ["SharedLayerA1B2C3"],
            "reachable": "yes",
        }
        for advisory in ("GHSA-6757-jp84-gxfx", "GHSA-8q59-q68h-6hv4")
    ]


def test_serverless_layers_path_artifact_and_refs(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "svc/serverless.yml": """
            service: svc
            provider:
              name: aws
              runtime: nodejs22.x
            layers:
              common_libs:
                path: layers/common
              prebuilt:
                package:
                  artifact: dist/prebuilt.zip
            functions:
              hello:
                handler: index.hello
                layers:
                  - Ref: CommonUnderscorelibsLambdaLayer
                  - { Ref: PrebuiltLambdaLayer }
                  - arn:aws:lambda:us-east-1:123456789012:layer:vendor:4
            """,
            "svc/index.js": "exports.hello = async () => ({});\n",
            "svc/layers/common/nodejs/package.json": '{"name": "common", "dependencies": {}}\n',
        },
    )
    (app,) = load(tmp_path)
    assert [(lv.id, lv.content_dir, lv.name, lv.source.path, lv.source.line) for lv in app.layers] == [
        ("CommonUnderscorelibsLambdaLayer", "svc/layers/common", "common_libs", "svc/serverless.yml", 6),
        ("PrebuiltLambdaLayer", None, "prebuilt", "svc/serverless.yml", 8),
    ]
    fn = app.function("HelloLambdaFunction")
    assert fn is not None
    assert [(ly.layer_id, ly.content_dir) for ly in fn.layers] == [
        ("CommonUnderscorelibsLambdaLayer", "svc/layers/common"),
        ("PrebuiltLambdaLayer", None),
        (None, None),
    ]


def test_serverless_layer_path_leaving_the_root_is_an_error(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "serverless.yml": """
            service: svc
            provider:
              name: aws
              runtime: python3.12
            layers:
              outside:
                path: ../elsewhere
            functions:
              hello:
                handler: handler.hello
                layers:
                  - Ref: OutsideLambdaLayer
            """,
            "handler.py": "def hello(event, context):\n    return {}\n",
        },
    )
    result = scan(tmp_path.resolve(), ScanOptions(use_config=False))
    assert [(e.path, e.line, e.message) for e in result.errors] == [
        ("serverless.yml", 6, "layer path ../elsewhere leaves the scanned folder: not read")
    ]
    (app,) = load(tmp_path)
    assert [(lv.id, lv.content_dir) for lv in app.layers] == [("OutsideLambdaLayer", None)]


TF_LAYER = """
data "archive_file" "layer" {
  type        = "zip"
  source_dir  = "${path.module}/layer"
  output_path = "${path.module}/build/layer.zip"
}

resource "aws_lambda_layer_version" "deps" {
  filename            = data.archive_file.layer.output_path
  layer_name          = "deps"
  compatible_runtimes = ["python3.12"]
}

resource "aws_lambda_layer_version" "prebuilt" {
  filename   = "vendor/prebuilt-layer.zip"
  layer_name = "prebuilt"
}

data "archive_file" "fn" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/fn.zip"
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  filename      = data.archive_file.fn.output_path
  handler       = "app.handler"
  runtime       = "python3.12"
  role          = "arn:aws:iam::123456789012:role/api"
  layers        = [aws_lambda_layer_version.deps.arn, aws_lambda_layer_version.prebuilt.arn]
}
"""


def test_terraform_layer_archive_source_dir(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": TF_LAYER,
            "src/app.py": "import requests\n\ndef handler(event, context):\n    return requests.get(event)\n",
            "layer/python/requirements.txt": "requests==2.19.1\n",
        },
    )
    (app,) = load(tmp_path)
    assert [(lv.id, lv.content_dir, lv.name) for lv in app.layers] == [
        ("aws_lambda_layer_version.deps", "layer", "deps"),
        ("aws_lambda_layer_version.prebuilt", None, "prebuilt"),
    ]
    fn = app.function("aws_lambda_function.api")
    assert fn is not None
    assert [(ly.layer_id, ly.content_dir, ly.source.line) for ly in fn.layers] == [
        ("aws_lambda_layer_version.deps", "layer", 30),
        ("aws_lambda_layer_version.prebuilt", None, 30),
    ]
    assert dep_findings(tmp_path) == [
        {
            "path": "layer/python/requirements.txt",
            "line": 1,
            "severity": "high",
            "advisory": "GHSA-x84v-xcm2-53pg",
            "functions": ["aws_lambda_function.api"],
            "layers": ["aws_lambda_layer_version.deps"],
            "reachable": "yes",
        }
    ]


# --- inventory and findings on the rule fixtures -------------------------------------------------


def test_sam_fixture_layer_packages_attributed_to_each_attaching_function() -> None:
    both = ["OrdersFunction", "ReportsFunction"]
    assert dep_findings(FIXTURES / "layer_sam", osv=None) == [
        {
            "path": "layers/nodelibs/nodejs/node_modules/lodash/package.json",
            "line": 3,
            "severity": "high",
            "advisory": "GHSA-35jh-r3h4-6jhm",
            "functions": ["NotifyFunction"],
            "layers": ["NodeLibsLayer"],
            "reachable": "yes",
        },
        {
            "path": "layers/nodelibs/nodejs/node_modules/lodash/package.json",
            "line": 3,
            "severity": "high",
            "advisory": "GHSA-p6mc-m468-83gw",
            "functions": ["NotifyFunction"],
            "layers": ["NodeLibsLayer"],
            "reachable": "yes",
        },
        {
            "path": "layers/shared/requirements.txt",
            "line": 1,
            "severity": "critical",  # high, raised: OrdersFunction imports it behind a public API
            "advisory": "GHSA-x84v-xcm2-53pg",
            "functions": both,
            "layers": ["SharedDepsLayer"],
            "reachable": "yes",
        },
        {
            "path": "layers/shared/requirements.txt",
            "line": 2,
            "severity": "critical",
            "advisory": "GHSA-6757-jp84-gxfx",
            "functions": both,
            "layers": ["SharedDepsLayer"],
            "reachable": "yes",
        },
        {
            "path": "layers/shared/requirements.txt",
            "line": 2,
            "severity": "critical",
            "advisory": "GHSA-8q59-q68h-6hv4",
            "functions": both,
            "layers": ["SharedDepsLayer"],
            "reachable": "yes",
        },
    ]


def test_serverless_fixture_vendored_site_packages_in_layer() -> None:
    both = ["ImporterLambdaFunction", "SearchLambdaFunction"]
    meta = "layer/python/lib/python3.12/site-packages/{}.dist-info/METADATA"
    assert dep_findings(FIXTURES / "layer_serverless", osv=None) == [
        {
            "path": meta.format("PyYAML-5.3"),
            "line": 3,
            "severity": "critical",
            "advisory": advisory,
            "functions": both,
            "layers": ["SharedDashlibsLambdaLayer"],
            "reachable": "yes",
        }
        for advisory in ("GHSA-6757-jp84-gxfx", "GHSA-8q59-q68h-6hv4")
    ] + [
        {
            "path": meta.format("requests-2.19.1"),
            "line": 3,
            "severity": "medium",  # high, lowered: neither handler imports it (metadata graph known)
            "advisory": "GHSA-x84v-xcm2-53pg",
            "functions": both,
            "layers": ["SharedDashlibsLambdaLayer"],
            "reachable": "no",
        }
    ]


def test_terraform_fixture_layer_lockfile_transitive() -> None:
    functions = ["aws_lambda_function.cleanup", "aws_lambda_function.digest"]
    assert dep_findings(FIXTURES / "layer_terraform", osv=None) == [
        {
            "path": "layer/nodejs/package-lock.json",
            "line": 23,
            "severity": "high",
            "advisory": advisory,
            "functions": functions,
            "layers": ["aws_lambda_layer_version.shared"],
            "reachable": "yes",
        }
        for advisory in ("GHSA-35jh-r3h4-6jhm", "GHSA-p6mc-m468-83gw")
    ]


def test_fixed_versions_and_lookalike_names_in_layers_stay_silent() -> None:
    assert dep_findings(FIXTURES / "pass_layer_fixed", osv=None) == []
    assert dep_findings(FIXTURES / "pass_layer_fixed", osv=OSV) == []


def test_inventory_reads_the_layer_python_folder_and_node_modules() -> None:
    from faasguard.analysis.deps.analysis import inventory
    from faasguard.analysis.facts import Facts

    root = (FIXTURES / "pass_layer_fixed").resolve()
    (app,) = load(root)
    facts = Facts(root, ScanOptions(use_config=False))
    rows = sorted(
        (u.package.source.path, u.package.source.line, u.package.name, u.package.version, tuple(u.functions))
        for u in inventory(app, facts).uses
    )
    assert rows == [
        (
            "layers/nodelibs/nodejs/node_modules/lodash.get/package.json",
            3,
            "lodash.get",
            "4.4.2",
            ("NotifyFunction",),
        ),
        (
            "layers/nodelibs/nodejs/node_modules/lodash/package.json",
            3,
            "lodash",
            "4.17.21",
            ("NotifyFunction",),
        ),
        ("layers/shared/python/requirements.txt", 1, "requests", "2.32.4", ("OrdersFunction",)),
        ("layers/shared/python/requirements.txt", 2, "PyYAML", "6.0.1", ("OrdersFunction",)),
        ("layers/shared/python/requirements.txt", 3, "pyyaml-include", "1.3", ("OrdersFunction",)),
    ]


# --- reachability through the layer's import path -----------------------------------------------


def _shared_code_project(tmp_path: Path, handler: str) -> Path:
    return write(
        tmp_path,
        {
            "template.yaml": """
            AWSTemplateFormatVersion: '2010-09-09'
            Transform: AWS::Serverless-2016-10-31
            Resources:
              CommonLayer:
                Type: AWS::Serverless::LayerVersion
                Properties:
                  ContentUri: common/
              JobFunction:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: job/
                  Handler: app.handler
                  Runtime: python3.12
                  Layers:
                    - !Ref CommonLayer
            """,
            "job/app.py": handler,
            # A shared-code layer: its own module plus the packages it needs.
            "common/python/clients.py": "import requests\n\n\ndef fetch(u):\n    return requests.get(u)\n",
            "common/python/requests-2.19.1.dist-info/METADATA": (
                "Metadata-Version: 2.1\nName: requests\nVersion: 2.19.1\n"
            ),
            "common/python/requests-2.19.1.dist-info/top_level.txt": "requests\n",
            "common/python/requests/__init__.py": "",
        },
    )


def test_layer_module_imported_by_handler_is_followed(tmp_path: Path) -> None:
    _shared_code_project(
        tmp_path, "from clients import fetch\n\n\ndef handler(event, context):\n    return fetch('x')\n"
    )
    (finding,) = dep_findings(tmp_path)
    assert (finding["path"], finding["line"], finding["reachable"], finding["layers"]) == (
        "common/python/requests-2.19.1.dist-info/METADATA",
        3,
        "yes",
        ["CommonLayer"],
    )


def test_layer_package_not_imported_is_unreachable(tmp_path: Path) -> None:
    _shared_code_project(
        tmp_path, "import json\n\n\ndef handler(event, context):\n    return json.dumps(event)\n"
    )
    (finding,) = dep_findings(tmp_path)
    assert (finding["severity"], finding["reachable"], finding["functions"]) == (
        "medium",
        "no",
        ["JobFunction"],
    )


def test_layer_without_code_folder_still_attributed(tmp_path: Path) -> None:
    """A function whose code is a prebuilt zip still ships what its layer holds."""
    write(
        tmp_path,
        {
            "main.tf": TF_LAYER.replace("data.archive_file.fn.output_path", '"dist/api.zip"'),
            "layer/requirements.txt": "requests==2.19.1\n",
        },
    )
    assert dep_findings(tmp_path) == [
        {
            "path": "layer/requirements.txt",
            "line": 1,
            "severity": "high",
            "advisory": "GHSA-x84v-xcm2-53pg",
            "functions": ["aws_lambda_function.api"],
            "layers": ["aws_lambda_layer_version.deps"],
            "reachable": "unknown",
        }
    ]


@pytest.mark.parametrize("content", ["layers/missing/", "template.yaml"])
def test_layer_content_not_a_folder_is_skipped(tmp_path: Path, content: str) -> None:
    write(
        tmp_path,
        {
            "template.yaml": SAM_LAYER.replace("layers/deps/", content),
            "src/api/app.py": "def handler(event, context):\n    return {}\n",
            "src/worker/app.py": "def handler(event, context):\n    return {}\n",
        },
    )
    assert dep_findings(tmp_path) == []


def test_odd_layer_shapes_load_without_errors(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "sam/template.yaml": """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              ListLayer:
                Type: AWS::Serverless::LayerVersion
                Properties:
                  ContentUri: [1, 2]
                  CompatibleRuntimes: python3.12
              SubLayer:
                Type: AWS::Serverless::LayerVersion
                Properties:
                  ContentUri: !Sub "${AWS::Region}/layer"
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: .
                  Handler: app.handler
                  Runtime: python3.12
                  Layers:
                    - !GetAtt ListLayer.Arn
                    - !Ref SubLayer
            """,
            "sls/serverless.yml": """
            service: odd
            provider:
              name: aws
              runtime: python3.12
            layers:
              listy: [path, layer]
              plain: just-a-string
              "42":
                path: 42
            functions:
              hello:
                handler: handler.hello
                layers: {Ref: PlainLambdaLayer}
            """,
        },
    )
    apps = {a.kind: a for a in load(tmp_path)}
    assert [(lv.id, lv.content_dir, lv.runtimes) for lv in apps["sam"].layers] == [
        ("ListLayer", None, ()),
        ("SubLayer", None, ()),
    ]
    fn = apps["sam"].function("Fn")
    assert fn is not None
    assert [ly.layer_id for ly in fn.layers] == ["ListLayer", "SubLayer"]
    assert [(lv.id, lv.content_dir) for lv in apps["serverless"].layers] == [("42LambdaLayer", None)]
    result = scan(tmp_path.resolve(), ScanOptions(use_config=False, osv_db=OSV))
    assert not [e for e in result.errors if e.kind == "internal"], result.errors
