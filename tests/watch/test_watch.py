# ruff: noqa: E501  (expected messages are quoted whole)
from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from logs import access, access_records, shield_lines, write_all

from faasguard.findings import ScanResult
from faasguard.watch.runner import WatchOptions, run_watch

HERE = Path(__file__).resolve().parent
W = "2026-01-10"

EXPECTED = {
    (
        "FG-WATCH-001",
        "medium",
        "logs/access.jsonl",
        1,
        "OrdersFunction",
        f"address 203.0.113.7 sent 400 requests to OrdersFunction between {W} 10:00:00 and {W} 10:00:39 UTC "
        "(peak 400 per minute), $0.0005 spent in the window; at its peak rate that is $0.7872 per day; "
        "OrdersFunction's priced exposure is up to $1,756.80 per day (10,000 requests/s, capped by the account "
        "API limit)",
    ),
    (
        "FG-WATCH-002",
        "medium",
        "logs/access.jsonl",
        406,
        "GET /orders/{id}",
        f"GET /orders/{{id}}: 25 server errors (5xx) in 1 minute(s) from {W} 10:05:00 UTC (peak 25 per minute "
        "against a baseline of 0.0)",
    ),
    (
        "FG-WATCH-003",
        "high",
        "logs/access.jsonl",
        436,
        "192.0.2.66",
        f"192.0.2.66 sent 1 path-traversal payload(s) to 1 path(s) between {W} 10:02:00 and {W} 10:02:00 UTC, "
        "1 answered 2xx/3xx; e.g. /health?x=..%2F..%2Fetc%2Fpasswd",
    ),
    (
        "FG-WATCH-003",
        "medium",
        "logs/access.jsonl",
        437,
        "192.0.2.66",
        f"192.0.2.66 sent 1 ssrf payload(s) to 1 path(s) between {W} 10:02:01 and {W} 10:02:01 UTC, none "
        "answered 2xx/3xx; e.g. /health?url=http://169.254.169.254/latest/meta-data/",
    ),
    (
        "FG-WATCH-003",
        "medium",
        "logs/access.jsonl",
        438,
        "192.0.2.66",
        f"192.0.2.66 sent 1 sql payload(s) to 1 path(s) between {W} 10:02:02 and {W} 10:02:02 UTC, none "
        "answered 2xx/3xx; e.g. /orders/1?q=1'+OR+'1'='1",
    ),
    (
        "FG-WATCH-003",
        "high",
        "logs/access.jsonl",
        439,
        "192.0.2.66",
        f"192.0.2.66 sent 1 command payload(s) to 1 path(s) between {W} 10:02:03 and {W} 10:02:03 UTC, "
        "1 answered 2xx/3xx; e.g. /health?h=x;cat+/tmp/a",
    ),
    (
        "FG-WATCH-004",
        "medium",
        "logs/access.jsonl",
        440,
        "GET /debug",
        f"GET /debug is defined by no IaC but answered 3 request(s) (3 with 2xx) from 1 source(s) between "
        f"{W} 10:03:00 and {W} 10:03:02 UTC",
    ),
    (
        "FG-WATCH-005",
        "high",
        "logs/access.jsonl",
        444,
        "OrdersFunction",
        f"GET /orders/{{id}} requires iam auth in the IaC, yet answered 2 request(s) with 2xx and no principal "
        f"from 1 source(s) between {W} 10:04:00 and {W} 10:04:01 UTC",
    ),
    (
        "FG-WATCH-006",
        "medium",
        "logs/lambda.log",
        2,
        "orders",
        f"orders: 2 network block event(s) in 2 invocation(s) (blocked) between {W} 10:00:01 and {W} 10:00:02 "
        "UTC; e.g. connect exfil.example:443",
    ),
    (
        "FG-WATCH-006",
        "high",
        "logs/lambda.log",
        4,
        "orders",
        f"orders: 1 process alert event(s) in 1 invocation(s) (allowed, alert only) between {W} 10:00:03 and "
        f"{W} 10:00:03 UTC; e.g. popen sh",
    ),
    (
        "FG-WATCH-007",
        "high",
        "logs/trail.json.gz",
        1,
        "OrdersFunction",
        "OrdersFunction's role orders-prod-OrdersFunctionRole-ABC123 called iam:ListUsers 2 time(s) (1 succeeded, "
        f"1 denied) from 198.18.0.5 between {W} 10:07:00 and {W} 10:07:05 UTC; the IaC does not grant it",
    ),
    (
        "FG-WATCH-007",
        "high",
        "logs/trail.json.gz",
        1,
        "OrdersFunction",
        "OrdersFunction's role orders-prod-OrdersFunctionRole-ABC123 called s3:ListBuckets 1 time(s) (1 "
        f"succeeded) from 198.18.0.5 between {W} 10:06:00 and {W} 10:06:00 UTC; the IaC does not grant it",
    ),
}


