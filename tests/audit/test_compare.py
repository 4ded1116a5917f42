"""The comparison of a live account with the IaC, on inventories written by hand (no server)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from faasguard.api import ScanOptions
from faasguard.audit.build import LOGICAL_TAG, STACK_TAG, build
from faasguard.audit.compare import Difference, compare, join_label
from faasguard.audit.inventory import Inventory, RegionInventory
from faasguard.engine import load_applications

ACCOUNT = "111122223333"
R = "eu-west-1"
FN = f"arn:aws:lambda:{R}:{ACCOUNT}:function:"

TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Billing:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: billing
      Runtime: python3.12
      Handler: app.handler
      FunctionUrlConfig:
        AuthType: AWS_IAM
  Invoices:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
  Archive:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: archive-bucket
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
"""


def _function(name: str, role: str = "r", tags: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "config": {
            "FunctionName": name,
            "FunctionArn": FN + name,
            "Runtime": "python3.12",
            "Role": f"arn:aws:iam::{ACCOUNT}:role/{role}",
            "Handler": "app.handler",
        },
        "tags": tags or {},
        "policy": None,
        "urls": [],
        "concurrency": None,
        "provisioned": [],
        "invoke_configs": [],
        "unread": set(),
        **extra,
    }


def _iac(tmp_path: Path) -> list[Any]:
    (tmp_path / "template.yaml").write_text(TEMPLATE, encoding="utf-8")
    apps, errors, _ = load_applications(tmp_path, ScanOptions())
    assert not errors and len(apps) == 1
    return apps


def _diffs(ri: RegionInventory, tmp_path: Path, roles: dict[str, Any] | None = None) -> list[Difference]:
    inv = Inventory(ACCOUNT, "aws", {R: ri}, roles=roles or {})
    lives = build(inv)
    return compare(lives, _iac(tmp_path), join_label("infra"))[f"aws/{ACCOUNT}/{R}"]


def _summary(diffs: list[Difference]) -> list[tuple[str, str, str | None]]:
    return sorted((d.kind, d.message, d.severity.value if d.severity else None) for d in diffs)


def test_untagged_resources_match_by_name_and_drift_is_judged(tmp_path: Path) -> None:
    ri = RegionInventory(R)
    billing = _function("billing")
    billing["urls"] = [{"FunctionArn": FN + "billing", "AuthType": "NONE"}]
    ri.functions = [billing, _function("stray")]
    diffs = _diffs(ri, tmp_path)
    assert _summary(diffs) == [
        ("auth", "Function URL of billing has AuthType NONE but the template sets AWS_IAM", "high"),
        (
            "shadow",
            "Function stray is deployed but no IaC under the scanned path describes it "
            "(and no CloudFormation stack owns it)",
            None,
        ),
    ]
    auth = next(d for d in diffs if d.kind == "auth")
    assert auth.live is not None and auth.live.path == FN + "billing"
    assert auth.iac is not None and auth.iac.path == "infra/template.yaml"
    # Invoices has no name in the template and no stack owns anything: not reported as missing.
    assert not [d for d in diffs if d.kind == "missing"]


def test_a_stack_missing_a_described_function_is_reported(tmp_path: Path) -> None:
    ri = RegionInventory(R)
    ri.functions = [_function("billing", tags={STACK_TAG: "billing-prod", LOGICAL_TAG: "Billing"})]
    ri.functions[0]["urls"] = [{"FunctionArn": FN + "billing", "AuthType": "AWS_IAM"}]
    diffs = _diffs(ri, tmp_path)
    assert _summary(diffs) == [
        (
            "missing",
            "Function Invoices is described in the template but stack billing-prod has no such "
            "function in the account",
            None,
        ),
    ]


