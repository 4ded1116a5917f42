"""Drift and shadow APIs: what a live account has that its IaC does not say, and the reverse.

These rules fire only in `faasguard audit --against PATH`: they read the comparison of the live
account with the IaC (`faasguard.audit.compare`), which the audit hands to the rules with the
per-scan facts. A scan of a repository alone cannot see a deployed account, so they are kept in
their own registry (`AuditRule.audit_registry`), out of `faasguard scan`'s rule set and its
fixtures; `faasguard audit --list-rules` lists them, `faasguard audit --explain ID` documents them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from faasguard.findings import Category, Severity
from faasguard.model import Application
from faasguard.rules.base import RelatedStep, Rule, RuleMeta, Violation

if TYPE_CHECKING:
    from faasguard.audit.compare import Difference


class AuditRule(Rule):
    """A rule over the audit's comparison; registered in `audit_registry`, not `Rule.registry`."""

    audit_registry: ClassVar[dict[str, type[AuditRule]]] = {}
    kinds: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        # Deliberately not Rule.__init_subclass__: these rules must not join the scan's registry.
        meta = cls.__dict__.get("meta")
        if meta is None:
            return
        known = AuditRule.audit_registry.get(meta.id)
        if meta.id in Rule.registry or (known is not None and known is not cls):
            raise ValueError(f"duplicate rule id {meta.id}: {cls.__name__}")
        AuditRule.audit_registry[meta.id] = cls

    def differences(self, app: Application) -> Sequence[Difference]:
        found: Mapping[str, Sequence[Difference]] = getattr(self.facts, "differences", {})
        return [d for d in found.get(app.root, ()) if d.kind in self.kinds]

    def check(self, app: Application) -> Iterator[Violation]:
        for diff in self.differences(app):
            related: tuple[RelatedStep, ...] = ()
            if diff.live is not None and diff.iac is not None:
                related = (RelatedStep(diff.iac, "where the IaC describes it"),)
            yield Violation(
                diff.where,
                diff.message,
                resource=diff.resource,
                severity=diff.severity,
                related=related,
                extra=dict(diff.extra),
                snippet=diff.snippet,
            )


def audit_rules() -> dict[str, type[AuditRule]]:
    return dict(sorted(AuditRule.audit_registry.items()))


_FIX_IAC = {
    "sam": "Describe it in the template (or delete it from the account) and deploy from the template.",
    "cloudformation": "Describe it in the template (or delete it from the account); prefer stack updates "
    "to console changes.",
    "serverless": "Describe it in serverless.yml (or delete it from the account) and deploy with "
    "`serverless deploy`.",
    "terraform": "Describe it in the configuration (or `terraform import` it), or delete it from the "
    "account.",
}


class DeployedOutsideIac(AuditRule):
    """## What it does
    Reports a function, API, route, Function URL or invoke permission that is deployed in the
    account but that no IaC under `--against PATH` describes. A shadow that anyone can call (a
    route without authentication, a Function URL with `AuthType: NONE`, a permission for any
    principal or another account) is high.

    ## Why is this bad?
    A shadow API was published outside the defined process: nobody reviewed it, no scan of the
    repository can see it, and it usually lacks the authorizer, throttling and logging the
    reviewed routes have. Console hot fixes and forgotten prototypes are how they appear.

    ## Example
    `GET /debug` added to the production API in the console, or a Function URL switched on to test
    a function, while the template knows neither.

    ## Use instead
    Describe the route in the template (with its authorizer) and deploy it from there, or delete
    it. Reviewing `faasguard audit --against .` in CI after every deployment keeps the account and
    the repository in step.

    ## References
    - https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html
    """

    kinds = ("shadow",)
    meta = RuleMeta(
        id="FG-DRIFT-001",
        category=Category.SHADOW_API,
        severity=Severity.MEDIUM,
        title="Deployed but described by no IaC",
        cwe=(1059,),
        remediation=_FIX_IAC,
    )


