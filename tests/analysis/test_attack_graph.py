"""The attack graph: every hop of a path located, resources matched precisely, paths deduplicated."""

from __future__ import annotations

from pathlib import Path

import pytest

from faasguard.analysis.facts import Facts
from faasguard.analysis.graph import attack_graph
from faasguard.analysis.graph.capabilities import function_match, store_match
from faasguard.api import ScanOptions, scan
from faasguard.engine import load_applications
from faasguard.model import DataStore, Function, SourceRef, StoreKind

RULES = Path(__file__).resolve().parent.parent / "rules"
HERE = SourceRef("template.yaml", 1, 1)


def _findings(case: Path, rule: str) -> list[dict[str, object]]:
    result = scan(case, ScanOptions(select=frozenset({rule}), use_config=False))
    return [
        {
            "line": f.location.line,
            "severity": f.severity.value,
            "related": [(r.path, r.line, r.message) for r in f.related],
            "extra": f.extra,
        }
        for f in result.findings
    ]


def test_chain_through_a_queue_lists_every_hop_in_order() -> None:
    found = _findings(RULES / "FG-PATH-001" / "fail_sam_chain_through_queue", "FG-PATH-001")
    chain = [f for f in found if f["severity"] == "critical"]
    assert len(chain) == 1
    assert chain[0]["line"] == 6
    assert chain[0]["related"] == [
        ("template.yaml", 15, "public route POST /ingest on the implicit API, no authentication"),
        ("template.yaml", 5, "runs function IngestFunction"),
        ("src/ingest/app.py", 6, "queryStringParameters.tag reaches subprocess.run() (command injection)"),
        (
            "template.yaml",
            11,
            "its role IngestFunctionRole has SAM policy template SQSSendMessagePolicy (grants "
            "sqs:SendMessage* on ${JobsQueue.QueueName})",
        ),
        ("template.yaml", 38, "writes queue JobsQueue"),
        ("template.yaml", 33, "JobsQueue triggers WorkerFunction"),
        ("template.yaml", 21, "then runs function WorkerFunction"),
        ("src/worker/app.py", 7, "Records[].body reaches pickle.loads() (unsafe deserialisation)"),
        (
            "template.yaml",
            29,
            "its role WorkerFunctionRole grants secretsmanager:GetSecretValue on ${PaymentsSecret}",
        ),
        ("template.yaml", 41, "reads secret PaymentsSecret"),
    ]
    extra = chain[0]["extra"]
    assert isinstance(extra, dict)
    kinds = [h["kind"] for h in extra["path"]]
    assert kinds == [
        "entry",
        "function",
        "flaw",
        "capability",
        "target",
        "trigger",
        "function",
        "flaw",
        "capability",
        "target",
    ]
    assert extra["targets"] == ["secret PaymentsSecret"]
    assert extra["wildcard_resource"] is False
    # The direct path (the queue itself, high: a queue is not a store of record) is listed with it.
    assert len(found) == 1
    assert extra["other_paths"] == [
        {
            "capability": "its role IngestFunctionRole has SAM policy template SQSSendMessagePolicy "
            "(grants sqs:SendMessage* on ${JobsQueue.QueueName})",
            "reaches": "the caller writes queue JobsQueue",
            "critical": False,
        }
    ]