def _rows(result: ScanResult) -> set[tuple[str, str, str, int, str, str]]:
    return {
        (f.rule, f.severity.value, f.location.path, f.location.line, f.resource, f.message)
        for f in result.findings
    }


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(HERE / "iac", tmp_path / "iac")
    write_all(tmp_path / "logs")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_detection_exactly(project: Path) -> None:
    result = run_watch(WatchOptions(logs=(Path("logs"),), against=Path("iac")))
    assert _rows(result) == EXPECTED
    assert result.errors == []
    related = {(f.rule, r.path, r.line) for f in result.findings for r in f.related}
    assert related == {("FG-WATCH-005", "iac/template.yaml", 19), ("FG-WATCH-007", "iac/template.yaml", 12)}


def test_without_against_only_log_only_detections(project: Path) -> None:
    result = run_watch(WatchOptions(logs=(Path("logs"),)))
    assert {f.rule for f in result.findings} == {
        "FG-WATCH-001",
        "FG-WATCH-002",
        "FG-WATCH-003",
        "FG-WATCH-006",
    }


def test_since_window_and_store_file(project: Path) -> None:
    now = datetime(2026, 1, 10, 10, 10, tzinfo=UTC)
    options = WatchOptions(
        logs=(Path("logs"),),
        against=Path("iac"),
        since=timedelta(minutes=6),
        now=now,
        store=project / "w.duckdb",
    )
    result = run_watch(options)
    # From 10:04 on: the unauthenticated successes, the 5xx burst and the IAM calls remain.
    assert {(f.rule, f.resource) for f in result.findings} == {
        ("FG-WATCH-002", "GET /orders/{id}"),
        ("FG-WATCH-005", "OrdersFunction"),
        ("FG-WATCH-007", "OrdersFunction"),
    }
    assert (project / "w.duckdb").is_file()


