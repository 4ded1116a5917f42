"""The IAM actions functions' code needs, against hand-verified minimal policies.

Each folder of needs/ is a small project; its expected.json was written by hand from the AWS
documentation: per function, every action with its resources (rendered ARNs), and every SDK
call line with the actions it needs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faasguard.analysis.facts import Facts
from faasguard.analysis.iam import sdk_map
from faasguard.analysis.iam.actions import lookup
from faasguard.analysis.iam.needs import FunctionNeeds, function_needs, needed_statements, render
from faasguard.api import ScanOptions
from faasguard.engine import load_applications
from faasguard.model import Application

HERE = Path(__file__).resolve().parent / "needs"
CASES = sorted(p.name for p in HERE.iterdir() if (p / "expected.json").is_file())


def _needs(case: str) -> tuple[dict[str, tuple[FunctionNeeds, Application]], Facts]:
    root = HERE / case
    options = ScanOptions()
    apps, errors, _ = load_applications(root, options)
    assert errors == []
    facts = Facts(root, options)
    out = {fid: (n, app) for app in apps for fid, n in function_needs(facts, app).items()}
    assert facts.errors == []
    return out, facts


@pytest.mark.parametrize("case", CASES)
def test_needed_actions_equal_the_hand_verified_policy(case: str) -> None:
    expected = json.loads((HERE / case / "expected.json").read_text(encoding="utf-8"))
    got, _ = _needs(case)
    assert sorted(got) == sorted(expected)
    for fid, want in expected.items():
        needs, app = got[fid]
        actions = {a.action: sorted({render(r, app) for r in a.resources}) for a in needs.actions}
        assert actions == want["actions"], fid
        assert [f"{r.path}:{r.line} {why}" for r, why in needs.unresolved] == want["unresolved"]
        assert needs.complete is (not want["unresolved"])


@pytest.mark.parametrize("case", CASES)
def test_no_policy_lacks_an_action_its_code_calls(case: str) -> None:
    expected = json.loads((HERE / case / "expected.json").read_text(encoding="utf-8"))
    got, _ = _needs(case)
    for fid, want in expected.items():
        needs, _app = got[fid]
        lines = {a.action: {f"{c.path}:{c.line}" for c in a.calls} for a in needs.actions}
        for where, acts in want["calls"].items():
            for act in acts:
                assert where in lines.get(act, set()), f"{fid}: {where} needs {act}"
        # and no action is needed by a line the fixture does not list
        listed = {(w, a) for w, acts in want["calls"].items() for a in acts}
        for act, where_all in lines.items():
            for where in where_all:
                assert (where, act) in listed, f"{fid}: unexpected {act} at {where}"


def test_statements_group_actions_by_resource() -> None:
    got, _ = _needs("js_v3")
    needs, app = got["ImagesFunction"]
    assert needed_statements(needs, app) == [
        {"Effect": "Allow", "Action": ["dynamodb:PutItem"], "Resource": "arn:aws:dynamodb:*:*:table/items"},
        {
            "Effect": "Allow",
            "Action": ["dynamodb:Query"],
            "Resource": "arn:aws:dynamodb:*:*:table/items/index/byOwner",
        },
        {
            "Effect": "Allow",
            "Action": ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
            "Resource": "arn:aws:s3:::images-bucket/*",
        },
        {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": "arn:aws:s3:::images-bucket"},
        {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": "*"},
    ]


def test_every_action_of_the_exceptions_table_exists() -> None:
    table = sdk_map.exceptions()
    named: list[str] = []
    for row in table["operations"]:
        assert str(row["source"]).startswith("https://"), row
        for a in row.get("actions", ()):
            named.append(a if isinstance(a, str) else a["action"])
        named.extend(row.get("items", {}).values())
    for row in [*table["with_argument"], *table["adds_with_argument"]]:
        assert str(row["source"]).startswith("https://"), row
        named.extend(row["actions"])
    for row in table["s3_object_inputs"]:
        assert str(row["source"]).startswith("https://"), row
        assert sdk_map.operation_for(row["service"], row["operation"]) == row["operation"], row
    named.extend(v for k, v in table["partiql_verbs"].items() if k != "source")
    for kind, ops in table["kms"].items():
        if kind not in ("about", "sources"):
            named.extend(a for acts in ops.values() for a in acts)
    for action in named:
        assert lookup(action) is not None, action


def test_argument_rows_add_or_replace() -> None:
    """`adds_with_argument` adds to the operation's action; `with_argument` replaces it."""
    put = sdk_map.map_operation("s3", "PutObject", frozenset({"Bucket", "ACL", "Tagging"}))
    assert [a.action for a in put.actions] == ["s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectTagging"]
    assert put.actions[1].why == "PutObject with ACL"
    plain = sdk_map.map_operation("s3", "PutObject", frozenset({"Bucket", "Key"}))
    assert [a.action for a in plain.actions] == ["s3:PutObject"]
    versioned = sdk_map.map_operation("s3", "GetObject", frozenset({"VersionId"}))
    assert [a.action for a in versioned.actions] == ["s3:GetObjectVersion"]