class DescribedNotDeployed(AuditRule):
    """## What it does
    Reports a function, API, route or Function URL that the template of a deployed stack
    describes but that the account does not have. Applications never deployed in the audited
    regions are not reported.

    ## Why is this bad?
    The documented API and the served one disagree: clients and reviews rely on a route that is
    not there, and the template no longer tells what is deployed (a failed or partial deployment,
    or a resource deleted by hand that the next deployment will bring back unreviewed).

    ## Example
    The template declares `DELETE /orders/{id}` but the deployed API has no such route.

    ## Use instead
    Deploy the template, or remove what is no longer wanted from it.

    ## References
    - https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
    """

    kinds = ("missing",)
    meta = RuleMeta(
        id="FG-DRIFT-002",
        category=Category.SHADOW_API,
        severity=Severity.LOW,
        title="Described in the IaC but not deployed",
        remediation={
            "sam": "Run `sam deploy`, or remove the resource from the template.",
            "cloudformation": "Update the stack, or remove the resource from the template.",
            "serverless": "Run `serverless deploy`, or remove the resource from serverless.yml.",
            "terraform": "Run `terraform apply`, or remove the resource from the configuration.",
        },
    )


class AuthorizationDrift(AuditRule):
    """## What it does
    Reports a deployed route whose authorization differs from the template (another type,
    another authorizer, no API key requirement), and a Function URL whose `AuthType` differs.
    High when the deployed door authenticates nobody while the template requires it.

    ## Why is this bad?
    The template is what was reviewed. A route switched to another authorizer, or to none, in the
    console opens the function to callers the review never considered.

    ## Example
    The template protects `GET /reports` with the JWT authorizer `OrdersJwt`; the deployed route
    uses a legacy Lambda authorizer.

    ## Use instead
    Redeploy the template (or change the template, get it reviewed, and deploy that).

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html
    """

    kinds = ("auth",)
    meta = RuleMeta(
        id="FG-DRIFT-003",
        category=Category.BROKEN_AUTHENTICATION,
        severity=Severity.MEDIUM,
        title="Authorization differs from the IaC",
        cwe=(306, 863),
        remediation=_FIX_IAC,
    )


class ConcurrencyDrift(AuditRule):
    """## What it does
    Reports a function whose reserved concurrency differs from the template: removed or raised
    (medium), lowered (low).

    ## Why is this bad?
    Reserved concurrency is the ceiling on what a flood can cost and on how much of the account's
    concurrency one function can take. Removed in the console, the ceiling the cost review relied
    on is gone.

    ## Example
    The template sets `ReservedConcurrentExecutions: 5`; the deployed function has none.

    ## Use instead
    Redeploy the template, or change it there.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
    """

    kinds = ("concurrency",)
    meta = RuleMeta(
        id="FG-DRIFT-004",
        category=Category.DENIAL_OF_WALLET,
        severity=Severity.MEDIUM,
        title="Reserved concurrency differs from the IaC",
        cwe=(770,),
        remediation=_FIX_IAC,
    )


class PermissionDrift(AuditRule):
    """## What it does
    Reports a function's execution role that grants more than the template: managed policies
    the template does not attach, actions no statement of the template allows, or a permissions
    boundary that is gone.

    ## Why is this bad?
    Grants added by hand are the classic way a function ends up with `AdministratorAccess`
    "just to make it work"; they are invisible to a review of the repository.

    ## Example
    `AmazonS3FullAccess` attached to the role in the console.

    ## Use instead
    Put the permission the function needs in the template, scoped to its resources, and deploy.

    ## References
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    """

    kinds = ("permissions",)
    meta = RuleMeta(
        id="FG-DRIFT-005",
        category=Category.OVER_PRIVILEGE,
        severity=Severity.HIGH,
        title="Role grants more than the IaC",
        cwe=(250, 732),
        remediation=_FIX_IAC,
    )


class PublicAccessDrift(AuditRule):
    """## What it does
    Reports a bucket that is open to everyone through its policy, or whose Block Public Access
    settings are off, while the template keeps it private.

    ## Why is this bad?
    Data exposed by a console change stays exposed until someone looks at the account, not the
    repository.

    ## Example
    `BlockPublicPolicy` switched off and a `Principal: "*"` statement added by hand.

    ## Use instead
    Redeploy the template; serve public content through CloudFront with origin access control.

    ## References
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
    """

    kinds = ("public",)
    meta = RuleMeta(
        id="FG-DRIFT-006",
        category=Category.SENSITIVE_DATA,
        severity=Severity.HIGH,
        title="Public access differs from the IaC",
        cwe=(732,),
        remediation=_FIX_IAC,
    )


__all__ = [
    "AuditRule",
    "AuthorizationDrift",
    "ConcurrencyDrift",
    "DeployedOutsideIac",
    "DescribedNotDeployed",
    "PermissionDrift",
    "PublicAccessDrift",
    "audit_rules",
]
