"""The spec comparison: path shapes, spec reading, pairing and the facts behind FG-SHADOW-004..007."""

from __future__ import annotations

from pathlib import Path

import pytest

from faasguard.analysis.api_spec import (
    API_KEY,
    AUTH,
    NONE,
    UNKNOWN_METHODS,
    Spec,
    SpecComparison,
    compare_specs,
    covers,
    greedy_prefix,
    shape,
    spec_from_document,
)
from faasguard.analysis.facts import Facts
from faasguard.api import ScanOptions, scan
from faasguard.engine import load_applications
from faasguard.loaders.reader import parse_yaml

RULES = Path(__file__).resolve().parent.parent / "rules"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/users/{id}", "/users/{}"),
        ("/users/{userId}/", "/users/{}"),
        ("users/{id}", "/users/{}"),  # Serverless writes paths without the leading slash
        ("/users/:id", "/users/{}"),  # Express-style, from code
        ("//users///{id}", "/users/{}"),
        ("/files/{key}.json", "/files/{}.json"),
        ("/{proxy+}", "/{+}"),
        ("/files/{path+}", "/files/{+}"),
        ("/", "/"),
        ("$default", "$default"),
        ("/$default", "$default"),
    ],
)
def test_shape(path: str, expected: str) -> None:
    assert shape(path) == expected


def test_catch_all_coverage() -> None:
    assert greedy_prefix("/{+}") == ""
    assert greedy_prefix("/files/{+}") == "/files"
    assert greedy_prefix("$default") == ""
    assert greedy_prefix("/files/{}") is None
    assert covers("", "/users/{}")
    assert covers("/files", "/files/a/b")
    assert not covers("/files", "/files")  # {proxy+} needs at least one segment
    assert not covers("/files", "/filesystem/x")
    assert not covers("", "/")


def _spec(text: str, rel: str = "openapi.yaml") -> Spec | None:
    return spec_from_document(parse_yaml(text)[0], rel)


def test_spec_reading_lines_bases_security() -> None:
    spec = _spec(
        """\
swagger: "2.0"
info: {title: Orders API, version: "1"}
host: orders.example.com:443
basePath: /v1/
securityDefinitions:
  key: {type: apiKey, in: header, name: x-api-key}
  token: {type: apiKey, in: header, name: Authorization}
  cognito:
    type: apiKey
    name: Authorization
    in: header
    x-amazon-apigateway-authtype: cognito_user_pools
security:
  - cognito: []
paths:
  /orders:
    get:
      security: [{key: []}]
    post: {}
  /orders/{id}:
    x-amazon-apigateway-any-method:
      security: [{key: []}, {token: []}]
    parameters: []
  /health:
    get:
      security: [{}]
  /split:
    $ref: paths/split.yaml
"""
    )
    assert spec is not None
    assert spec.title == "Orders API"
    assert spec.hosts == ("orders.example.com",)
    assert spec.base_paths == ("/v1",)
    assert spec.source.line == 1
    got = [(op.method, op.path, op.source.line, op.auth, op.schemes) for op in spec.ops]
    assert got == [
        ("GET", "/orders", 17, API_KEY, ("key",)),
        ("POST", "/orders", 19, AUTH, ("cognito",)),
        ("ANY", "/orders/{id}", 21, API_KEY, ("key",)),  # the weakest alternative counts
        ("GET", "/health", 25, NONE, ()),
        (UNKNOWN_METHODS, "/split", 27, NONE, ()),
    ]


def test_spec_without_security_says_nothing_about_auth() -> None:
    spec = _spec("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {}\n")
    assert spec is not None
    assert [op.auth for op in spec.ops] == [None]


def test_servers_with_variables_and_relative_urls() -> None:
    spec = _spec(
        """\
openapi: 3.0.1
info: {title: t, version: '1'}
servers:
  - url: https://{restApiId}.execute-api.{region}.amazonaws.com/{basePath}
    variables:
      restApiId: {default: abc}
      region: {default: eu-west-1}
      basePath: {default: /prod}
  - url: /api
  - url: https://api.example.com
paths: {}
"""
    )
    assert spec is not None
    assert spec.hosts == ("abc.execute-api.eu-west-1.amazonaws.com", "api.example.com")
    assert spec.base_paths == ("/prod", "/api")


@pytest.mark.parametrize(
    "text",
    [
        "openapi: 3.0.0\ninfo: {title: t}\n",  # no paths
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n",
        "- openapi\n",
        "openapi: 3.0.0\npaths: [1, 2]\n",
    ],
)
def test_not_a_spec(text: str) -> None:
    assert _spec(text) is None


def _compare(folder: Path) -> dict[str, SpecComparison]:
    root = folder.resolve()
    apps, errors, _ = load_applications(root, ScanOptions())
    assert not errors
    facts = Facts(root, ScanOptions())
    return {app.root: compare_specs(facts, app) for app in apps}


