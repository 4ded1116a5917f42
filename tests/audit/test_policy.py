"""docs/audit-policy.json is what the least-privilege derivation reads off the audit's own code."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from faasguard import cli
from faasguard.analysis.iam.actions import service_actions
from faasguard.audit.policy import ACTION_EXCEPTIONS, derive, iam_action, operations_in

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "audit-policy.json"
STALE = "docs/audit-policy.json is stale: run `faasguard audit --policy > docs/audit-policy.json`"


def test_documented_policy_equals_the_derivation() -> None:
    derivation = derive()
    assert derivation.problems == ()
    assert json.loads(DOC.read_text(encoding="utf-8")) == derivation.policy(), STALE
    assert DOC.read_text(encoding="utf-8") == derivation.policy_json(), STALE


def test_readme_documents_the_same_policy() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    begin, end = "<!-- audit-policy:begin -->\n```json\n", "```\n<!-- audit-policy:end -->"
    assert begin in text and end in text, "README.md lost its audit policy block"
    block = text.split(begin, 1)[1].split(end, 1)[0]
    assert block == derive().policy_json(), "README.md's audit policy is stale: copy docs/audit-policy.json"


def test_readme_lists_every_audit_rule() -> None:
    from faasguard.rules.drift import audit_rules

    text = (REPO / "README.md").read_text(encoding="utf-8")
    for rule_id, cls in audit_rules().items():
        assert f"| {rule_id} | {cls.meta.category.value} |" in text


def test_every_action_exists_and_only_reads() -> None:
    derivation = derive()
    for action in [*derivation.actions, *derivation.code_actions]:
        service, name = action.split(":")
        info = service_actions(service).get(name.lower())
        assert info is not None, f"{action} is not an IAM action"
        assert info.access <= {"Read", "List"}, f"{action} is {sorted(info.access)}"
    assert "secretsmanager:GetSecretValue" not in derivation.actions  # metadata, never values
    # Code is read only with --with-code: its action has a statement of its own.
    assert "lambda:GetFunction" not in derivation.actions
    assert list(derivation.code_actions) == ["lambda:GetFunction"]
    statements = derivation.policy()["Statement"]
    assert [s["Sid"] for s in statements] == ["FaasguardAudit", "FaasguardAuditWithCode"]


def test_the_derivation_covers_every_collector() -> None:
    """Each service the inventory reads appears, so no collector escaped the reading of the source."""
    services = {op.service for op in derive().operations}
    assert services == {
        "apigateway",
        "apigatewayv2",
        "budgets",
        "cloudtrail",
        "cloudwatch",
        "cognito-idp",
        "dynamodb",
        "ec2",
        "iam",
        "lambda",
        "logs",
        "s3",
        "secretsmanager",
        "sns",
        "sqs",
        "sts",
    }


def test_operations_map_to_actions_through_the_service_model() -> None:
    assert iam_action("lambda", "GetPolicy") == "lambda:GetPolicy"
    assert iam_action("cloudwatch", "DescribeAlarms") == "cloudwatch:DescribeAlarms"  # signed as monitoring
    assert iam_action("apigatewayv2", "GetRoutes") == "apigateway:GET"  # verbs on resource paths
    assert iam_action("s3", "GetPublicAccessBlock") == "s3:GetBucketPublicAccessBlock"
    assert iam_action("sts", "GetCallerIdentity") is None
    for (service, operation), (_action, source) in ACTION_EXCEPTIONS.items():
        assert source.startswith("https://docs.aws.amazon.com/"), (service, operation)


def test_the_reading_cannot_be_bypassed() -> None:
    source = """
def good(ctx, calls):
    lam = ctx.client("lambda", "us-east-1")
    calls.call(lam.get_policy, "x", FunctionName="f")
    calls.items(lam.get_paginator("list_functions"), "x", "Functions")

def computed(ctx, calls, name):
    c = ctx.client(name, "us-east-1")
    calls.call(c.get_policy, "x")

def passed_in(calls, lam):
    calls.call(lam.get_policy, "x")

def typo(ctx, calls):
    lam = ctx.client("lambda", "us-east-1")
    calls.call(lam.get_polcy, "x")
"""
    ops, problems = operations_in(source, "example")
    assert sorted((o.service, o.operation) for o in ops) == [
        ("lambda", "GetPolicy"),
        ("lambda", "ListFunctions"),
    ]
    assert problems == [
        "example:8: a client of a computed service",
        "example: computed calls operations on no client",
        "example: passed_in calls operations on no client",
        "example:16: lambda has no operation 'get_polcy'",
    ]


def test_cli_prints_the_policy() -> None:
    result = CliRunner().invoke(cli.main, ["audit", "--policy"])
    assert result.exit_code == 0, result.output
    assert result.output == DOC.read_text(encoding="utf-8")