def test_what_could_not_be_read_is_never_drift(tmp_path: Path) -> None:
    ri = RegionInventory(R)
    billing = _function("billing", tags={STACK_TAG: "billing-prod", LOGICAL_TAG: "Billing"})
    billing["unread"] = {"urls", "policy", "concurrency"}
    ri.functions = [billing]
    assert [d.kind for d in _diffs(ri, tmp_path)] == ["missing"]  # Invoices; nothing about billing
    nothing = RegionInventory(R, unread={"functions", "rest_apis", "http_apis"})
    assert _diffs(nothing, tmp_path) == []


def test_public_bucket_and_extra_managed_policy(tmp_path: Path) -> None:
    ri = RegionInventory(R)
    ri.functions = [_function("billing", role="billing-role")]
    ri.functions[0]["urls"] = [{"FunctionArn": FN + "billing", "AuthType": "AWS_IAM"}]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::archive-bucket/*",
            }
        ],
    }
    ri.buckets = [
        {
            "name": "archive-bucket",
            "arn": "arn:aws:s3:::archive-bucket",
            "policy": policy,
            "public_access_block": {"BlockPublicAcls": True, "IgnorePublicAcls": True},
            "grants": [],
            "notifications": {},
            "encryption": [],
            "website": False,
            "tags": {},
            "unread": set(),
        }
    ]
    trust = {
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ]
    }
    roles = {
        "billing-role": {
            "role": {
                "RoleName": "billing-role",
                "Arn": f"arn:aws:iam::{ACCOUNT}:role/billing-role",
                "AssumeRolePolicyDocument": trust,
            },
            "inline": [],
            "attached": [
                {
                    "arn": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                    "name": "b",
                    "document": None,
                },
                {
                    "arn": "arn:aws:iam::aws:policy/AdministratorAccess",
                    "name": "AdministratorAccess",
                    "document": None,
                },
            ],
            "unread": set(),
        }
    }
    diffs = _diffs(ri, tmp_path, roles)
    assert _summary(diffs) == [
        (
            "permissions",
            "Role billing-role of billing has managed policy AdministratorAccess attached that the "
            "template does not attach to BillingRole",
            "high",
        ),
        (
            "public",
            "Bucket archive-bucket has Block Public Access BlockPublicPolicy, RestrictPublicBuckets off, "
            "unlike the template's Archive",
            "medium",
        ),
        (
            "public",
            "Bucket archive-bucket is open to everyone through its bucket policy, unlike the template's "
            "Archive",
            None,
        ),
    ]


def test_rest_routes_come_from_the_deployed_stages(tmp_path: Path) -> None:
    """A method in the working copy that no stage's exported OpenAPI lists is not reachable."""
    ri = RegionInventory(R)
    ri.functions = [_function("billing")]
    uri = f"arn:aws:apigateway:{R}:lambda:path/2015-03-31/functions/{FN}billing/invocations"
    method = {"authorizationType": "NONE", "methodIntegration": {"uri": uri}}
    ri.rest_apis = [
        {
            "api": {"id": "abc123", "name": "billing-api", "endpointConfiguration": {"types": ["REGIONAL"]}},
            "resources": [
                {"id": "r1", "path": "/pay", "resourceMethods": {"POST": method}},
                {"id": "r2", "path": "/draft", "resourceMethods": {"GET": method}},
            ],
            "authorizers": [],
            "stages": [{"stageName": "prod"}],
            "exports": {"prod": json.loads('{"openapi": "3.0.1", "paths": {"/pay": {"post": {}}}}')},
            "unread": set(),
        }
    ]
    (live,) = build(Inventory(ACCOUNT, "aws", {R: ri}))
    assert [(r.method, r.path, r.function, r.public) for r in live.app.routes] == [
        ("POST", "/pay", "billing", True)
    ]
    diffs = compare([live], _iac(tmp_path), join_label("."))[live.app.root]
    shadow = [d for d in diffs if d.kind == "shadow" and d.resource == "abc123"]
    assert [d.severity.value if d.severity else None for d in shadow] == ["high"]
    assert "POST /pay without authentication" in shadow[0].message