def test_pairing_by_server_url_and_title() -> None:
    result = _compare(RULES / "FG-SHADOW-004" / "fail_two_apis_two_specs")["."]
    assert sorted(result.pairs) == [
        ("AdminApi", "specs/backoffice.yaml", "title"),
        ("StoreApi", "specs/store.yaml", "server-url"),
    ]
    assert result.unpaired == ()
    got = sorted((d.kind, d.api.id, d.spec.path, d.pairing, d.source.line) for d in result.drifts)
    assert got == [
        ("shadow", "AdminApi", "specs/backoffice.yaml", "title", 67),
        ("shadow", "StoreApi", "specs/store.yaml", "server-url", 50),
    ]


def test_pairing_by_reference_and_only_spec() -> None:
    merged = _compare(RULES / "FG-SHADOW-004" / "fail_sam_merged_definition")["."]
    assert merged.pairs == (("OrdersApi", "template.yaml", "reference"),)
    assert [(d.kind, d.pairing, d.by_definition, d.source.line) for d in merged.drifts] == [
        ("shadow", "reference", True, 46)
    ]
    only = _compare(RULES / "FG-SHADOW-004" / "fail_sam_doc_spec")["."]
    assert only.pairs == (("ServerlessRestApi", "openapi.yaml", "only-spec"),)


def test_referenced_file_is_not_also_a_documentation_spec() -> None:
    result = _compare(RULES / "FG-SHADOW-005" / "pass_definition_and_ref_items")["."]
    assert sorted(result.pairs) == [
        ("Api", "api.yaml", "reference"),
        ("Api", "docs/openapi.yaml", "only-spec"),
    ]
    assert result.drifts == ()


def test_unpaired_specs_are_said_not_compared() -> None:
    several = _compare(RULES / "FG-SHADOW-004" / "pass_unpaired_specs")["."]
    assert several.pairs == ()
    assert several.unpaired == (("openapi.yml", "several APIs and no reference, host or title"),)
    foreign = _compare(RULES / "FG-SHADOW-004" / "pass_spec_of_another_api")["."]
    assert foreign.unpaired == (("clients/partner.yaml", "API ServerlessHttpApi serves none of its paths"),)


def test_catch_all_lists_the_documented_routes_it_alone_serves() -> None:
    result = _compare(RULES / "FG-SHADOW-004" / "fail_proxy_catch_all")["."]
    assert [(d.kind, d.route.label if d.route else None, d.covered) for d in result.drifts] == [
        ("shadow", "ANY /{proxy+}", ("GET /users", "GET /users/{userId}", "DELETE /users/{userId}"))
    ]


def test_findings_carry_pairing_in_extra() -> None:
    case = RULES / "FG-SHADOW-004" / "fail_two_apis_two_specs"
    result = scan(case, ScanOptions(select=frozenset({"FG-SHADOW-004"}), use_config=False))
    assert sorted(
        (f.resource, f.extra["pairing"], f.extra["spec"], f.extra["api"]) for f in result.findings
    ) == [
        ("AdminFunction", "title", "specs/backoffice.yaml", "AdminApi"),
        ("StoreFunction", "server-url", "specs/store.yaml", "StoreApi"),
    ]


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      InlineCode: x
      Events:
        Get: {Type: Api, Properties: {Path: /things, Method: get}}
"""


def test_broken_spec_is_an_error_with_its_line(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "template.yaml": _TEMPLATE,
            "openapi.yaml": "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: [\n",
        },
    )
    options = ScanOptions(select=frozenset({"FG-SHADOW-004"}), use_config=False)
    result = scan(tmp_path, options)
    assert result.findings == []
    assert [(e.path, e.line, e.message.split(":")[0]) for e in result.errors] == [
        ("openapi.yaml", 6, "OpenAPI document not read")
    ]


def test_specs_of_nested_applications_stay_theirs(tmp_path: Path) -> None:
    spec = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /other:\n    get: {}\n"
    _write(
        tmp_path,
        {
            "template.yaml": _TEMPLATE,
            "services/billing/template.yaml": _TEMPLATE.replace("/things", "/other"),
            "services/billing/docs/openapi.yaml": spec,
            "node_modules/pkg/openapi.yaml": spec,
        },
    )
    results = _compare(tmp_path)
    assert results["."].pairs == ()
    assert results["."].unpaired == ()
    assert results["services/billing"].pairs == (
        ("ServerlessRestApi", "services/billing/docs/openapi.yaml", "only-spec"),
    )
    assert results["services/billing"].drifts == ()


def test_unpaired_spec_is_a_note_not_a_finding_or_error() -> None:
    case = RULES / "FG-SHADOW-004" / "pass_spec_of_another_api"
    result = scan(case, ScanOptions(select=frozenset({"FG-SHADOW-004", "FG-SHADOW-005"}), use_config=False))
    assert result.findings == []
    assert result.errors == []
    assert [(n.path, n.line, n.message, n.kind) for n in result.notes] == [
        (
            "clients/partner.yaml",
            1,
            "OpenAPI document not compared with the deployed routes: "
            "API ServerlessHttpApi serves none of its paths",
            "note",
        )
    ]