def test_s3_object_inputs_need_get_object_unless_inline() -> None:
    named = frozenset({"Image", "Image.S3Object", "Image.S3Object.Bucket", "Image.S3Object.Name"})
    got = sdk_map.map_operation("rekognition", "DetectLabels", named)
    assert [(a.action, a.on) for a in got.actions] == [
        ("rekognition:DetectLabels", None),
        ("s3:GetObject", "Image.S3Object"),
    ]
    inline = sdk_map.map_operation(
        "textract", "DetectDocumentText", frozenset({"Document", "Document.Bytes"})
    )
    assert [a.action for a in inline.actions] == ["textract:DetectDocumentText"]
    mixed = frozenset({"SourceImage", "SourceImage.Bytes", "TargetImage", "TargetImage.S3Object"})
    both = sdk_map.map_operation("rekognition", "CompareFaces", mixed)
    assert [(a.action, a.on) for a in both.actions] == [
        ("rekognition:CompareFaces", None),
        ("s3:GetObject", "TargetImage.S3Object"),
    ]
    unseen = sdk_map.map_operation("textract", "AnalyzeDocument", frozenset({"Document"}))
    assert unseen.actions == ()
    assert (
        unseen.problem is not None
        and "the Document is built where the code does not show it" in unseen.problem
    )


def test_operations_come_from_the_service_models() -> None:
    assert sdk_map.operation_for("dynamodb", "put_item") == "PutItem"
    assert sdk_map.operation_for("s3", "getObject") == "GetObject"
    assert sdk_map.operation_for("s3", "no_such_method") is None
    assert sdk_map.waiter_operation("s3", "bucket_exists") == "HeadBucket"
    assert sdk_map.service_for_package("@aws-sdk/client-cloudwatch-logs") == "logs"
    assert sdk_map.service_for_v2_class("StepFunctions") == "stepfunctions"
    assert (
        sdk_map.map_operation("cloudwatch", "PutMetricData").actions[0].action == "cloudwatch:PutMetricData"
    )
    assert sdk_map.map_operation("s3", "NoSuchOperation").problem == "s3 has no operation NoSuchOperation"
    computed = sdk_map.map_operation("dynamodb", "ExecuteStatement", statements=(None,))
    assert computed.problem == "ExecuteStatement: the PartiQL statement is computed at run time"


def test_the_service_index_is_botocore_s() -> None:
    """data/iam_sdk_services.json is what botocore's installed models say (regenerate otherwise)."""
    index = json.loads(
        (Path(sdk_map.__file__).resolve().parents[2] / "data" / "iam_sdk_services.json").read_text("utf-8")
    )
    for slug in ("s3", "dynamodb", "cloudwatch-logs", "sfn", "secrets-manager", "apigatewaymanagementapi"):
        service = index["v3"][slug]
        model = sdk_map.service_model(service)
        assert model is not None
        assert model["metadata"]["serviceId"].lower().replace(" ", "-") == slug
