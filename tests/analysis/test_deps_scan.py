"""Scans with --osv-db pointing at OSV records: the demo app's pinned vulnerable packages are found
at their lines, fixed versions and look-alike names stay silent, lockfile closures, reachability,
unpinned ranges, malicious packages, and "no data" reported in errors.

The advisories below are real public records, cut down to the fields matching uses (IDs,
aliases, summary, affected ranges, CVSS vectors)."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import pytest

from faasguard.analysis.deps.store import import_path
from faasguard.api import ScanOptions, scan
from faasguard.findings import ScanResult
from faasguard.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEP_RULES = frozenset({"FG-DEP-002", "FG-DEP-003", "FG-DEP-004", "FG-DEP-005", "FG-DEP-006"})


def _rec(
    ident: str,
    aliases: list[str],
    summary: str,
    ecosystem: str,
    name: str,
    events: list[dict[str, str]],
    vector: str | None = None,
    versions: list[str] | None = None,
    db_severity: str | None = None,
) -> dict[str, Any]:
    affected: dict[str, Any] = {
        "package": {"ecosystem": ecosystem, "name": name},
        "ranges": [{"type": "SEMVER" if ecosystem == "npm" else "ECOSYSTEM", "events": events}],
    }
    if versions:
        affected["versions"] = versions
    out: dict[str, Any] = {
        "schema_version": "1.6.0",
        "id": ident,
        "modified": "2024-06-01T00:00:00Z",
        "published": "2020-01-01T00:00:00Z",
        "aliases": aliases,
        "affected": [affected],
    }
    if summary:
        out["summary"] = summary
    else:
        out["details"] = "See the CVE."
    if vector:
        out["severity"] = [{"type": "CVSS_V3", "score": vector}]
    if db_severity:
        out["database_specific"] = {"severity": db_severity}
    return out


CRIT = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
ADVISORIES = [
    _rec(
        "GHSA-x84v-xcm2-53pg",
        ["CVE-2018-18074"],
        "Insufficiently Protected Credentials in Requests",
        "PyPI",
        "requests",
        [{"introduced": "0"}, {"fixed": "2.20.0"}],
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
        db_severity="HIGH",
    ),
    _rec(
        "PYSEC-2018-28",
        ["CVE-2018-18074", "GHSA-x84v-xcm2-53pg"],
        "",
        "PyPI",
        "requests",
        [{"introduced": "0"}, {"fixed": "2.20.0"}],
        versions=["2.19.0", "2.19.1"],
    ),
    _rec(
        "GHSA-6757-jp84-gxfx",
        ["CVE-2020-1747", "PYSEC-2020-96"],
        "Improper Input Validation in PyYAML",
        "PyPI",
        "PyYAML",
        [{"introduced": "5.1b7"}, {"fixed": "5.3.1"}],
        CRIT,
    ),
    _rec(
        "GHSA-8q59-q68h-6hv4",
        ["CVE-2020-14343", "PYSEC-2021-142"],
        "Improper Input Validation in PyYAML",
        "PyPI",
        "pyyaml",
        [{"introduced": "0"}, {"fixed": "5.4"}],
        CRIT,
    ),
    _rec(
        "GHSA-35jh-r3h4-6jhm",
        ["CVE-2021-23337"],
        "Command Injection in lodash",
        "npm",
        "lodash",
        [{"introduced": "0"}, {"fixed": "4.17.21"}],
        "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H",
    ),
    _rec(
        "GHSA-p6mc-m468-83gw",
        ["CVE-2020-8203"],
        "Prototype Pollution in lodash",
        "npm",
        "lodash",
        [{"introduced": "0"}, {"fixed": "4.17.19"}],
        "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H",
    ),
    _rec(
        "GHSA-q4v7-4rhw-9hqm",
        ["CVE-2017-5941"],
        "Code Execution through IIFE in node-serialize",
        "npm",
        "node-serialize",
        [{"introduced": "0"}, {"last_affected": "0.0.4"}],
        CRIT,
    ),
]


def write_osv(folder: Path, records: list[dict[str, Any]] = ADVISORIES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for rec in records:
        (folder / f"{rec['id']}.json").write_text(json.dumps(rec, indent=2), encoding="utf-8")
    return folder


@pytest.fixture
def osv(tmp_path: Path) -> Path:
    return write_osv(tmp_path / "osv")


def run(path: Path, osv_db: Path | None, rules: frozenset[str] = DEP_RULES, **more: Any) -> ScanResult:
    options = ScanOptions(
        select=rules,
        settings=Settings(today=dt.date(2026, 11, 29)),
        use_config=False,
        osv_db=osv_db,
        **more,
    )
    return scan(path, options)


def rows(result: ScanResult) -> list[tuple[str, str, int, str, str]]:
    return sorted(
        (f.rule, f.location.path, f.location.line, f.severity.value, str(f.extra.get("advisory", "")))
        for f in result.findings
    )


# --- the demo app -------------------------------------------------------------------------------


def test_demo_app_pinned_vulnerable_packages_at_their_lines(osv: Path) -> None:
    result = run(ROOT / "examples", osv)
    assert result.errors == []
    assert rows(result) == [
        # requests is imported by the public orders handler: high raised to critical
        ("FG-DEP-002", "src/orders/requirements.txt", 1, "critical", "GHSA-x84v-xcm2-53pg"),
        # PyYAML is not imported, but a flat requirements.txt cannot say what else loads it
        ("FG-DEP-002", "src/orders/requirements.txt", 2, "critical", "GHSA-6757-jp84-gxfx"),
        ("FG-DEP-002", "src/orders/requirements.txt", 2, "critical", "GHSA-8q59-q68h-6hv4"),
        # the reports handler loads no package at all: each lowered one level
        ("FG-DEP-002", "src/reports/package.json", 6, "medium", "GHSA-35jh-r3h4-6jhm"),
        ("FG-DEP-002", "src/reports/package.json", 6, "medium", "GHSA-p6mc-m468-83gw"),
        ("FG-DEP-002", "src/reports/package.json", 7, "high", "GHSA-q4v7-4rhw-9hqm"),
    ]
    requests = next(f for f in result.findings if f.extra["package"] == "requests")
    assert requests.extra["advisories"] == ["GHSA-x84v-xcm2-53pg", "CVE-2018-18074", "PYSEC-2018-28"]
    assert requests.extra["fixed"] == "2.20.0"
    assert requests.extra["functions"] == ["OrdersFunction"]
    assert requests.extra["reachable"] == "yes" and requests.extra["reached_from_public"] is True
    assert requests.extra["cvss_score"] == 7.5
    assert requests.message.startswith(
        "requests 2.19.1 is affected by GHSA-x84v-xcm2-53pg (CVE-2018-18074, PYSEC-2018-28): "
        "Insufficiently Protected Credentials in Requests; fixed in 2.20.0"
    )
    serialize = next(f for f in result.findings if f.extra["package"] == "node-serialize")
    assert serialize.extra["fixed"] is None and "no fixed version" in serialize.message
    assert serialize.extra["reachable"] == "no"
    lodash = [f for f in result.findings if f.extra["package"] == "lodash"]
    assert sorted(str(f.extra["fixed"]) for f in lodash) == ["4.17.19", "4.17.21"]


def test_demo_app_unchanged_without_vulnerability_data() -> None:
    result = run(ROOT / "examples", None)
    assert result.findings == [] and result.errors == []


def test_zip_export_and_database_give_the_same_findings(osv: Path, tmp_path: Path) -> None:
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for rec in ADVISORIES:
            zf.writestr(f"{rec['id']}.json", json.dumps(rec))
    database = tmp_path / "osv.sqlite"
    stats = import_path(database, osv)
    assert (stats.records, stats.by_ecosystem) == (7, {"PyPI": 4, "npm": 3})
    expected = rows(run(ROOT / "examples", osv))
    assert rows(run(ROOT / "examples", archive)) == expected
    assert rows(run(ROOT / "examples", database)) == expected


# --- fixed versions and look-alike names ----------------------------------------------------------

TEMPLATE = textwrap.dedent(
    """\
    AWSTemplateFormatVersion: '2010-09-09'
    Transform: AWS::Serverless-2016-10-31
    Resources:
      PyFunction:
        Type: AWS::Serverless::Function
        Properties:
          CodeUri: py/
          Handler: app.handler
          Runtime: python3.12
      NodeFunction:
        Type: AWS::Serverless::Function
        Properties:
          CodeUri: node/
          Handler: index.handler
          Runtime: nodejs20.x
    """
)


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "project"
    (root / "py").mkdir(parents=True)
    (root / "node").mkdir()
    (root / "template.yaml").write_text(TEMPLATE)
    (root / "py" / "app.py").write_text("def handler(event, context):\n    return {}\n")
    (root / "node" / "index.js").write_text("exports.handler = async () => ({});\n")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text))
    return root


def test_fixed_versions_and_prefix_names_stay_silent(osv: Path, tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "py/requirements.txt": """\
                requests==2.20.0
                requests-oauthlib==1.0.0
                pyyaml-include==1.3
                PyYAML==5.4
                """,
            "node/package.json": """\
                {"dependencies": {"lodash": "4.17.21", "lodash.merge": "4.6.2",
                                  "node-serialize-x": "0.0.4", "serialize": "0.0.4"}}
                """,
        },
    )
    result = run(root, osv)
    assert result.findings == [] and result.errors == []


def test_name_normalisation_finds_differently_written_names(osv: Path, tmp_path: Path) -> None:
    root = project(tmp_path, {"py/requirements.txt": "Requests==2.19.1\npy_yaml==5.3\npyYAML==5.3\n"})
    got = rows(run(root, osv))
    assert [(r[2], r[4]) for r in got] == [
        (1, "GHSA-x84v-xcm2-53pg"),
        (3, "GHSA-6757-jp84-gxfx"),
        (3, "GHSA-8q59-q68h-6hv4"),
    ]  # py_yaml is another package (py-yaml), not PyYAML


# --- lockfiles, reachability, ranges -------------------------------------------------------------


def test_poetry_lock_transitive_and_reachability(osv: Path, tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "py/app.py": "import requests\n\ndef handler(event, context):\n    return requests.get('x')\n",
            "py/pyproject.toml": """\
                [tool.poetry]
                name = "svc"
                version = "0.1.0"

                [tool.poetry.dependencies]
                python = "^3.12"
                requests = "2.19.1"
                acme-config = "^1.0"

                [tool.poetry.group.dev.dependencies]
                pytest = "^8.0"
                """,
            "py/poetry.lock": """\
                [[package]]
                name = "acme-config"
                version = "1.0.0"
                optional = false
                python-versions = "*"
                files = []

                [package.dependencies]
                pyyaml = ">=5.1"

                [[package]]
                name = "pytest"
                version = "8.2.0"
                optional = false
                python-versions = ">=3.8"
                files = []

                [package.dependencies]
                pyyaml = "*"

                [[package]]
                name = "pyyaml"
                version = "5.3"
                optional = false
                python-versions = "*"
                files = []

                [[package]]
                name = "requests"
                version = "2.19.1"
                optional = false
                python-versions = "*"
                files = []

                [metadata]
                lock-version = "2.0"
                python-versions = "^3.12"
                content-hash = "0"
                """,
        },
    )
    result = run(root, osv)
    by_package = {(f.extra["package"], f.extra["advisory"]): f for f in result.findings}
    requests = by_package[("requests", "GHSA-x84v-xcm2-53pg")]
    assert (requests.location.path, requests.location.line) == ("py/poetry.lock", 30)
    assert requests.extra["reachable"] == "yes" and requests.severity.value == "high"  # not public
    assert [r.path for r in requests.related] == ["py/pyproject.toml"]  # declared there
    pyyaml = by_package[("pyyaml", "GHSA-8q59-q68h-6hv4")]
    assert (pyyaml.location.line, pyyaml.extra["via"], pyyaml.extra["direct"]) == (23, "acme-config", False)
    assert pyyaml.extra["reachable"] == "no" and pyyaml.severity.value == "high"  # critical lowered
    assert "(via acme-config)" in pyyaml.message


def test_npm_workspace_lockfile_per_function(osv: Path, tmp_path: Path) -> None:
    lock = {
        "name": "acme",
        "lockfileVersion": 3,
        "requires": True,
        "packages": {
            "": {"name": "acme", "workspaces": ["node", "other"]},
            "node": {"name": "node-fn", "dependencies": {"lodash-old": "npm:lodash@4.17.15"}},
            "other": {"name": "other", "dependencies": {"node-serialize": "0.0.4"}},
            "node_modules/lodash-old": {
                "name": "lodash",
                "version": "4.17.15",
                "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.15.tgz",
            },
            "node_modules/node-serialize": {
                "version": "0.0.4",
                "resolved": "https://registry.npmjs.org/node-serialize/-/node-serialize-0.0.4.tgz",
            },
        },
    }
    root = project(
        tmp_path,
        {
            "package-lock.json": json.dumps(lock, indent=2),
            "node/package.json": '{"name": "node-fn", "dependencies": {"lodash-old": "npm:lodash@4.17.15"}}',
            "node/index.js": (
                "const _ = require('lodash-old');\nexports.handler = async () => _.identity(1);\n"
            ),
        },
    )
    result = run(root, osv)
    assert {(f.extra["package"], f.location.path, f.location.line) for f in result.findings} == {
        ("lodash", "package-lock.json", 27),
    }  # node-serialize belongs to the other workspace
    assert all(f.extra["reachable"] == "yes" for f in result.findings)  # required by its alias


def test_range_only_dependency_is_unpinned_and_vulnerable(osv: Path, tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "py/requirements.txt": "requests>=2.19,<3\n",
            "node/package.json": '{"dependencies": {"lodash": "^4.17.0"}}',
        },
    )
    result = run(root, osv)
    got = sorted((f.rule, f.location.path, str(f.extra.get("advisory"))) for f in result.findings)
    assert got == [
        ("FG-DEP-002", "node/package.json", "GHSA-35jh-r3h4-6jhm"),
        ("FG-DEP-002", "node/package.json", "GHSA-p6mc-m468-83gw"),
        ("FG-DEP-002", "py/requirements.txt", "GHSA-x84v-xcm2-53pg"),
        ("FG-DEP-004", "node/package.json", "None"),
        ("FG-DEP-004", "py/requirements.txt", "None"),
    ]
    requests = next(f for f in result.findings if f.rule == "FG-DEP-002" and f.extra["package"] == "requests")
    assert requests.extra["affected_example"] == "2.19.0" and requests.extra["fixed"] == "2.20.0"
    assert "is not pinned and admits 2.19.0" in requests.message


def test_malicious_package_is_its_own_critical_finding(tmp_path: Path) -> None:
    mal = {
        "id": "MAL-0000-0001",
        "modified": "2024-06-01T00:00:00Z",
        "summary": "Malicious code in acme-typosquat-test (npm)",
        "affected": [{"package": {"ecosystem": "npm", "name": "acme-typosquat-test"}, "versions": ["1.0.1"]}],
    }
    withdrawn = {**ADVISORIES[4], "id": "GHSA-0000-0000-0000", "withdrawn": "2024-01-01T00:00:00Z"}
    folder = write_osv(tmp_path / "osv", [mal, withdrawn])
    root = project(
        tmp_path,
        {"node/package.json": '{"dependencies": {"acme-typosquat-test": "1.0.1", "lodash": "4.17.15"}}'},
    )
    result = run(root, folder)
    assert [(f.rule, f.severity.value, f.location.line) for f in result.findings] == [
        ("FG-DEP-003", "critical", 1)
    ]
    assert "MAL-0000-0001" in result.findings[0].message


def test_project_advisories_for_private_packages(tmp_path: Path) -> None:
    private = _rec(
        "ACME-2024-1",
        [],
        "Token leak in acme-billing",
        "PyPI",
        "acme-billing",
        [{"introduced": "0"}, {"fixed": "3.2.0"}],
        CRIT,
    )
    root = project(tmp_path, {"py/requirements.txt": "acme-billing==3.1.0\n"})
    write_osv(root / ".faasguard" / "advisories", [private])
    result = run(root, None)
    assert [(f.rule, f.extra["advisory"], f.extra["source"]) for f in result.findings] == [
        ("FG-DEP-002", "ACME-2024-1", [".faasguard/advisories"])
    ]


# --- no data --------------------------------------------------------------------------------------


def test_no_database_is_an_error_never_a_silent_pass(tmp_path: Path) -> None:
    missing = tmp_path / "cache" / "osv.sqlite"
    result = run(ROOT / "examples", missing)
    assert result.findings == []
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error.path == "src/orders/requirements.txt" and error.kind == "data"
    assert "no OSV vulnerability database" in error.message and "faasguard db update" in error.message


def test_unreadable_manifest_is_an_error_and_the_scan_goes_on(osv: Path, tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "node/package-lock.json": "{broken",
            "node/package.json": "{}",
            "py/requirements.txt": "requests==2.19.1\n",
        },
    )
    result = run(root, osv)
    assert [e.path for e in result.errors] == ["node/package-lock.json"]
    assert [f.extra["package"] for f in result.findings] == ["requests"]


def test_vendored_packages_in_the_code_folder(osv: Path, tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "py/yaml/__init__.py": "",
            "py/PyYAML-5.3.dist-info/METADATA": "Metadata-Version: 2.1\nName: PyYAML\nVersion: 5.3\n",
            "py/PyYAML-5.3.dist-info/top_level.txt": "_yaml\nyaml\n",
            "py/app.py": "import yaml\n\ndef handler(event, context):\n    return yaml.safe_load('a: 1')\n",
            "node/node_modules/node-serialize/package.json": (
                '{\n  "name": "node-serialize",\n  "version": "0.0.4"\n}\n'
            ),
        },
    )
    result = run(root, osv)
    got = sorted((f.location.path, f.location.line, f.extra["reachable"]) for f in result.findings)
    assert got == [
        ("node/node_modules/node-serialize/package.json", 3, "no"),
        ("py/PyYAML-5.3.dist-info/METADATA", 3, "yes"),
        ("py/PyYAML-5.3.dist-info/METADATA", 3, "yes"),
    ]
