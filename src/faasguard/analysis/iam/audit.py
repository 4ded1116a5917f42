"""Least-privilege audit: what each function's code needs (analysis/iam/needs.py) against what its
role grants (the model's Role / Policy / Statement and the managed-policy catalogue).

Facts, not findings: the rules in rules/least_privilege.py turn them into FG-IAM-009..011, and the
coarse rules of rules/over_privilege.py ask `covers()` to stay quiet on statements judged here.

A statement is judged only when every function running with a role that holds it has complete
needs (its code was read and every SDK call mapped): "unused" is never claimed from partial
knowledge. What the Lambda service itself does with the role (logging, polling the queue or
stream that triggers the function, VPC networking, tracing, dead-letter and failure
destinations, the environment's KMS key) counts as used: those actions come from AWS's own
execution-role policies in the managed-policy catalogue.

Resources are compared as ARNs: the region and account are left out (both are the deployment's),
the service must agree and the grant's resource part is matched as an IAM pattern against the
needed one. A grant resource the model cannot render (an unresolved parameter) may be anything,
so it counts as matching.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from faasguard.analysis.facts import Facts
from faasguard.analysis.iam import broad_resource
from faasguard.analysis.iam.actions import (
    escalation_paths,
    expand,
    is_placeholder,
    is_wildcard,
    lookup,
    matches,
)
from faasguard.analysis.iam.arns import ARN_SHAPE, Arn, shaped_arn
from faasguard.analysis.iam.managed import ManagedPolicy, PolicyClass
from faasguard.analysis.iam.managed import lookup as managed_lookup
from faasguard.analysis.iam.needs import FunctionNeeds, NeededAction, NeededResource, function_needs
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
)

# --- ARNs ----------------------------------------------------------------------------------------

# CloudFormation's Ref of these returns the ARN itself (a topic, a secret); of the rest a name/id.
_REF_IS_ARN = frozenset({StoreKind.SNS, StoreKind.SECRET})
# Terraform attributes that give the configured name (or id) of a store.
_TF_NAME_ATTRS = frozenset({"name", "id", "bucket", "function_name"})
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
_ARN = re.compile(r"arn:[^:]*:(?P<service>[^:]*):[^:]*:[^:]*:(?P<rest>.*)", re.DOTALL)


def store_name(store: DataStore) -> str:
    """The store's name as an ARN holds it: the configured name, else its Ref placeholder."""
    name = store.name
    if isinstance(name, str) and name and not is_placeholder(name):
        return name
    return "${" + store.id + "}"


def store_arn(store: DataStore, suffix: str = "") -> Arn | None:
    """The ARN of a store of the model (None for a kind whose ARN is not known here)."""
    return shaped_arn(store.kind, store_name(store), suffix)


def parse_arn(text: str) -> Arn | None:
    m = _ARN.fullmatch(text.strip())
    return Arn(m["service"].lower(), m["rest"]) if m else None


class _Unresolvable(Exception):
    """A placeholder the model cannot turn into text: the grant may name any resource."""


def _substitute(text: str, app: Application) -> str:
    """A grant resource with the model's placeholders replaced by the stores' ARNs and names."""

    def one(m: re.Match[str]) -> str:
        ref = m[1]
        if ref.startswith("AWS::") or ref.startswith("aws:"):
            return "*"  # region, account, partition: left out of the comparison
        store = app.store(ref)
        if store is not None:  # CloudFormation Ref
            if store.kind in _REF_IS_ARN:
                arn = store_arn(store)
                if arn is not None:
                    return arn.text()
            return store_name(store)
        head, _, attr = ref.rpartition(".")
        store = app.store(head)
        if store is not None:
            if attr.lower() == "arn":  # GetAtt X.Arn, Terraform <address>.arn
                arn = store_arn(store)
                if arn is not None:
                    return arn.text()
            elif attr in _TF_NAME_ATTRS:
                return store_name(store)
        raise _Unresolvable(ref)

    return _PLACEHOLDER.sub(one, text)