@pytest.mark.parametrize(
    ("case", "rule", "hops"),
    [
        (
            "FG-PATH-001/fail_serverless_traversal_wildcard",
            "FG-PATH-001",
            [
                ("serverless.yml", 18, "public route GET /files on the implicit API, no authentication"),
                ("serverless.yml", 15, "runs function files-dev-download"),
                ("handler.py", 3, "queryStringParameters.file reaches open() (path traversal)"),
                ("serverless.yml", 10, 'its role IamRoleLambdaExecution grants dynamodb:* on "*"'),
                (
                    "serverless.yml",
                    25,
                    'reads and writes table OrdersTable (files-orders) (through Resource "*")',
                ),
            ],
        ),
        (
            "FG-PATH-001/fail_terraform_url_code_injection",
            "FG-PATH-001",
            [
                ("main.tf", 43, "Function URL of calc with AuthType NONE"),
                ("main.tf", 32, "runs function calc"),
                ("src/app.py", 6, "body.expression reaches eval() (code injection)"),
                (
                    "main.tf",
                    26,
                    "its role aws_iam_role.calc grants s3:GetObject, s3:PutObject on "
                    "${aws_s3_bucket.reports.arn}/*",
                ),
                ("main.tf", 46, "reads and writes bucket aws_s3_bucket.reports (calc-reports)"),
            ],
        ),
        (
            "FG-PATH-004/fail_terraform_code_secret",
            "FG-PATH-004",
            [
                ("main.tf", 30, "Function URL of reports with AuthType NONE"),
                ("main.tf", 19, "runs function reports"),
                ("src/app.py", 6, "queryStringParameters.report reaches open() (path traversal)"),
                (
                    "src/app.py",
                    6,
                    "the caller reads the files of reports: its environment (/proc/self/environ) and code",
                ),
                ("src/app.py", 1, "reads GITHUB_TOKEN in src/app.py (a GitHub token)"),
            ],
        ),
    ],
)
def test_every_hop_is_located(case: str, rule: str, hops: list[tuple[str, int, str]]) -> None:
    found = _findings(RULES / case, rule)
    assert [f["related"] for f in found] == [hops]


def test_escalation_path_is_critical_and_ends_at_the_grant() -> None:
    found = _findings(RULES / "FG-PATH-001" / "fail_sam_injection_escalation", "FG-PATH-001")
    escalation = [f for f in found if "privilege escalation" in str(f["related"])]
    assert len(escalation) == 1
    assert escalation[0]["severity"] == "critical"
    assert escalation[0]["related"][-2:] == [  # type: ignore[index]
        (
            "template.yaml",
            15,
            "its role ConvertFunctionRole grants privilege escalation: "
            "iam:AttachRolePolicy, iam:PutRolePolicy",
        ),
        ("template.yaml", 15, "takes over the whole AWS account"),
    ]


# --- resource matching ---------------------------------------------------------------------------


def _store(sid: str, kind: StoreKind, name: str | None = None) -> DataStore:
    return DataStore(sid, kind, HERE, name=name)


@pytest.mark.parametrize(
    ("resource", "store", "expected"),
    [
        ("*", _store("Orders", StoreKind.DYNAMODB), (True, True, "any")),
        ("${Orders.Arn}", _store("Orders", StoreKind.DYNAMODB), (True, False, "bucket")),
        ("${OrdersArchive.Arn}", _store("Orders", StoreKind.DYNAMODB), (False, False, "")),
        (
            "${aws_s3_bucket.up.arn}/*",
            _store("aws_s3_bucket.up", StoreKind.S3, "up"),
            (True, False, "object"),
        ),
        (
            "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders",
            _store("T", StoreKind.DYNAMODB, "orders"),
            (True, False, "bucket"),
        ),
        (
            "arn:aws:dynamodb:*:*:table/ord*",
            _store("T", StoreKind.DYNAMODB, "orders"),
            (True, True, "bucket"),
        ),
        ("arn:aws:dynamodb:*:*:table/billing", _store("T", StoreKind.DYNAMODB, "orders"), (False, False, "")),
        ("arn:aws:dynamodb:*:*:table/*", _store("T", StoreKind.DYNAMODB), (True, True, "object")),
        ("arn:aws:s3:::uploads/*", _store("B", StoreKind.S3, "uploads"), (True, False, "object")),
        ("arn:aws:s3:::uploads", _store("B", StoreKind.S3, "uploads"), (True, False, "bucket")),
        ("arn:aws:sqs:us-east-1:1:jobs", _store("B", StoreKind.S3, "jobs"), (False, False, "")),
        (
            "arn:aws:ssm:*:*:parameter/app/db",
            _store("P", StoreKind.SSM_PARAMETER, "/app/db"),
            (True, False, "bucket"),
        ),
        (
            "arn:aws:secretsmanager:*:*:secret:pay-??????",
            _store("S", StoreKind.SECRET, "pay"),
            (True, False, "bucket"),
        ),
    ],
)
def test_store_match(resource: str, store: DataStore, expected: tuple[bool, bool, str]) -> None:
    assert store_match(resource, store) == expected


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        ("*", (True, True)),
        ("${Worker.Arn}", (True, False)),
        ("arn:aws:lambda:us-east-1:123456789012:function:shop-worker", (True, False)),
        ("arn:aws:lambda:us-east-1:123456789012:function:shop-*", (True, True)),
        ("arn:aws:lambda:*:*:function:*", (True, True)),
        ("arn:aws:lambda:us-east-1:123456789012:function:billing", (False, False)),
        ("arn:aws:sqs:us-east-1:123456789012:shop-worker", (False, False)),
    ],
)
def test_function_match(resource: str, expected: tuple[bool, bool]) -> None:
    fn = Function("Worker", HERE, name="shop-worker")
    assert function_match(resource, fn) == expected


