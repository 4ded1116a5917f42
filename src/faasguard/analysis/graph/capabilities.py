"""What a function's role can do, as the attack graph needs it.

Each role's grants (inline statements and catalogued AWS managed policies) become capabilities:
administrator grants, privilege escalation (FG-IAM-004's analysis, reused as is), reading and
writing the application's data stores, invoking its functions. Statement resources are matched
to the model's stores and functions by reference (`${Orders.Arn}`, `${aws_sqs_queue.jobs.arn}`),
by name inside an ARN (wildcards allowed), or by "*" (every store of the service in the app).
Conditional grants are left out: a condition may narrow them any way (precision first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from faasguard.analysis.facts import Facts
from faasguard.analysis.iam import broad_resource
from faasguard.model import Application, DataStore, Function, Role, SourceRef, StoreKind

# IAM service prefixes of each kind of store.
STORE_SERVICES: dict[StoreKind, tuple[str, ...]] = {
    StoreKind.S3: ("s3",),
    StoreKind.DYNAMODB: ("dynamodb",),
    StoreKind.SQS: ("sqs",),
    StoreKind.SNS: ("sns",),
    StoreKind.SECRET: ("secretsmanager",),
    StoreKind.KINESIS: ("kinesis",),
    StoreKind.SSM_PARAMETER: ("ssm",),
    StoreKind.RDS: ("rds-data", "rds-db"),
    StoreKind.OPENSEARCH: ("es",),
    StoreKind.EFS: ("elasticfilesystem",),
}
STORE_WORDS = {
    StoreKind.S3: "bucket",
    StoreKind.DYNAMODB: "table",
    StoreKind.SQS: "queue",
    StoreKind.SNS: "topic",
    StoreKind.SECRET: "secret",
    StoreKind.KINESIS: "stream",
    StoreKind.SSM_PARAMETER: "parameter",
    StoreKind.RDS: "database",
    StoreKind.OPENSEARCH: "search domain",
    StoreKind.EFS: "file system",
}
# Stores of record: writing them (or reading a secret) from the internet is critical.
_MESSAGING = (StoreKind.SQS, StoreKind.SNS, StoreKind.KINESIS)
_INVOKE = "lambda:InvokeFunction"
_SHOWN = 3


# --- IAM helpers ---------------------------------------------------------------------------------


def texts(values: Iterable[object]) -> tuple[str, ...]:
    return tuple(v.strip() for v in values if isinstance(v, str))


@lru_cache(maxsize=512)  # bounded: each entry holds whole action sets
def _access(
    actions: tuple[str, ...], not_actions: tuple[str, ...] | None, service: str
) -> tuple[frozenset[str], frozenset[str]]:
    """(read, write) actions of one service a statement's Action / NotAction allows."""
    from faasguard.analysis.iam.actions import matches, service_actions

    reads: set[str] = set()
    writes: set[str] = set()
    for info in service_actions(service).values():
        full = info.full
        if not_actions is not None:
            allowed = not any(matches(p, full) for p in not_actions)
        else:
            allowed = any(matches(p, full) for p in actions)
        if not allowed:
            continue
        if info.writes:
            writes.add(full)
        elif "Read" in info.access:
            reads.add(full)
    return frozenset(reads), frozenset(writes)


def _resource_types(full: str) -> tuple[str, ...]:
    from faasguard.analysis.iam.actions import lookup

    info = lookup(full)
    return info.resource_types if info is not None else ()