class GrantResource:
    """One `Resource` value of a statement, ready to be matched against needed ARNs."""

    __slots__ = ("any", "arn", "text")

    def __init__(self, value: object, app: Application) -> None:
        self.text = value if isinstance(value, str) else ""
        self.any = False
        self.arn: Arn | None = None
        if not isinstance(value, str):
            self.any = True  # Unknown: cannot say what it names
            return
        t = value.strip()
        if t == "*":
            self.any = True
            return
        try:
            self.arn = parse_arn(_substitute(t, app))
        except _Unresolvable:
            self.any = True
            return
        if self.arn is None:
            self.any = True  # not an ARN we can read

    def covers(self, needed: Arn | None) -> bool:
        if self.any or needed is None:
            return True
        assert self.arn is not None
        return matches(self.arn.service, needed.service) and matches(self.arn.resource, needed.resource)


def needed_arn(res: NeededResource, app: Application) -> Arn | None:
    """The ARN a needed resource names; None when it is not known ("*", a computed name)."""
    if res.store is not None:
        store = app.store(res.store)
        return store_arn(store, res.suffix) if store is not None else None
    if res.literal is None or res.literal.strip() == "*" or is_placeholder(res.literal):
        return None
    return parse_arn(res.literal)


def known_resource(res: NeededResource, app: Application) -> bool:
    return needed_arn(res, app) is not None


# --- what the Lambda service itself needs --------------------------------------------------------

_TRIGGER_POLICIES: Mapping[TriggerKind, str] = {
    TriggerKind.SQS: "AWSLambdaSQSQueueExecutionRole",
    TriggerKind.DYNAMODB_STREAM: "AWSLambdaDynamoDBExecutionRole",
    TriggerKind.KINESIS: "AWSLambdaKinesisExecutionRole",
}
_MSK_POLICY = "AWSLambdaMSKExecutionRole"
_ANY = (NeededResource(literal="*"),)