def test_fields_not_logged_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    rows = [{k: v for k, v in r.items() if k not in ("status", "userArn")} for r in access_records()]
    Path("a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    shutil.copytree(HERE / "iac", tmp_path / "iac")
    result = run_watch(WatchOptions(logs=(Path("a.jsonl"),), against=Path("iac")))
    assert [e.message for e in result.errors] == [
        "FG-WATCH-002 (error-spike) did not run: the access logs do not log status",
        "FG-WATCH-005 (unauthenticated-success) did not run: the access logs do not log principal, status",
    ]


def test_common_log_format_and_cloudwatch_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    lines = [
        f'203.0.113.{i % 2} - - [10/Jan/2026:10:00:{i % 60:02d} +0000] "GET /x?f=../../etc/passwd HTTP/1.1" 404 0'
        for i in range(2)
    ]
    Path("clf.log").write_text("\n".join(lines) + "\n")
    result = run_watch(WatchOptions(logs=(Path("clf.log"),)))
    assert {(f.rule, f.resource, f.location.line) for f in result.findings} == {
        ("FG-WATCH-003", "203.0.113.0", 1),
        ("FG-WATCH-003", "203.0.113.1", 2),
    }


def test_cli_json_and_rules(project: Path) -> None:
    from faasguard.cli import main

    out = CliRunner().invoke(main, ["watch", "--logs", "logs", "--against", "iac", "--format", "json"])
    assert out.exit_code == 1, out.output
    data = json.loads(out.output)
    assert len(data["findings"]) == len(EXPECTED)
    assert {f["category"] for f in data["findings"]} == {
        "denial-of-wallet",
        "logging-monitoring",
        "event-injection",
        "shadow-api",
        "broken-authentication",
        "over-privilege",
    }
    sarif = CliRunner().invoke(main, ["watch", "--logs", "logs", "--format", "sarif", "--fail-on", "never"])
    assert sarif.exit_code == 0 and '"FG-WATCH-001"' in sarif.output
    listed = CliRunner().invoke(main, ["watch", "--list-rules"])
    assert [line.split()[0] for line in listed.output.splitlines()] == [
        f"FG-WATCH-00{i}" for i in range(1, 8)
    ]
    explained = CliRunner().invoke(main, ["watch", "--explain", "fg-watch-007"])
    assert "least-privilege analysis" in explained.output


def test_follow_prints_only_new_findings(project: Path) -> None:
    from faasguard.cli import main

    out = CliRunner().invoke(
        main, ["watch", "--logs", "logs", "--follow", "--polls", "2", "--interval", "1", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    assert out.stdout.count('"findings"') == 1  # the second poll found nothing new
    assert "watching: poll 2" in out.stderr


def test_rule_docs_complete() -> None:
    from faasguard.rules.base import DOC_SECTIONS, Rule
    from faasguard.watch.detections import watch_rules

    for rid, cls in watch_rules().items():
        assert rid not in Rule.registry
        for section in DOC_SECTIONS:
            assert section in (cls.__doc__ or ""), (rid, section)


def test_same_detections_over_cloudwatch(moto_logs: str) -> None:
    import boto3

    t0 = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=1)
    logs = boto3.client("logs", region_name="us-east-1")
    logs.create_log_group(logGroupName="/aws/apigateway/orders")
    logs.create_log_stream(logGroupName="/aws/apigateway/orders", logStreamName="s")
    records = access_records(t0)
    records += [
        access(
            t0 + timedelta(minutes=3),
            "192.0.2.66",
            "GET",
            "/health",
            "/health?u=http://169.254.169.254/",
            200,
        )
    ]
    logs.put_log_events(
        logGroupName="/aws/apigateway/orders",
        logStreamName="s",
        logEvents=[
            {"timestamp": int(t0.timestamp() * 1000) + i, "message": json.dumps(r)}
            for i, r in enumerate(records)
        ],
    )
    logs.create_log_group(logGroupName="/aws/lambda/orders")
    logs.create_log_stream(logGroupName="/aws/lambda/orders", logStreamName="s")
    shield = [line.split(" ", 1)[1] for line in shield_lines(t0)]
    logs.put_log_events(
        logGroupName="/aws/lambda/orders",
        logStreamName="s",
        logEvents=[{"timestamp": int(t0.timestamp() * 1000) + i, "message": m} for i, m in enumerate(shield)],
    )
    result = run_watch(
        WatchOptions(
            log_groups=("/aws/apigateway/orders", "/aws/lambda/orders", "/aws/lambda/missing"),
            against=HERE / "iac",
            since=timedelta(hours=2),
        ),
        boto3.Session(),
    )
    got = {(f.rule, f.severity.value, f.location.path, f.resource) for f in result.findings}
    api = "cloudwatch:/aws/apigateway/orders"
    assert got == {
        ("FG-WATCH-001", "medium", api, "OrdersFunction"),
        ("FG-WATCH-002", "medium", api, "GET /orders/{id}"),
        ("FG-WATCH-003", "high", api, "192.0.2.66"),
        ("FG-WATCH-003", "medium", api, "192.0.2.66"),
        ("FG-WATCH-004", "medium", api, "GET /debug"),
        ("FG-WATCH-005", "high", api, "OrdersFunction"),
        ("FG-WATCH-006", "medium", "cloudwatch:/aws/lambda/orders", "orders"),
        ("FG-WATCH-006", "high", "cloudwatch:/aws/lambda/orders", "orders"),
    }
    assert [(e.path, e.message) for e in result.errors] == [
        ("cloudwatch:/aws/lambda/missing", "no such log group")
    ]