# Partition, region and account may still be placeholders (`${AWS::Region}`), which hold colons.
_PART = r"(?:\$\{[^}]*\}|[^:$]*)"
_ARN = re.compile(rf"arn:{_PART}:(?P<service>[^:]*):{_PART}:{_PART}:(?P<rest>.*)", re.S)
# The name part of each store kind's ARN (after the service, region and account).
_NAME_IN_ARN: dict[StoreKind, re.Pattern[str]] = {
    StoreKind.S3: re.compile(r"(?P<name>[^/]+)(?P<tail>/.*)?", re.S),
    StoreKind.DYNAMODB: re.compile(r"table/(?P<name>[^/]+)(?P<tail>/.*)?", re.S),
    StoreKind.SQS: re.compile(r"(?P<name>[^:/]+)(?P<tail>)", re.S),
    StoreKind.SNS: re.compile(r"(?P<name>[^:/]+)(?P<tail>:.*)?", re.S),
    StoreKind.SECRET: re.compile(r"secret:(?P<name>.+?)(?P<tail>-[A-Za-z0-9?*]{6})?", re.S),
    StoreKind.KINESIS: re.compile(r"stream/(?P<name>[^/]+)(?P<tail>/.*)?", re.S),
    StoreKind.SSM_PARAMETER: re.compile(r"parameter/?(?P<name>.+)(?P<tail>)", re.S),
    StoreKind.RDS: re.compile(r"(?:db|cluster|dbuser):(?P<name>[^/:]+)(?P<tail>.*)", re.S),
    StoreKind.OPENSEARCH: re.compile(r"domain/(?P<name>[^/]+)(?P<tail>/.*)?", re.S),
    StoreKind.EFS: re.compile(r"file-system/(?P<name>[^/]+)(?P<tail>)", re.S),
}


def _glob(pattern: str, text: str) -> bool:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(body, text, re.S) is not None


def references(resource: str, rid: str) -> str | None:
    """The text after a reference to `rid` in a resource (`${Orders.Arn}/*` -> "/*"), or None."""
    for head in ("${" + rid + "}", "${" + rid + ".Arn}", "${" + rid + ".arn}"):
        at = resource.find(head)
        if at >= 0:
            return resource[at + len(head) :]
    at = resource.find("${" + rid + ".")
    if at >= 0:
        end = resource.find("}", at)
        return resource[end + 1 :] if end >= 0 else ""
    return None


def store_match(resource: str, store: DataStore) -> tuple[bool, bool, str]:
    """Whether a statement resource covers a store: (covers, through a wildcard, S3 part).

    The S3 part says what of a bucket the resource names: "bucket", "object" or "any".
    """
    text = resource.strip()
    services = STORE_SERVICES.get(store.kind, ())
    if text == "*":
        return True, True, "any"
    tail = references(text, store.id)
    if tail is not None:
        return True, False, ("object" if tail.startswith("/") else "bucket")
    m = _ARN.fullmatch(text)
    if m is None or m["service"] not in services:
        return False, False, ""
    if broad_resource(text):
        return True, True, "any" if m["rest"] == "*" else "object"
    shape = _NAME_IN_ARN.get(store.kind)
    named = shape.fullmatch(m["rest"]) if shape is not None else None
    if named is None or not isinstance(store.name, str) or not store.name or "${" in named["name"]:
        return False, False, ""
    name = store.name.lstrip("/") if store.kind is StoreKind.SSM_PARAMETER else store.name
    if not _glob(named["name"], name):
        return False, False, ""
    part = "object" if (named["tail"] or "").startswith("/") else "bucket"
    return True, "*" in named["name"], part


def function_match(resource: str, fn: Function) -> tuple[bool, bool]:
    """Whether a statement resource covers a function: (covers, through a wildcard)."""
    text = resource.strip()
    if text == "*":
        return True, True
    if references(text, fn.id) is not None:
        return True, False
    m = _ARN.fullmatch(text)
    if m is None or m["service"] != "lambda":
        return False, False
    if broad_resource(text):
        return True, True
    named = re.fullmatch(r"function:(?P<name>[^:]+)(?::.*)?", m["rest"], re.S)
    if named is None or not isinstance(fn.name, str) or not fn.name or "${" in named["name"]:
        return False, False
    return _glob(named["name"], fn.name), "*" in named["name"]


def short(values: Sequence[str], shown: int = _SHOWN) -> str:
    if len(values) <= shown:
        return ", ".join(values)
    return ", ".join(values[:shown]) + f" and {len(values) - shown} more"


_ARN_HEAD = re.compile(rf"arn:{_PART}:[^:]*:{_PART}:{_PART}:")


