"""Least-privilege audit (analysis/iam/audit.py) and its rules, on hand-built models and needs.

The needs are written by hand here so the audit's logic is tested on its own; the rule fixtures
under tests/rules/FG-IAM-009..011 run the real needs analysis on code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from faasguard.analysis.facts import Facts
from faasguard.analysis.iam import audit as audit_module
from faasguard.analysis.iam.actions import lookup
from faasguard.analysis.iam.audit import (
    GrantResource,
    audit_with,
    event_source,
    needed_arn,
    runtime_needs,
    runtime_policies,
    store_arn,
)
from faasguard.analysis.iam.needs import FunctionNeeds, NeededAction, NeededResource
from faasguard.findings import Severity
from faasguard.model import (
    Application,
    DataStore,
    Function,
    ManagedPolicyRef,
    Policy,
    Role,
    SourceRef,
    Statement,
    StoreKind,
    Trigger,
    TriggerKind,
    Unknown,
)
from faasguard.rules.base import Rule
from faasguard.rules.least_privilege import (
    CalledButNotGranted,
    UnusedGrantedActions,
    WildcardResourceWhereKnown,
)
from faasguard.rules.over_privilege import PrivilegeEscalation, WildcardAction, WildcardResourceOnWrite

T = "template.yaml"
CODE = "src/app.py"


def at(line: int, path: str = T) -> SourceRef:
    return SourceRef(path, line, line)


def stmt(
    line: int, actions: Sequence[object], resources: Sequence[object], effect: str = "Allow"
) -> Statement:
    return Statement(
        effect,
        at(line),
        actions=tuple(actions),  # type: ignore[arg-type]
        resources=tuple(resources),  # type: ignore[arg-type]
        props={"Action": at(line + 1), "Resource": at(line + 2)},
    )


def role(rid: str, *statements: Statement, managed: Sequence[str] = (), implicit: bool = True) -> Role:
    return Role(
        rid,
        at(40),
        policies=(Policy(f"{rid}Policy", at(41), tuple(statements)),),
        managed=tuple(ManagedPolicyRef(arn, at(42)) for arn in managed),
        implicit=implicit,
    )


STORES = (
    DataStore("OrdersTable", StoreKind.DYNAMODB, at(3)),
    DataStore("Uploads", StoreKind.S3, at(5), name="uploads-bucket"),
    DataStore("Jobs", StoreKind.SQS, at(7)),
    DataStore("Alerts", StoreKind.SNS, at(8)),
)


def app_with(
    functions: Sequence[Function], roles: Sequence[Role], triggers: Sequence[Trigger] = ()
) -> Application:
    return Application(
        ".",
        "sam",
        at(1),
        functions=tuple(functions),
        roles=tuple(roles),
        stores=STORES,
        triggers=tuple(triggers),
    )


def fn(fid: str, rid: str) -> Function:
    return Function(fid, at(20), role=rid, handler="app.handler", handler_file=CODE)


def need(action: str, *resources: NeededResource, line: int = 7) -> NeededAction:
    return NeededAction(action, resources or (NeededResource(literal="*"),), (at(line, CODE),))


def needs(fid: str, *actions: NeededAction, complete: bool = True) -> FunctionNeeds:
    return FunctionNeeds(fid, "python", tuple(sorted(actions, key=lambda a: a.action)), (), complete)


TABLE = NeededResource(store="OrdersTable")
OBJECTS = NeededResource(store="Uploads", suffix="/*")
CRUD = (
    "dynamodb:GetItem",
    "dynamodb:DeleteItem",
    "dynamodb:PutItem",
    "dynamodb:Scan",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
)
SAM_TABLE_ARN = "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${OrdersTable}"


def by_fn(*items: FunctionNeeds) -> Mapping[str, FunctionNeeds]:
    return {n.function: n for n in items}


# --- ARNs ----------------------------------------------------------------------------------------


def test_store_arns_and_grant_resources_match_across_spellings() -> None:
    app = app_with([], [])
    table = needed_arn(TABLE, app)
    assert table is not None and table.text() == "arn:aws:dynamodb:*:*:table/${OrdersTable}"
    objects = needed_arn(OBJECTS, app)
    assert objects is not None and objects.text() == "arn:aws:s3:::uploads-bucket/*"
    for spelled in (SAM_TABLE_ARN, "${OrdersTable.Arn}", "arn:aws:dynamodb:*:*:table/*", "*"):
        assert GrantResource(spelled, app).covers(table), spelled
    assert not GrantResource("arn:aws:dynamodb:*:*:table/other", app).covers(table)
    assert not GrantResource("${Jobs.Arn}", app).covers(table)
    assert GrantResource("${Uploads.Arn}/*", app).covers(objects)
    assert GrantResource("arn:aws:s3:::uploads-bucket/*", app).covers(objects)
    assert not GrantResource("${Uploads.Arn}", app).covers(objects)  # the bucket, not its objects
    # A parameter the model could not resolve, or an Unknown, may name anything.
    assert GrantResource("arn:aws:s3:::${BucketParam}/*", app).covers(objects)
    assert GrantResource(Unknown("ImportValue"), app).covers(objects)
    topic = store_arn(STORES[3])
    assert topic is not None and GrantResource("${Alerts}", app).covers(topic)  # Ref of a topic is its ARN


# --- FG-IAM-009: unused -------------------------------------------------------------------------


def test_unused_listed_actions_of_a_policy_template() -> None:
    app = app_with([fn("Orders", "OrdersRole")], [role("OrdersRole", stmt(30, CRUD, [SAM_TABLE_ARN]))])
    result = audit_with(by_fn(needs("Orders", need("dynamodb:PutItem", TABLE))), app)
    (grant,) = result.unused
    assert grant.where == at(31)
    assert grant.used == ("dynamodb:PutItem",)
    assert grant.listed == (
        "dynamodb:GetItem",
        "dynamodb:DeleteItem",
        "dynamodb:Scan",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
    )
    assert not grant.escalation and not grant.whole
    assert result.broad == () and result.missing == ()


def test_used_on_another_resource_is_unused_here_and_missing() -> None:
    grant_other = stmt(30, ["dynamodb:PutItem"], ["arn:aws:dynamodb:*:*:table/archive"])
    app = app_with([fn("Orders", "OrdersRole")], [role("OrdersRole", grant_other)])
    result = audit_with(by_fn(needs("Orders", need("dynamodb:PutItem", TABLE))), app)
    (grant,) = result.unused
    assert grant.whole and grant.listed == ("dynamodb:PutItem",)
    (miss,) = result.missing
    assert miss.need.action == "dynamodb:PutItem" and miss.resources == ("OrdersTable",)


def test_wildcards_are_counted_and_star_resource_scoped() -> None:
    app = app_with([fn("Orders", "OrdersRole")], [role("OrdersRole", stmt(30, ["s3:*"], ["*"]))])
    result = audit_with(by_fn(needs("Orders", need("s3:GetObject", OBJECTS))), app)
    (grant,) = result.unused
    ((pattern, count),) = grant.wildcards
    assert pattern == "s3:*" and count is not None and count > 100
    assert grant.used == ("s3:GetObject",)
    (broad,) = result.broad
    assert broad.where == at(32) and broad.resources == ("Uploads/*",)
    assert [u.action for u in broad.uses] == ["s3:GetObject"]


def test_shared_role_is_unused_only_when_no_function_needs_it() -> None:
    shared = role(
        "Shared", stmt(30, ["dynamodb:PutItem", "dynamodb:GetItem"], ["${OrdersTable.Arn}"]), implicit=False
    )
    fns = [fn("Writer", "Shared"), fn("Reader", "Shared")]
    app = app_with(fns, [shared])
    both = by_fn(
        needs("Writer", need("dynamodb:PutItem", TABLE)),
        needs("Reader", need("dynamodb:GetItem", TABLE)),
    )
    assert audit_with(both, app).unused == ()
    writer_only = by_fn(needs("Writer", need("dynamodb:PutItem", TABLE)), needs("Reader"))
    (grant,) = audit_with(writer_only, app).unused
    assert grant.listed == ("dynamodb:GetItem",)
    assert grant.label == "role Shared (used by Writer, Reader)"
    # One function whose code could not be read completely: nothing is judged "unused".
    partial = by_fn(needs("Writer", need("dynamodb:PutItem", TABLE)), needs("Reader", complete=False))
    result = audit_with(partial, app)
    assert result.unused == () and not result.covers(shared.policies[0].statements[0])


def test_unused_escalation_actions_are_named() -> None:
    st = stmt(30, ["iam:PassRole", "lambda:CreateFunction", "sqs:SendMessage"], ["*"])
    app = app_with([fn("Orders", "OrdersRole")], [role("OrdersRole", st)])
    result = audit_with(by_fn(needs("Orders", need("sqs:SendMessage", NeededResource(store="Jobs")))), app)
    (grant,) = result.unused
    assert grant.listed == ("iam:PassRole", "lambda:CreateFunction")
    assert "iam:PassRole" in grant.escalation
    assert result.serves(st, "sqs:SendMessage") and not result.serves(st, "iam:PassRole")


def test_runtime_needs_count_as_used() -> None:
    polls = stmt(30, ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], ["*"])
    trigger = Trigger(TriggerKind.SQS, "Worker", at(25), target="Jobs")
    app = app_with([fn("Worker", "WorkerRole")], [role("WorkerRole", polls)], [trigger])
    extra = runtime_needs(app.functions[0], app)
    assert {a.action for a in extra} >= {"sqs:ReceiveMessage", "logs:PutLogEvents"}
    result = audit_with(by_fn(needs("Worker")), app)
    assert result.unused == ()
    (broad,) = result.broad  # Lambda polls one queue: "*" can be that queue
    assert broad.resources == ("Jobs",) and all(u.runtime for u in broad.uses)


def test_event_source_mapping_destination_counts_as_used() -> None:
    sends = stmt(30, ["sqs:SendMessage"], ["${Jobs.Arn}"])
    stream = Trigger(TriggerKind.KINESIS, "Worker", at(25), target="Orders", on_failure="${Jobs.Arn}")
    app = app_with([fn("Worker", "WorkerRole")], [role("WorkerRole", sends)], [stream])
    extra = {a.action: a for a in runtime_needs(app.functions[0], app)}
    assert extra["sqs:SendMessage"].resources == (NeededResource(store="Jobs"),)
    assert extra["sqs:SendMessage"].why == (
        "Lambda sends failed events to the event source mapping's on-failure destination"
    )
    assert audit_with(by_fn(needs("Worker")), app).unused == ()
    # an S3 destination: objects written into the bucket, which Lambda also lists
    kafka = Trigger(TriggerKind.KAFKA, "Worker", at(25), target="arn:aws:kafka:eu-west-1:1:cluster/c/x")
    to_bucket = replace(kafka, on_failure="${Uploads.Arn}")
    app = app_with([fn("Worker", "WorkerRole")], [role("WorkerRole")], [to_bucket])
    extra = {a.action: a for a in runtime_needs(app.functions[0], app)}
    assert extra["s3:PutObject"].resources == (NeededResource(store="Uploads", suffix="/*"),)
    assert extra["s3:ListBucket"].resources == (NeededResource(store="Uploads"),)


def test_event_sources_without_a_managed_policy() -> None:
    def kind_of(trigger: Trigger, types: Mapping[str, str] | None = None) -> str | None:
        app = replace(
            app_with([fn("Worker", "WorkerRole")], [role("WorkerRole")], [trigger]),
            resource_types=types or {},
        )
        return event_source(trigger, app)

    def t(kind: TriggerKind, target: str | None = None, **details: object) -> Trigger:
        return Trigger(kind, "Worker", at(25), target=target, details=details)

    assert (
        kind_of(t(TriggerKind.OTHER, "arn:aws:rds:eu-west-1:1:cluster:docs", type="DocumentDB"))
        == "documentdb"
    )
    assert kind_of(t(TriggerKind.OTHER, "arn:${AWS::Partition}:rds:r:a:cluster:${Db}")) == "documentdb"
    assert kind_of(t(TriggerKind.OTHER, "aws_docdb_cluster.docs")) == "documentdb"
    assert kind_of(t(TriggerKind.KAFKA, "Cluster"), {"Cluster": "AWS::MSK::Cluster"}) == "msk"
    assert kind_of(t(TriggerKind.KAFKA, "orders", event="kafka")) == "self-managed-kafka"
    assert kind_of(t(TriggerKind.KAFKA)) == "self-managed-kafka"  # SelfManagedEventSource, no ARN
    assert kind_of(t(TriggerKind.MQ, "Broker")) == "mq"
    assert kind_of(t(TriggerKind.SQS, "Jobs")) is None
    docdb = t(TriggerKind.OTHER, "arn:aws:rds:eu-west-1:1:cluster:docs", type="DocumentDB")
    app = app_with([fn("Worker", "WorkerRole")], [role("WorkerRole")], [docdb])
    got = {a.action for a in runtime_needs(app.functions[0], app)}
    assert {"rds:DescribeDBClusters", "secretsmanager:GetSecretValue", "ec2:CreateNetworkInterface"} <= got
    assert "kafka:DescribeClusterV2" not in got
    # self-managed Kafka: never the MSK policy
    app = app_with([fn("Worker", "WorkerRole")], [role("WorkerRole")], [t(TriggerKind.KAFKA)])
    assert "AWSLambdaMSKExecutionRole" not in runtime_policies(app.functions[0], app)
    assert not any(a.action.startswith("kafka:") for a in runtime_needs(app.functions[0], app))


def test_event_source_permission_data_names_real_actions() -> None:
    data = json.loads(
        (
            Path(audit_module.__file__).resolve().parents[2] / "data" / "lambda_event_source_permissions.json"
        ).read_text("utf-8")
    )
    named = [a for spec in data["sources"].values() for a in (*spec["required"], *spec["optional"])]
    named += [a for acts in data["destinations"]["actions"].values() for a in acts]
    for action in named:
        info = lookup(action)
        assert info is not None and info.full == action, action
    for spec in data["sources"].values():
        assert str(spec["source"]).startswith("https://docs.aws.amazon.com/lambda/"), spec


def test_managed_full_access_policy_unused_part() -> None:
    managed = [
        "arn:aws:iam::aws:policy/AmazonSQSFullAccess",
        "arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole",
    ]
    app = app_with([fn("Orders", "OrdersRole")], [role("OrdersRole", managed=managed)])
    result = audit_with(by_fn(needs("Orders", need("sqs:SendMessage", NeededResource(store="Jobs")))), app)
    (grant,) = result.unused  # the basic execution role is the runtime's: never judged
    assert grant.managed and grant.policy == "AmazonSQSFullAccess" and grant.where == at(42)
    assert grant.wildcards[0][0] == "sqs:*" and grant.used == ("sqs:SendMessage",)


# --- FG-IAM-011: missing ------------------------------------------------------------------------


def test_missing_action_denied_action_and_unreadable_roles() -> None:
    deny = stmt(33, ["sns:Publish"], ["*"], effect="Deny")
    app = app_with([fn("Orders", "OrdersRole")], [role("OrdersRole", stmt(30, ["sns:*"], ["*"]), deny)])
    got = audit_with(
        by_fn(needs("Orders", need("sqs:SendMessage", line=9), need("sns:Publish", line=11), complete=False)),
        app,
    )
    assert [(m.need.action, m.denied) for m in got.missing] == [
        ("sns:Publish", True),
        ("sqs:SendMessage", False),
    ]
    # A statement whose actions are unknown might grant anything: say nothing.
    unknown = stmt(30, [Unknown("parameter")], ["*"])
    app = app_with([fn("Orders", "OrdersRole")], [role("OrdersRole", unknown)])
    assert audit_with(by_fn(needs("Orders", need("sqs:SendMessage"))), app).missing == ()
    # So might a customer managed policy.
    app = app_with([fn("Orders", "OrdersRole")], [role("OrdersRole", managed=["arn:aws:iam::123:policy/x"])])
    assert audit_with(by_fn(needs("Orders", need("sqs:SendMessage"))), app).missing == ()


# --- the rules and the replacement of the coarse ones --------------------------------------------


def run(
    rule: type[Rule], app: Application, given: Mapping[str, FunctionNeeds]
) -> list[tuple[int, str, Severity]]:
    facts = Facts(Path("."))
    facts.get("iam-needs", app, lambda _a, _r: given)  # the needs, as the analysis would memoise them
    instance = rule()
    instance.facts = facts
    return [(v.source.line, v.message, v.severity or rule.meta.severity) for v in instance.check(app)]


def test_rule_messages() -> None:
    st = stmt(30, ["dynamodb:*", "iam:PassRole", "lambda:CreateFunction"], ["*"])
    app = app_with([fn("Orders", "OrdersRole")], [role("OrdersRole", st)])
    given = by_fn(needs("Orders", need("dynamodb:PutItem", TABLE), need("sqs:SendMessage", line=9)))
    ((line, message, severity),) = run(UnusedGrantedActions, app, given)
    assert line == 31 and severity is Severity.HIGH
    assert message.startswith('the execution role of Orders allows "dynamodb:*" (')
    assert message.endswith(
        "actions) and iam:PassRole, lambda:CreateFunction while its code calls only dynamodb:PutItem; "
        "unused and able to escalate privileges: iam:PassRole"
    )
    assert run(WildcardResourceWhereKnown, app, given) == [
        (
            32,
            "the execution role of Orders is allowed dynamodb:PutItem on every resource, while the code uses "
            "it only on OrdersTable: scope Resource to it",
            Severity.MEDIUM,
        )
    ]
    assert run(CalledButNotGranted, app, given) == [
        (
            9,
            "Orders calls sqs:SendMessage, which its execution role does not allow: the call fails with "
            "AccessDenied",
            Severity.INFO,
        )
    ]
    # Replaced on this statement: the coarse wildcard / write-on-star rules stay quiet, and the
    # escalation rule leaves the unused escalation actions to FG-IAM-009.
    assert run(WildcardAction, app, given) == []
    assert run(WildcardResourceOnWrite, app, given) == []
    assert run(PrivilegeEscalation, app, given) == []


def test_coarse_rules_still_report_when_needs_are_incomplete() -> None:
    st = stmt(30, ["dynamodb:*", "iam:PassRole", "lambda:CreateFunction"], ["*"])
    app = app_with([fn("Orders", "OrdersRole")], [role("OrdersRole", st)])
    given = by_fn(needs("Orders", need("dynamodb:PutItem", TABLE), complete=False))
    assert run(UnusedGrantedActions, app, given) == []
    assert run(WildcardResourceWhereKnown, app, given) == []
    assert [line for line, _, _ in run(WildcardAction, app, given)] == [31]
    assert [line for line, _, _ in run(WildcardResourceOnWrite, app, given)] == [32]
    assert [line for line, _, _ in run(PrivilegeEscalation, app, given)] == [31]


def test_escalation_the_code_needs_stays_with_fg_iam_004() -> None:
    st = stmt(30, ["iam:PassRole", "lambda:CreateFunction"], ["*"])
    app = app_with([fn("Deployer", "DeployRole")], [role("DeployRole", st)])
    given = by_fn(needs("Deployer", need("iam:PassRole"), need("lambda:CreateFunction", line=8)))
    assert run(UnusedGrantedActions, app, given) == []
    assert [line for line, _, _ in run(PrivilegeEscalation, app, given)] == [31]


def test_replacement_end_to_end_on_real_code() -> None:
    from faasguard.api import ScanOptions, scan

    rules = Path(__file__).resolve().parent.parent / "rules"

    def found(case: Path, *ids: str) -> list[tuple[str, int]]:
        result = scan(case, ScanOptions(select=frozenset(ids), use_config=False))
        return sorted((f.rule, f.location.line) for f in result.findings)

    # Needs complete: "sqs:*" is FG-IAM-009's (listing what is used), not FG-IAM-001's.
    shared = rules / "FG-IAM-009" / "fail_serverless_shared_role"
    assert found(shared, "FG-IAM-001", "FG-IAM-009") == [("FG-IAM-009", 13), ("FG-IAM-009", 19)]
    # A call that cannot be mapped: the coarse rule keeps the statement.
    partial = rules / "FG-IAM-009" / "pass_sam_code_not_fully_mapped"
    assert found(partial, "FG-IAM-002", "FG-IAM-009", "FG-IAM-010") == [("FG-IAM-002", 16)]


def test_role_trusted_by_another_service_is_not_judged() -> None:
    trust = Policy(
        "AssumeRolePolicyDocument",
        at(45),
        (
            Statement(
                "Allow",
                at(46),
                actions=("sts:AssumeRole",),
                principals={"Service": ("apigateway.amazonaws.com",)},
            ),
        ),
    )
    st = stmt(30, ["lambda:InvokeFunction"], ["*"])
    shared = Role("AuthRole", at(40), trust=trust, policies=(Policy("p", at(41), (st,)),))
    app = app_with([fn("Authorizer", "AuthRole")], [shared])
    result = audit_with(by_fn(needs("Authorizer")), app)
    assert result.unused == () and not result.covers(st)


def test_cleanup_only_action_is_not_reported_missing() -> None:
    app = app_with([fn("Resizer", "ResizerRole")], [role("ResizerRole", stmt(30, ["s3:PutObject"], ["*"]))])
    upload = (need("s3:AbortMultipartUpload", OBJECTS, line=23), need("s3:PutObject", OBJECTS, line=23))
    assert audit_with(by_fn(needs("Resizer", *upload)), app).missing == ()