@cache
def _event_source_data() -> Mapping[str, Any]:
    """data/lambda_event_source_permissions.json: pollers without a fitting managed policy
    (Amazon DocumentDB, MSK, self-managed Kafka, Amazon MQ) and on-failure destinations."""
    from importlib import resources

    text = resources.files("faasguard").joinpath("data", "lambda_event_source_permissions.json")
    raw: Mapping[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return raw


# SAM event types and Serverless event names that say which poller a trigger is.
_SOURCE_NAMES = {
    "DocumentDB": "documentdb",
    "MSK": "msk",
    "msk": "msk",
    "SelfManagedKafka": "self-managed-kafka",
    "kafka": "self-managed-kafka",
}
# CloudFormation types (Terraform resources carry the same in app.resource_types) of the source.
_SOURCE_TYPES = {
    "AWS::DocDB::DBCluster": "documentdb",
    "AWS::MSK::Cluster": "msk",
    "AWS::MSK::ServerlessCluster": "msk",
    "AWS::AmazonMQ::Broker": "mq",
}


def event_source(trigger: Trigger, app: Application) -> str | None:
    """Which poller of data/lambda_event_source_permissions.json serves a trigger (None: another)."""
    if trigger.kind is TriggerKind.MQ:
        return "mq"
    for key in ("type", "event"):
        name = _SOURCE_NAMES.get(str(trigger.details.get(key, "")))
        if name is not None:
            return name
    target = trigger.target if isinstance(trigger.target, str) else ""
    head = target.removeprefix("${").split(".")[0]
    kind = _SOURCE_TYPES.get(app.resource_types.get(target) or app.resource_types.get(head, ""))
    if kind is not None:
        return kind
    if head.startswith("aws_docdb_cluster"):
        return "documentdb"
    if ":rds:" in target and ":cluster:" in target:
        return "documentdb"
    if trigger.kind is TriggerKind.KAFKA:
        # A Kafka mapping without an MSK cluster as its source reads a self-managed cluster.
        return "msk" if target else "self-managed-kafka"
    return None


def runtime_policies(fn: Function, app: Application) -> list[str]:
    """AWS's execution-role policies whose grants the Lambda service uses for this function."""
    names = ["AWSLambdaBasicExecutionRole"]
    for trigger in app.triggers_of(fn.id):
        name = _TRIGGER_POLICIES.get(trigger.kind)
        if name is None and event_source(trigger, app) == "msk":
            name = _MSK_POLICY
        if name is not None and name not in names:
            names.append(name)
    if fn.vpc:
        names.append("AWSLambdaVPCAccessExecutionRole")
    if fn.tracing is True:
        names.append("AWSXRayDaemonWriteAccess")
    return names


def runtime_needs(fn: Function, app: Application) -> list[NeededAction]:
    """The actions the Lambda service performs with the function's role, not its code."""
    out: dict[str, NeededAction] = {}

    def add(action: str, resources: tuple[NeededResource, ...], why: str) -> None:
        if action.lower() not in {a.lower() for a in out}:
            out[action] = NeededAction(action, resources, (), why)

    catalogue = {
        name: managed_lookup(f"arn:aws:iam::aws:policy/{name}") for name in runtime_policies(fn, app)
    }
    polled: dict[TriggerKind, list[DataStore | None]] = {}
    for t in app.triggers_of(fn.id):
        polled.setdefault(t.kind, []).append(app.store(t.target))
    for name, policy in catalogue.items():
        if policy is None:
            continue
        kind = next((k for k, p in _TRIGGER_POLICIES.items() if p == name), None)
        stores = polled.get(kind, []) if kind is not None else []
        for action in policy.actions:
            service = action.partition(":")[0]
            info = lookup(action)
            scoped = (
                bool(stores)
                and (info is None or info.resource_level)
                and all(s is not None and ARN_SHAPE.get(s.kind, ("",))[0] == service for s in stores)
            )
            # A table's stream is a resource below the table: table/<name>/stream/<label>.
            suffix = "/stream/*" if kind is TriggerKind.DYNAMODB_STREAM else ""
            resources = (
                tuple(NeededResource(store=s.id, suffix=suffix) for s in stores if s is not None)
                if scoped
                else _ANY
            )
            add(action, resources, f"Lambda uses it for the function ({name})")
    data = _event_source_data()
    for trigger in app.triggers_of(fn.id):
        source = event_source(trigger, app)
        spec = data["sources"].get(source) if source is not None else None
        if spec is not None:
            why = f"Lambda polls the {spec['label']} that triggers the function"
            for action in (*spec["required"], *spec["optional"]):
                add(action, _ANY, why)
    destinations = [(fn.dlq, "dead-letter queue"), (fn.on_failure, "on-failure destination")]
    destinations += [
        (t.on_failure, "event source mapping's on-failure destination") for t in app.triggers_of(fn.id)
    ]
    for target, what in destinations:
        if not isinstance(target, str) or not target:
            continue
        service, resource = _target_service(target, app)
        for sent in data["destinations"]["actions"].get(service, ()):
            on = resource
            if sent == "s3:PutObject" and resource[0].store is not None:
                on = (NeededResource(store=resource[0].store, suffix="/*"),)  # objects of the bucket
            add(sent, on, f"Lambda sends failed events to the {what}")
    if isinstance(fn.kms_key, str) and fn.kms_key:
        add("kms:Decrypt", _ANY, "Lambda decrypts the environment with the function's KMS key")
    return sorted(out.values(), key=lambda n: n.action.lower())


def _target_service(target: str, app: Application) -> tuple[str, tuple[NeededResource, ...]]:
    store = app.store(target)
    if store is not None:
        return ARN_SHAPE.get(store.kind, ("",))[0], (NeededResource(store=store.id),)
    if app.function(target) is not None:
        return "lambda", _ANY
    parts = target.removeprefix("${").split(".")
    head = parts[0]
    # CloudFormation "${Queue.Arn}" names the store Queue; Terraform "${aws_sqs_queue.q.arn}" the
    # store aws_sqs_queue.q.
    store = app.store(head) or app.store(".".join(parts[:2]))
    if store is not None:
        return ARN_SHAPE.get(store.kind, ("",))[0], (NeededResource(store=store.id),)
    arn = parse_arn(target)
    if arn is not None:
        return arn.service, _ANY
    kind = app.resource_types.get(head, "")
    for prefix, service in (
        ("AWS::SQS", "sqs"),
        ("AWS::SNS", "sns"),
        ("AWS::Lambda", "lambda"),
        ("AWS::S3", "s3"),
    ):
        if kind.startswith(prefix):
            return service, _ANY
    return "", _ANY


# --- grants --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Holder:
    """A role and the functions that run with it, with what they need."""

    role: Role
    functions: tuple[Function, ...]
    needs: tuple[FunctionNeeds, ...]
    runtime: tuple[tuple[str, tuple[NeededAction, ...]], ...]  # function id -> runtime needs

    @property
    def complete(self) -> bool:
        """Needs known for every function, and nobody but Lambda can use the role."""
        known = all(n.complete for n in self.needs) and len(self.needs) == len(self.functions)
        return known and not _trusts_others(self.role)

    @property
    def label(self) -> str:
        ids = [f.id for f in self.functions]
        if self.role.implicit and len(ids) == 1:
            return f"the execution role of {ids[0]}"
        return f"role {self.role.id} (used by {names(ids)})"

    def all_needs(self) -> Iterator[tuple[str, NeededAction]]:
        """(function id, need) for the code's needs and the Lambda service's."""
        for n in self.needs:
            for a in n.actions:
                yield n.function, a
        for fid, extra in self.runtime:
            for a in extra:
                yield fid, a


@dataclass(frozen=True, slots=True)
class Use:
    """A needed action a grant allows, with the resources it is needed on."""

    action: str
    resources: tuple[NeededResource, ...]
    calls: tuple[SourceRef, ...]
    functions: tuple[str, ...]
    runtime: bool  # needed by the Lambda service, not by the code


@dataclass(frozen=True, slots=True)
class UnusedGrant:
    """FG-IAM-009: what a statement or managed policy allows that no function holding it needs."""

    where: SourceRef
    label: str
    resource: str  # the role, for the finding
    capped: bool
    policy: str
    listed: tuple[str, ...]  # exact actions granted and unused
    wildcards: tuple[tuple[str, int | None], ...]  # (pattern, actions it allows or None: every)
    not_actions: tuple[str, ...] | None  # Allow + NotAction: all but these
    used: tuple[str, ...]  # the needed actions it does serve
    escalation: tuple[str, ...]  # unused escalation-capable actions
    whole: bool  # nothing it allows is used
    managed: bool = False
    functions: int = 1  # how many functions hold it
    runtime: tuple[str, ...] = ()  # the part of `used` only the Lambda service needs


@dataclass(frozen=True, slots=True)
class BroadGrant:
    """FG-IAM-010: needed actions granted on every resource while the code names its resources."""

    where: SourceRef
    label: str
    resource: str
    capped: bool
    policy: str
    uses: tuple[Use, ...]
    resources: tuple[str, ...]  # the ARNs the code uses, as text


@dataclass(frozen=True, slots=True)
class MissingGrant:
    """FG-IAM-011: an action the code calls that the function's role does not allow."""

    function: Function
    role: Role
    need: NeededAction
    resources: tuple[str, ...]  # the resources it lacks (empty: the action is allowed nowhere)
    denied: bool


@dataclass(frozen=True)
class Audit:
    covered: frozenset[int]  # id() of the statements this audit judges
    unused: tuple[UnusedGrant, ...] = ()
    broad: tuple[BroadGrant, ...] = ()
    missing: tuple[MissingGrant, ...] = ()
    # id(statement) -> lower-case needed actions it serves (for FG-IAM-004's replacement).
    served: Mapping[int, frozenset[str]] = field(default_factory=dict)

    def covers(self, st: Statement) -> bool:
        return id(st) in self.covered

    def serves(self, st: Statement, action: str) -> bool:
        """Whether a covered statement's grant of `action` is used by a function holding it."""
        return action.lower() in self.served.get(id(st), frozenset())


def audit(facts: Facts, app: Application) -> Audit:
    """The least-privilege audit of `app`, memoised per scan."""
    return facts.get("iam-audit", app, lambda a, _root: audit_with(function_needs(facts, a), a))


def names(items: Sequence[str], shown: int = 5) -> str:
    if len(items) <= shown:
        return ", ".join(items)
    return ", ".join(items[:shown]) + f" and {len(items) - shown} more"


def _holders(app: Application, needs: Mapping[str, FunctionNeeds]) -> list[Holder]:
    by_role: dict[str, list[Function]] = {}
    for fn in app.functions:
        if isinstance(fn.role, str):
            by_role.setdefault(fn.role, []).append(fn)
    out = []
    for role in app.roles:
        fns = by_role.get(role.id)
        if not fns:
            continue
        got = tuple(needs[f.id] for f in fns if f.id in needs)
        runtime = tuple((f.id, tuple(runtime_needs(f, app))) for f in fns)
        out.append(Holder(role, tuple(fns), got, runtime))
    return out


# Lambda's service principals: a role that trusts any other principal may be used by it too
# (API Gateway, Step Functions, a person), with needs faasguard does not see.
_LAMBDA_PRINCIPALS = frozenset({"lambda.amazonaws.com", "edgelambda.amazonaws.com"})


def _trusts_others(role: Role) -> bool:
    if role.trust is None:
        return False
    for st in role.trust.statements:
        if st.effect != "Allow":
            continue
        if st.unresolved or st.principals is None:
            return True
        for kind, values in st.principals.items():
            if kind != "Service" or any(
                not isinstance(v, str) or v.strip() not in _LAMBDA_PRINCIPALS for v in values
            ):
                return True
    return False


# Actions an SDK helper needs only to clean up after a failure (the transfer managers abort a
# failed multipart upload): without them the call itself still succeeds, so FG-IAM-011 does not
# say it fails. Source: Amazon S3 User Guide, "Multipart upload and permissions".
_CLEANUP_ONLY = frozenset({"s3:abortmultipartupload"})


def _texts(values: Iterable[object]) -> list[str]:
    return [v.strip() for v in values if isinstance(v, str)]


def _resolved(values: Sequence[object]) -> bool:
    return all(isinstance(v, str) and not is_placeholder(v) for v in values)


def _grants(st: Statement, action: str) -> bool:
    if st.not_actions:
        return not any(matches(p, action) for p in _texts(st.not_actions))
    return any(matches(p, action) for p in _texts(st.actions))


def _covers_need(
    resources: Sequence[GrantResource], st: Statement, need: NeededAction, app: Application
) -> bool:
    if st.not_resources or not st.resources:
        return True
    return any(r.covers(needed_arn(res, app)) for res in need.resources for r in resources)


def _uses(holders: Sequence[Holder], st: Statement, app: Application) -> list[Use]:
    """The needs of the holders' functions that this statement grants (action and resource)."""
    resources = [GrantResource(v, app) for v in st.resources]
    found: dict[str, tuple[list[NeededResource], list[SourceRef], list[str], bool]] = {}
    for h in holders:
        for fid, need in h.all_needs():
            if not _grants(st, need.action) or not _covers_need(resources, st, need, app):
                continue
            res, calls, fns, runtime = found.setdefault(need.action, ([], [], [], True))
            res.extend(r for r in need.resources if r not in res)
            calls.extend(c for c in need.calls if c not in calls)
            if fid not in fns:
                fns.append(fid)
            found[need.action] = (res, calls, fns, runtime and not need.calls)
    return [
        Use(action, tuple(res), tuple(sorted(calls, key=lambda c: (c.path, c.line))), tuple(fns), rt)
        for action, (res, calls, fns, rt) in sorted(found.items(), key=lambda kv: kv[0].lower())
    ]


def _escalating(unused: Iterable[str], st: Statement | None) -> list[str]:
    """Unused action patterns that open a documented privilege-escalation path."""
    patterns = list(unused)
    broad = st is None or bool(st.not_resources) or any(broad_resource(r) for r in _texts(st.resources))
    out = []
    for path in escalation_paths():
        if path.resource != "any" and not broad:
            continue
        if any(matches(p, path.action) for p in patterns) and path.action not in out:
            out.append(path.action)
    return out


def _judge_statement(
    holders: Sequence[Holder], policy: Policy, st: Statement, uses: Sequence[Use]
) -> UnusedGrant | None:
    used = [u.action for u in uses]
    used_lower = {u.lower() for u in used}
    listed: list[str] = []
    wild: list[tuple[str, int | None]] = []
    if st.not_actions:
        allowed_left = True  # everything but a few: always more than any function needs
    else:
        allowed_left = False
        for pattern in _texts(st.actions):
            if is_wildcard(pattern):
                parts = pattern.partition(":")
                if pattern == "*" or is_wildcard(parts[0]):
                    wild.append((pattern, None))
                    continue
                covered = [i.full for i in expand(pattern)]
                if any(c.lower() not in used_lower for c in covered):
                    wild.append((pattern, len(covered)))
            elif pattern.lower() not in used_lower:
                info = lookup(pattern)
                listed.append(info.full if info is not None else pattern)
    if not listed and not wild and not allowed_left:
        return None
    unused_patterns = listed + [p for p, _ in wild]
    if st.not_actions:
        unused_patterns = ["*"]
    escalation = [a for a in _escalating(unused_patterns, st) if a.lower() not in used_lower]
    label, resource, capped = _holding(holders)
    return UnusedGrant(
        where=st.loc("Action", "NotAction"),
        label=label,
        resource=resource,
        capped=capped,
        policy=policy.name,
        listed=tuple(listed),
        wildcards=tuple(wild),
        not_actions=tuple(_texts(st.not_actions)) if st.not_actions else None,
        used=tuple(used),
        escalation=tuple(escalation),
        whole=not used,
        functions=sum(len(h.functions) for h in holders),
        runtime=tuple(u.action for u in uses if u.runtime),
    )


def _holding(holders: Sequence[Holder]) -> tuple[str, str, bool]:
    """How a finding names the roles holding a statement, the resource it is filed under, and
    whether a permissions boundary caps every one of them."""
    h0 = holders[0]
    label = h0.label if len(holders) == 1 else "each of roles " + names([h.role.id for h in holders])
    return label, h0.role.id, all(h.role.boundary is not None for h in holders)


def _judge_broad(
    holders: Sequence[Holder], policy: Policy, st: Statement, uses: Sequence[Use], app: Application
) -> BroadGrant | None:
    if not any(broad_resource(r) for r in _texts(st.resources)) or st.not_resources:
        return None
    scoped = [u for u in uses if u.resources and all(known_resource(r, app) for r in u.resources)]
    if not scoped:
        return None
    arns: list[str] = []
    for u in scoped:
        for r in u.resources:
            arn = needed_arn(r, app)
            text = arn.text() if arn is not None else "*"
            if r.store is not None:
                text = f"{r.store}{r.suffix}"
            if text not in arns:
                arns.append(text)
    label, resource, capped = _holding(holders)
    return BroadGrant(
        where=st.loc("Resource", "Action"),
        label=label,
        resource=resource,
        capped=capped,
        policy=policy.name,
        uses=tuple(scoped),
        resources=tuple(arns),
    )


def _judge_managed(
    h: Holder, ref: ManagedPolicyRef, policy: ManagedPolicy, app: Application
) -> UnusedGrant | None:
    used: list[str] = []
    listed: list[str] = []
    wild: list[tuple[str, int | None]] = []
    needed = [n for _, n in h.all_needs()]
    by_code = {n.action.lower() for n in needed if n.calls}
    for pattern in policy.actions:
        hits = [n.action for n in needed if matches(pattern, n.action)]
        used.extend(a for a in hits if a not in used)
        if is_wildcard(pattern):
            covered = [i.full for i in expand(pattern)]
            hit_lower = {a.lower() for a in hits}
            if pattern == "*" or any(c.lower() not in hit_lower for c in covered):
                wild.append((pattern, len(covered) if pattern != "*" else None))
        elif not hits:
            listed.append(pattern)
    if not listed and not wild:
        return None
    used_lower = {u.lower() for u in used}
    escalation = [a for a in _escalating(listed + [p for p, _ in wild], None) if a.lower() not in used_lower]
    return UnusedGrant(
        where=ref.source,
        label=h.label,
        resource=h.role.id,
        capped=h.role.boundary is not None,
        policy=policy.name,
        listed=tuple(listed),
        wildcards=tuple(wild),
        not_actions=tuple(policy.not_actions) if policy.not_actions else None,
        used=tuple(sorted(used, key=str.lower)),
        escalation=tuple(escalation),
        whole=not used,
        managed=True,
        functions=len(h.functions),
        runtime=tuple(a for a in sorted(used, key=str.lower) if a.lower() not in by_code),
    )


def audit_with(needs: Mapping[str, FunctionNeeds], app: Application) -> Audit:
    """The audit for given needs (`audit` takes them from the needs analysis)."""
    holders = _holders(app, needs)
    # Each statement once, with every role holding it (AWS::IAM::Policy can attach to several).
    statements: dict[int, tuple[Statement, Policy, list[Holder]]] = {}
    for h in holders:
        for policy, st in h.role.statements():
            statements.setdefault(id(st), (st, policy, []))[2].append(h)
    covered: set[int] = set()
    served: dict[int, frozenset[str]] = {}
    unused: list[UnusedGrant] = []
    broad: list[BroadGrant] = []
    for key, (st, policy, hs) in statements.items():
        if st.unresolved or st.effect != "Allow" or not all(h.complete for h in hs):
            continue
        if not _resolved(st.actions) or not _resolved(st.not_actions):
            continue
        covered.add(key)
        uses = _uses(hs, st, app)
        served[key] = frozenset(u.action.lower() for u in uses)
        judged = _judge_statement(hs, policy, st, uses)
        if judged is not None:
            unused.append(judged)
        wide = _judge_broad(hs, policy, st, uses, app)
        if wide is not None:
            broad.append(wide)
    for h in holders:
        if not h.complete:
            continue
        seen: set[str] = set()
        for ref in h.role.managed:
            known = managed_lookup(ref.arn) if isinstance(ref.arn, str) else None
            if known is None or known.name in seen or known.kind in (PolicyClass.SCOPED, PolicyClass.ADMIN):
                continue
            seen.add(known.name)
            judged = _judge_managed(h, ref, known, app)
            if judged is not None:
                unused.append(judged)
    missing = [m for h in holders for m in _missing(h, app)]
    return Audit(frozenset(covered), tuple(unused), tuple(broad), tuple(missing), served)


# --- used but not granted ------------------------------------------------------------------------


def _missing(h: Holder, app: Application) -> Iterator[MissingGrant]:
    """Code needs the role allows on none of the needed resources (only when the role is known)."""
    allows: list[tuple[Statement, list[GrantResource]]] = []
    denies: list[Statement] = []
    for _, st in h.role.statements():
        if st.unresolved or not _resolved(st.actions) or not _resolved(st.not_actions):
            return  # a grant we cannot read might allow anything
        if st.effect == "Deny":
            if not st.conditions and not st.not_resources and "*" in _texts(st.resources):
                denies.append(st)
        else:
            allows.append((st, [GrantResource(v, app) for v in st.resources]))
    managed: list[str] = []
    for ref in h.role.managed:
        policy = managed_lookup(ref.arn) if isinstance(ref.arn, str) else None
        if policy is None or policy.not_actions:
            return  # unknown or "all but": cannot say what it allows
        managed.extend(policy.actions)
    by_id = {f.id: f for f in h.functions}
    for n in h.needs:
        fn = by_id[n.function]
        for need in n.actions:
            if not need.calls or need.action.lower() in _CLEANUP_ONLY:
                continue
            if any(_grants(st, need.action) for st in denies):
                yield MissingGrant(fn, h.role, need, (), True)
                continue
            if any(matches(p, need.action) for p in managed):
                continue
            granting = [(st, rs) for st, rs in allows if _grants(st, need.action)]
            if not granting:
                yield MissingGrant(fn, h.role, need, (), False)
                continue
            lacking = []
            for res in need.resources:
                arn = needed_arn(res, app)
                if arn is None:
                    continue
                if not any(_covers_one(st, rs, arn) for st, rs in granting):
                    lacking.append(f"{res.store}{res.suffix}" if res.store else arn.text())
            if lacking:
                yield MissingGrant(fn, h.role, need, tuple(lacking), False)


def _covers_one(st: Statement, resources: Sequence[GrantResource], arn: Arn) -> bool:
    if st.not_resources or not st.resources:
        return True
    return any(r.covers(arn) for r in resources)