def _grant_words(actions: Sequence[str], not_actions: Sequence[str] | None, resources: Sequence[str]) -> str:
    what = "every action except " + short(not_actions) if not_actions else short(list(actions))
    # The ARN's head (partition, service, region, account) says little once the action is named.
    names = [r if r == "*" else _ARN_HEAD.sub("", r, count=1) for r in resources]
    where = short([f'"{n}"' if n == "*" else n for n in names], 2) if names else "every resource"
    return f"{what} on {where}"


# --- capabilities --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Grant:
    """One source of permissions on a role: an inline statement or a managed policy."""

    id: str
    label: str  # "grants dynamodb:* on *", "has AWS managed policy AmazonS3FullAccess"
    source: SourceRef
    actions: tuple[str, ...]
    not_actions: tuple[str, ...] | None
    resources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reach:
    node: str  # target node id
    access: str  # read | write | read and write | invoke | escalate | admin
    star: bool
    critical: bool


@dataclass(frozen=True, slots=True)
class Capability:
    id: str
    kind: str  # admin | escalation | data | invoke
    role: str
    label: str
    source: SourceRef
    reaches: tuple[Reach, ...]


def edge_kind(access: str) -> str:
    return {
        "read": "can-read",
        "write": "can-write",
        "read and write": "can-read-write",
        "invoke": "can-invoke",
        "escalate": "can-escalate",
        "admin": "is-admin",
    }[access]


def _own_function(resource: str, functions: Sequence[Function]) -> bool:
    return any(function_match(resource, fn) == (True, False) for fn in functions)


def _fits(kind: str, resources: Sequence[str], functions: Sequence[Function]) -> bool:
    """Whether an escalation path's action applies on these resources ("any" | "wildcard" |
    "other-function", as data/escalation_actions.json says)."""
    if kind == "any" or any(broad_resource(r) for r in resources):
        return True
    if kind == "other-function":
        return any(not _own_function(r, functions) for r in resources)
    return False


