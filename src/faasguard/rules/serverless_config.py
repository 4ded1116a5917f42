"""Serverless Framework settings that do not do what they say.

Category: code-quality. The statements of FG-IAM-008 grant nothing (the Framework drops them), so
nothing is over-privileged *by* them; what is wrong is the configuration itself: the function runs
without the rights its configuration lists (the "actions the code calls that its role lacks" case
of CATEGORIES.md), or with the shared role's rights while its author believes a least-privilege
role exists. The fix a reader reaches for first is in the configuration: list the plugin, or move
the statements.
"""

from __future__ import annotations

from collections.abc import Iterator

from faasguard.findings import Category, Severity
from faasguard.model import Application, Function, Policy
from faasguard.rules.base import Rule, RuleMeta, Violation
from faasguard.rules.logging_monitoring import fn_label


class IgnoredFunctionIamStatements(Rule):
    """## What it does
    Flags a Serverless Framework function that sets `iamRoleStatements` (or
    `iamRoleStatementsInherit` / `iamRoleStatementsName`) while the
    `serverless-iam-roles-per-function` plugin is not listed in `plugins:`. The Framework itself
    has no per-function roles: without the plugin these keys are ignored, silently, and the
    function runs with the service's shared execution role (or the role named by `role:`).

    ## Why is this bad?
    The configuration reads as least privilege but is not: the statements grant nothing, so the
    function lacks the rights it lists and fails at run time (and someone then widens the shared
    role), while it receives every right the shared role gives to the other functions. Reviews and
    audits of the file draw the wrong conclusion about who can do what.

    ## Example
    ```yaml
    functions:
      reader:
        handler: handler.read
        iamRoleStatements:
          - Effect: Allow
            Action: dynamodb:GetItem
            Resource: !GetAtt Table.Arn
    ```

    ## Use instead
    ```yaml
    plugins:
      - serverless-iam-roles-per-function
    functions:
      reader:
        handler: handler.read
        iamRoleStatements:
          - Effect: Allow
            Action: dynamodb:GetItem
            Resource: !GetAtt Table.Arn
    ```
    or move the statements to `provider.iam.role.statements` if every function may have them.

    ## References
    - https://www.serverless.com/framework/docs/providers/aws/guide/iam
    - https://github.com/functionalone/serverless-iam-roles-per-function
    """

    meta = RuleMeta(
        id="FG-IAM-008",
        category=Category.CODE_QUALITY,
        severity=Severity.MEDIUM,
        title="Per-function IAM statements ignored by the Serverless Framework",
        cwe=(1068,),
        remediation={
            "serverless": "Add `serverless-iam-roles-per-function` to `plugins:` (then each function with "
            "`iamRoleStatements` gets its own role), or move the statements to "
            "`provider.iam.role.statements`.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for fn in app.functions:
            for policy in fn.ignored_policies:
                yield Violation(
                    policy.source,
                    f"{fn_label(fn)} sets {_what(policy)} that the Serverless Framework ignores without the "
                    f"serverless-iam-roles-per-function plugin: it runs with {_role_words(fn)}",
                    resource=fn.id,
                    snippet=f"{fn.id} ignored {policy.name}",
                )


def _what(policy: Policy) -> str:
    """What the function sets: its statements, or only the key that asks for a role of its own."""
    if policy.unresolved:
        return f"{policy.name} (an unresolved list of IAM statements)"
    count = len(policy.statements)
    if count:
        return f"{count} IAM statement{'s' if count != 1 else ''} in {policy.name}"
    if policy.name == "iamRoleStatements":
        return "an empty iamRoleStatements (a role with no extra rights)"
    return policy.name


def _role_words(fn: Function) -> str:
    if isinstance(fn.role, str):
        return f"role {fn.role} instead"
    if fn.role is None:
        return "no role of the service instead"
    return "a role defined outside the configuration instead"


__all__ = ["IgnoredFunctionIamStatements"]