# --- precision and deduplication -----------------------------------------------------------------

_TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
{extra}      Policies:
        - Statement:
{statements}      Events:
        One:
          Type: Api
          Properties:
            Path: /one/{{name}}
            Method: get
        Two:
          Type: Api
          Properties:
            Path: /two/{{name}}
            Method: get
  Orders:
    Type: AWS::DynamoDB::Table
  Other:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.other
      Runtime: python3.12
"""
_CODE = """\
import os


def handler(event, context):
    os.system("echo " + event["pathParameters"]["name"])
    os.system("touch /tmp/" + event["pathParameters"]["name"])


def other(event, context):
    return None
"""


def _graph(tmp_path: Path, statements: str, extra: str = ""):  # type: ignore[no-untyped-def]
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(_CODE)
    (tmp_path / "template.yaml").write_text(_TEMPLATE.format(statements=statements, extra=extra))
    apps, errors, _ = load_applications(tmp_path, ScanOptions(use_config=False))
    assert not errors
    return attack_graph(Facts(tmp_path), apps[0])


def test_two_sinks_of_one_family_are_one_path(tmp_path: Path) -> None:
    g = _graph(
        tmp_path, "            - {Effect: Allow, Action: dynamodb:PutItem, Resource: !GetAtt Orders.Arn}\n"
    )
    assert len(g.paths) == 1
    path = g.paths[0]
    assert (path.flaw.source.path, path.flaw.source.line) == ("src/app.py", 5)  # the first sink
    assert path.entries == (path.entry.label,)
    assert path.entry.label.startswith("public route GET /")
    assert [h.label for h in path.targets] == ["table Orders"]
    assert path.critical


def test_unconditional_deny_and_conditions_remove_reach(tmp_path: Path) -> None:
    g = _graph(
        tmp_path,
        "            - {Effect: Allow, Action: 'dynamodb:*', Resource: '*'}\n"
        "            - {Effect: Deny, Action: 'dynamodb:*', Resource: '*'}\n"
        "            - Effect: Allow\n"
        "              Action: lambda:InvokeFunction\n"
        "              Resource: '*'\n"
        "              Condition: {StringEquals: {aws:RequestedRegion: eu-west-1}}\n",
    )
    assert g.paths == []
    assert not [e for e in g.edges if e.kind.startswith("can-")]


def test_invoke_reaches_other_functions_and_boundary_lowers(tmp_path: Path) -> None:
    g = _graph(
        tmp_path,
        "            - {Effect: Allow, Action: [lambda:InvokeFunction, dynamodb:PutItem], Resource: '*'}\n",
        extra="      PermissionsBoundary: arn:aws:iam::123456789012:policy/boundary\n",
    )
    reaches = sorted((e.kind, e.target) for e in g.edges if e.kind.startswith("can-"))
    assert reaches == [("can-invoke", "function:Other"), ("can-write", "store:Orders")]
    # Capped by a permissions boundary: never critical.
    assert g.paths and not any(p.critical for p in g.paths)
    assert all(p.star for p in g.paths)