class RoleCapabilities:
    """The capabilities of every role a function of the application runs with."""

    def __init__(self, app: Application, facts: Facts) -> None:
        self.app = app
        self.facts = facts

    def of(self, functions_by_role: dict[str, list[Function]]) -> dict[str, list[Capability]]:
        """Capabilities by role id, for the roles given with the functions that run with them."""
        if not functions_by_role:
            return {}
        out: dict[str, list[Capability]] = {}
        for rid in sorted(functions_by_role):
            role = self.app.role(rid)
            if role is not None:
                out[rid] = self._capabilities(role, functions_by_role[rid])
        return out

    def _escalations(self, role: Role, functions: list[Function]) -> list[tuple[SourceRef, str]]:
        """Where the role's grants allow privilege escalation, and through which actions.

        The same catalogue and judgement as FG-IAM-004 (data/escalation_actions.json): an action
        on the path granted on a resource it fits, not denied outright; iam:PassRole counts only
        with a service that runs code with the passed role. Unlike FG-IAM-004, every grant counts
        here, used by the code or not: a path is about what the role *can* do.
        """
        from faasguard.analysis.iam.actions import escalation_paths, matches
        from faasguard.analysis.iam.managed import PolicyClass, lookup

        allow: list[str] = []
        allow_except: list[tuple[str, ...]] = []
        deny: list[str] = []
        sources: list[tuple[SourceRef, tuple[str, ...], tuple[str, ...] | None, tuple[str, ...]]] = []
        for _, st in role.statements():
            if st.unresolved:
                continue
            if st.effect == "Deny":
                if not st.conditions and "*" in texts(st.resources):
                    deny.extend(texts(st.actions))
                continue
            actions = texts(st.actions)
            not_actions = texts(st.not_actions) if st.not_actions else None
            if not_actions is not None and len(not_actions) != len(st.not_actions):
                continue
            allow.extend(actions)
            if not_actions is not None:
                allow_except.append(not_actions)
            resources = ("*",) if st.not_resources else texts(st.resources)
            sources.append((st.loc("Action", "NotAction"), actions, not_actions, resources))
        for ref in role.managed:
            policy = lookup(ref.arn) if isinstance(ref.arn, str) else None
            if policy is None or policy.kind is PolicyClass.ADMIN:
                continue
            not_actions = tuple(policy.not_actions) if policy.not_actions else None
            allow.extend(policy.actions)
            if not_actions is not None:
                allow_except.append(not_actions)
            sources.append((ref.source, tuple(policy.actions), not_actions, ("*",)))

        def grants(actions: Sequence[str], not_actions: Sequence[str] | None, action: str) -> bool:
            if any(matches(p, action) for p in deny):
                return False
            if not_actions is not None:
                return not any(matches(p, action) for p in not_actions)
            return any(matches(p, action) for p in actions)

        def can(action: str) -> bool:
            return grants(allow, None, action) or any(grants((), but, action) for but in allow_except)

        out: list[tuple[SourceRef, str]] = []
        for where, actions, not_actions, resources in sources:
            names: list[str] = []
            for path in escalation_paths():
                if not grants(actions, not_actions, path.action):
                    continue
                if not _fits(path.resource, resources, functions):
                    continue
                if path.requires_any:
                    with_ = [c.action for c in path.requires_any if can(c.action)]
                    if not with_:
                        continue  # PassRole alone: nothing runs code with the passed role
                    names.append(f"{path.action} with {short(with_, 2)}")
                else:
                    names.append(path.action)
            if names:
                out.append((where, short(names)))
        return out

    def _grants(self, role: Role) -> list[Grant]:
        from faasguard.analysis.iam.managed import lookup

        out: list[Grant] = []
        for policy, st in role.statements():
            if st.effect != "Allow" or st.unresolved or st.conditions:
                continue  # a condition may narrow the grant any way: precision first
            actions = texts(st.actions)
            not_actions = texts(st.not_actions) if st.not_actions else None
            if not_actions is not None and len(not_actions) != len(st.not_actions):
                continue  # "every action but <unknown>": cannot say
            resources = texts(st.resources)
            if st.not_resources:
                continue
            where = st.loc("Action", "NotAction")
            label = "grants " + _grant_words(actions, not_actions, resources)
            if policy.origin.startswith("sam-template:"):
                label = f"has SAM policy template {policy.origin.partition(':')[2]} ({label})"
            gid = f"grant:{role.id}:{where.path}:{where.line}"
            out.append(Grant(gid, label, where, actions, not_actions, resources))
        for ref in role.managed:
            managed = lookup(ref.arn) if isinstance(ref.arn, str) else None
            if managed is None or managed.lambda_execution:
                continue  # AWS's execution-role policies: what the runtime and event sources need
            label = f"has AWS managed policy {managed.name}"
            gid = f"grant:{role.id}:{ref.source.path}:{ref.source.line}:{managed.name}"
            not_actions = tuple(managed.not_actions) if managed.not_actions else None
            out.append(Grant(gid, label, ref.source, tuple(managed.actions), not_actions, ("*",)))
        return out

    def _denied(self, role: Role) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """Unconditional Deny statements: (actions, resources)."""
        return [
            (texts(st.actions), texts(st.resources))
            for _, st in role.statements()
            if st.effect == "Deny" and not st.conditions and not st.unresolved and not st.not_actions
        ]

    def _capabilities(self, role: Role, functions: list[Function]) -> list[Capability]:
        from faasguard.analysis.iam.managed import PolicyClass, lookup

        capped = role.boundary is not None
        caps: list[Capability] = []
        if not capped:
            for _, st in role.statements():
                if st.effect != "Allow" or st.unresolved or st.conditions or st.not_actions:
                    continue
                if "*" in texts(st.actions) and "*" in texts(st.resources):
                    where = st.loc("Action")
                    caps.append(
                        Capability(
                            f"grant:{role.id}:{where.path}:{where.line}:admin",
                            "admin",
                            role.id,
                            'grants "*" on "*" (administrator)',
                            where,
                            (Reach("account", "admin", True, True),),
                        )
                    )
            for ref in role.managed:
                policy = lookup(ref.arn) if isinstance(ref.arn, str) else None
                if policy is not None and policy.kind is PolicyClass.ADMIN:
                    caps.append(
                        Capability(
                            f"grant:{role.id}:{ref.source.path}:{ref.source.line}:admin",
                            "admin",
                            role.id,
                            f"has AWS managed policy {policy.name} (administrator)",
                            ref.source,
                            (Reach("account", "admin", True, True),),
                        )
                    )
            if caps:
                return caps  # an administrator can do everything else too
            for where, names in self._escalations(role, functions):
                caps.append(
                    Capability(
                        f"grant:{role.id}:{where.path}:{where.line}:escalate",
                        "escalation",
                        role.id,
                        f"grants privilege escalation: {names}",
                        where,
                        (Reach("account", "escalate", True, True),),
                    )
                )
        denies = self._denied(role)
        own = {f.id for f in functions}
        for grant in self._grants(role):
            data = self._data_reach(grant, denies, capped)
            if data:
                caps.append(
                    Capability(grant.id + ":data", "data", role.id, grant.label, grant.source, tuple(data))
                )
            invoke = self._invoke_reach(grant, denies, own)
            if invoke:
                caps.append(
                    Capability(
                        grant.id + ":invoke", "invoke", role.id, grant.label, grant.source, tuple(invoke)
                    )
                )
        return caps

    def _data_reach(
        self, grant: Grant, denies: list[tuple[tuple[str, ...], tuple[str, ...]]], capped: bool
    ) -> list[Reach]:
        from faasguard.analysis.iam.actions import matches

        out: list[Reach] = []
        for store in self.app.stores:
            services = STORE_SERVICES.get(store.kind, ())
            covered = [store_match(r, store) for r in (grant.resources or ("*",))]
            hits = [c for c in covered if c[0]]
            if not hits:
                continue
            star = all(c[1] for c in hits)
            parts = {c[2] for c in hits}
            reads: set[str] = set()
            writes: set[str] = set()
            for service in services:
                r, w = _access(grant.actions, grant.not_actions, service)
                reads |= r
                writes |= w
            if store.kind is StoreKind.S3 and "any" not in parts:
                kinds = (
                    {"object"}
                    if parts == {"object"}
                    else {"bucket"}
                    if parts == {"bucket"}
                    else {"object", "bucket"}
                )
                reads = {a for a in reads if set(_resource_types(a)) & kinds}
                writes = {a for a in writes if set(_resource_types(a)) & kinds}

            barred = [acts for acts, res in denies if any(store_match(r, store)[0] for r in res)]
            reads = {a for a in reads if not any(matches(p, a) for acts in barred for p in acts)}
            writes = {a for a in writes if not any(matches(p, a) for acts in barred for p in acts)}
            if not reads and not writes:
                continue
            access = "read and write" if reads and writes else "write" if writes else "read"
            sensitive = store.kind not in _MESSAGING
            critical = (
                not capped
                and sensitive
                and (bool(writes) or (store.kind is StoreKind.SECRET and bool(reads)))
            )
            out.append(Reach(f"store:{store.id}", access, star, critical))
        return out

    def _invoke_reach(
        self, grant: Grant, denies: list[tuple[tuple[str, ...], tuple[str, ...]]], own: set[str]
    ) -> list[Reach]:
        from faasguard.analysis.iam.actions import matches

        if grant.not_actions is not None:
            allowed = not any(matches(p, _INVOKE) for p in grant.not_actions)
        else:
            allowed = any(matches(p, _INVOKE) for p in grant.actions)
        if not allowed:
            return []
        out: list[Reach] = []
        for fn in self.app.functions:
            if fn.id in own:
                continue
            covered = [function_match(r, fn) for r in (grant.resources or ("*",))]
            hits = [c for c in covered if c[0]]
            if not hits:
                continue
            if any(
                any(matches(p, _INVOKE) for p in acts) and any(function_match(r, fn)[0] for r in res)
                for acts, res in denies
            ):
                continue
            out.append(Reach(f"function:{fn.id}", "invoke", all(c[1] for c in hits), False))
        return out
