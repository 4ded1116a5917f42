"""Least privilege from code: each function's grants against what its code calls (issue #9).

The facts come from analysis/iam/audit.py (needs from analysis/iam/needs.py against the role's
statements and managed policies). FG-IAM-009 and FG-IAM-010 judge a statement only when the needs
of every function holding it are complete; on such a statement they replace the coarser
FG-IAM-001 (wildcard action), FG-IAM-002 (writes on every resource) and the unused part of
FG-IAM-004 (escalation), which skip it. FG-IAM-011 reports calls the role does not allow.
"""

from __future__ import annotations

from collections.abc import Iterator

from faasguard.analysis.iam.actions import is_service_wildcard
from faasguard.analysis.iam.audit import BroadGrant, MissingGrant, UnusedGrant, audit, names
from faasguard.findings import Category, Severity
from faasguard.model import Application
from faasguard.rules.base import RelatedStep, Rule, RuleMeta, Violation

CAPPED = " (capped by permissions boundary)"


def _capped(base: Severity, capped: bool) -> Severity:
    return Severity.LOW if capped and base.rank > Severity.LOW.rank else base


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --- FG-IAM-009 ----------------------------------------------------------------------------------


class UnusedGrantedActions(Rule):
    """## What it does
    Compares what a function's role allows with what the function's code calls (its SDK calls
    mapped to IAM actions) and what the Lambda service does with the role (logging, polling the
    queue or stream that triggers it, VPC networking, tracing, failure destinations). Flags each
    statement, SAM policy template or AWS managed policy that allows actions nobody uses, and
    lists them; a wildcard (`"s3:*"`, `"dynamodb:Get*"`) is reported with the number of actions
    it allows and the few the code uses. When the unused part can escalate privileges
    (`iam:PassRole`, `iam:PutRolePolicy`, `lambda:UpdateFunctionCode`, ...) the severity is high
    and the message says so.

    A role shared by several functions is judged on what all of them use. The rule stays silent
    unless every function holding the grant had its handler code read and every SDK call mapped:
    it never calls an action unused from partial knowledge. On the statements it judges it
    replaces FG-IAM-001 and the unused part of FG-IAM-004.

    ## Why is this bad?
    Rights that no code path uses are pure risk: an injected payload or a compromised dependency
    gets them all, and nothing is lost by removing them.

    ## Example
    ```yaml
    Policies:
      - DynamoDBCrudPolicy:       # 10 actions
          TableName: !Ref OrdersTable
    # code: table.put_item(...) only
    ```

    ## Use instead
    ```yaml
    Policies:
      - Statement:
          - Effect: Allow
            Action: dynamodb:PutItem
            Resource: !GetAtt OrdersTable.Arn
    ```
    `faasguard policy . --format sam` prints this block for each function.

    ## References
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    """

    meta = RuleMeta(
        id="FG-IAM-009",
        category=Category.OVER_PRIVILEGE,
        severity=Severity.MEDIUM,
        title="Granted actions the function's code never uses",
        cwe=(250, 272),
        remediation={
            "sam": "Replace the statement or policy template with the actions the code calls "
            "(`faasguard policy . --format sam` prints the `Policies` block).",
            "cloudformation": "Remove the unused actions from the role's policy statement "
            "(`faasguard policy . --format json` lists what each function needs).",
            "serverless": "Remove the unused actions from `provider.iam.role.statements` "
            "(`faasguard policy . --format serverless` prints the statements).",
            "terraform": "Remove the unused actions from the policy document "
            "(`faasguard policy . --format terraform` prints an aws_iam_policy_document).",
        },
        since="0.2.0",
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for grant in audit(self.facts, app).unused:
            severity = Severity.HIGH if grant.escalation or _every(grant) else self.meta.severity
            yield Violation(
                grant.where,
                _unused_message(grant) + (CAPPED if grant.capped else ""),
                resource=grant.resource,
                severity=_capped(severity, grant.capped),
                extra={
                    "unused": list(grant.listed),
                    "unused_wildcards": {p: n for p, n in grant.wildcards},
                    "not_actions": list(grant.not_actions) if grant.not_actions is not None else None,
                    "used": list(grant.used),
                    "escalation": list(grant.escalation),
                    "policy": grant.policy,
                },
                snippet=f"{grant.policy} {' '.join(grant.listed)} {' '.join(p for p, _ in grant.wildcards)}",
            )


def _every(grant: UnusedGrant) -> bool:
    """Every action, or every action of a service: as severe as FG-IAM-001, which it replaces."""
    return grant.not_actions is not None or any(is_service_wildcard(p) for p, _ in grant.wildcards)


def _unused_message(grant: UnusedGrant) -> str:
    subject = grant.label + (f" has AWS managed policy {grant.policy}, which" if grant.managed else "")
    code = "its code" if grant.functions == 1 else "its functions' code"
    parts: list[str] = []
    if grant.not_actions is not None:
        but = ", ".join(grant.not_actions) or "an empty list"
        parts.append(f"every action except {but} (NotAction)")
    for pattern, count in grant.wildcards:
        parts.append(
            f'"{pattern}" (every action of every service)'
            if count is None
            else f'"{pattern}" ({_plural(count, "action")})'
        )
    if grant.listed:
        parts.append(names(list(grant.listed)))
    what = " and ".join(parts)
    # What Lambda itself does with the role (logs, polling a queue) is not the code's doing.
    by_code = [a for a in grant.used if a not in grant.runtime]
    service = f"Lambda uses {names(list(grant.runtime))}" if grant.runtime else ""
    if grant.whole:
        message = f"{subject} allows {what}; {code} uses none of it: the grant can go"
    elif grant.listed and not grant.wildcards and grant.not_actions is None:
        noun = _plural(len(grant.listed), "action")
        used = "; ".join(x for x in (f"{code} calls {names(by_code)}" if by_code else "", service) if x)
        message = f"{subject} allows {noun} {code} never calls: {what} ({used})"
    elif by_code:
        message = f"{subject} allows {what} while {code} calls only {names(by_code)}"
        message += f" ({service})" if service else ""
    else:
        message = f"{subject} allows {what} while {code} calls none of it ({service} only)"
    if grant.escalation:
        message += f"; unused and able to escalate privileges: {names(list(grant.escalation))}"
    return message


# --- FG-IAM-010 ----------------------------------------------------------------------------------


class WildcardResourceWhereKnown(Rule):
    """## What it does
    Flags a statement that allows actions on every resource (`"*"`, or every resource of a type)
    while the functions holding it use those actions only on resources the template names: the
    code reaches its table, bucket or queue through an environment variable the template sets
    (`TABLE_NAME: !Ref OrdersTable`), or through a literal ARN. The message names the resources
    to scope to. Needs of every function holding the statement must be complete; on the
    statements it judges it replaces FG-IAM-002.

    ## Why is this bad?
    The function can touch every table or bucket of that kind in the account, while its code
    needs one. A bug or injected input then reaches data the function was never meant to see.

    ## Example
    ```yaml
    - Effect: Allow
      Action: dynamodb:PutItem
      Resource: "*"        # the code writes only to OrdersTable (TABLE_NAME)
    ```

    ## Use instead
    ```yaml
    - Effect: Allow
      Action: dynamodb:PutItem
      Resource: !GetAtt OrdersTable.Arn
    ```

    ## References
    - https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
    """

    meta = RuleMeta(
        id="FG-IAM-010",
        category=Category.OVER_PRIVILEGE,
        severity=Severity.MEDIUM,
        title="Wildcard resource where the code's resource is known",
        cwe=(732,),
        remediation={
            "sam": "Set `Resource` to the resources the code uses (`!GetAtt OrdersTable.Arn`, "
            '`!Sub "${Bucket.Arn}/*"`); `faasguard policy . --format sam` prints them.',
            "cloudformation": "Set `Resource` to the ARNs of the resources the code uses instead of `*`.",
            "serverless": "Set `Resource` to `Fn::GetAtt: [OrdersTable, Arn]` (or the ARN) of the resources "
            "the code uses.",
            "terraform": "Set `resources` to `aws_dynamodb_table.orders.arn` (or the ARNs) of the resources "
            "the code uses.",
        },
        since="0.2.0",
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for grant in audit(self.facts, app).broad:
            yield Violation(
                grant.where,
                _broad_message(grant) + (CAPPED if grant.capped else ""),
                resource=grant.resource,
                severity=_capped(self.meta.severity, grant.capped),
                related=tuple(
                    RelatedStep(call, f"{u.action} needed here") for u in grant.uses for call in u.calls[:3]
                ),
                extra={"actions": [u.action for u in grant.uses], "resources": list(grant.resources)},
                snippet=f"{grant.policy} {' '.join(u.action for u in grant.uses)}",
            )


def _broad_message(grant: BroadGrant) -> str:
    actions = [u.action for u in grant.uses]
    runtime = all(u.runtime for u in grant.uses)
    who = "the Lambda service uses" if runtime else "the code uses"
    pronoun = "it" if len(actions) == 1 else "them"
    return (
        f"{grant.label} is allowed {names(actions)} on every resource, while {who} {pronoun} only on "
        f"{names(list(grant.resources))}: scope Resource to {'it' if len(grant.resources) == 1 else 'them'}"
    )


# --- FG-IAM-011 ----------------------------------------------------------------------------------


class CalledButNotGranted(Rule):
    """## What it does
    Flags an AWS SDK call in a function's code whose IAM action the function's role does not
    allow: no statement or managed policy grants the action, none grants it on the resource the
    code uses (known from the environment variable the template sets), or an unconditional `Deny`
    removes it. Reported at the call, with the role in `related`. Roles whose grants cannot be
    read completely (an unresolved statement, a customer managed policy) are left alone, and so
    are grants through resource policies (a bucket or key policy naming the role).

    ## Why is this bad?
    The call fails at run time with `AccessDenied`: a bug that only shows in production, on the
    code path that makes the call. The usual "fix" under pressure is a wildcard.

    ## Example
    ```python
    table.delete_item(Key={"id": order_id})   # role allows only dynamodb:PutItem
    ```

    ## Use instead
    Grant the action on the resource:
    ```yaml
    - Effect: Allow
      Action: [dynamodb:PutItem, dynamodb:DeleteItem]
      Resource: !GetAtt OrdersTable.Arn
    ```

    ## References
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
    """

    meta = RuleMeta(
        id="FG-IAM-011",
        category=Category.CODE_QUALITY,
        severity=Severity.INFO,
        title="AWS call the function's role does not allow",
        cwe=(754,),
        remediation={
            "sam": "Add the action to the function's `Policies` on the resource it uses "
            "(`faasguard policy . --format sam`).",
            "cloudformation": "Add the action on the resource to the function role's policy.",
            "serverless": "Add the action on the resource to `provider.iam.role.statements`.",
            "terraform": "Add the action on the resource to the role's policy document.",
        },
        since="0.2.0",
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for miss in audit(self.facts, app).missing:
            need = miss.need
            first = need.calls[0]
            yield Violation(
                first,
                _missing_message(miss),
                resource=miss.function.id,
                related=(
                    RelatedStep(miss.role.source, f"role {miss.role.id} of {miss.function.id}"),
                    *(RelatedStep(c, f"also calls {need.action}") for c in need.calls[1:4]),
                ),
                extra={"action": need.action, "role": miss.role.id, "resources": list(miss.resources)},
                snippet=f"{miss.function.id} {need.action}",
            )


def _missing_message(miss: MissingGrant) -> str:
    need = miss.need
    role = f"its role {miss.role.id}" if not miss.role.implicit else "its execution role"
    head = f"{miss.function.id} calls {need.action}"
    if miss.denied:
        return f"{head}, which {role} denies: the call fails with AccessDenied"
    if miss.resources:
        return (
            f"{head} on {names(list(miss.resources))}, which {role} does not allow there: "
            "the call fails with AccessDenied"
        )
    return f"{head}, which {role} does not allow: the call fails with AccessDenied"
