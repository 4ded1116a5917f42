"""Attack paths: a public door, a flaw behind it, what the function's role can do, what that reaches.

Each rule reads the attack graph (faasguard.analysis.graph), computed once per scan from the
model and the code, dependency and IAM analyses. One finding per function and flaw family: the
best-ranked complete path (entry, function, flaw, capability, target), at the flaw; `related`
lists every hop in order with its location, and `extra.path` holds the hops as data (kind, id,
label, path, line) for reports that draw them. The other entries to the same flaw are listed in
`extra.entries`, the other grants it leads to in `extra.other_paths`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from faasguard.analysis.graph import AttackPath, attack_graph
from faasguard.findings import Category, Severity
from faasguard.model import Application
from faasguard.rules.base import RelatedStep, Rule, RuleMeta, Violation


def path_extra(path: AttackPath) -> dict[str, object]:
    """The structured path for reports: every hop, then the entries and what it reaches."""
    return {
        "path": [
            {"kind": h.kind, "id": h.id, "label": h.label, "path": h.source.path, "line": h.source.line}
            for h in path.hops
        ],
        "entries": list(path.entries),
        "targets": [h.label for h in path.targets],
        "flaw": path.family,
        "hops": len(path.hops),
        "wildcard_resource": path.star,
        **path.data,
    }


class _PathRule(Rule):
    kind: ClassVar[str]

    def check(self, app: Application) -> Iterator[Violation]:
        graph = attack_graph(self.facts, app)
        for path in graph.paths:
            if path.kind != self.kind:
                continue
            yield self._violation(path)

    def _violation(self, path: AttackPath) -> Violation:
        more = len(path.entries) - 1
        entry = path.entry.label + (f" (and {more} more entr{'ies' if more > 1 else 'y'})" if more else "")
        where = f"{path.flaw.source.path}:{path.flaw.source.line}"
        chain = [h for h in path.hops[3:] if h.kind == "function"]
        via = f", then through {', '.join(h.label for h in chain)}" if chain else ""
        # "X lets any principal invoke F" already names the function it reaches.
        door = (
            entry
            if path.entry.label.endswith(path.hops[1].label)
            else f"{entry} reaches {path.hops[1].label}"
        )
        message = f"{door}: {path.flaw.label} at {where}{via}; {path.capability.message}, so {path.summary}"
        others = path.data.get("other_paths")
        if isinstance(others, list) and others:
            n = len(others)
            grants = f"{n} more grants of its role reach" if n > 1 else "1 more grant of its role reaches"
            message += f" ({grants} further: extra.other_paths)"
        return Violation(
            path.flaw.source,
            message,
            resource=path.function,
            severity=Severity.CRITICAL if path.critical else Severity.HIGH,
            related=tuple(RelatedStep(h.source, h.message) for h in path.hops),
            extra=path_extra(path),
            snippet=" ".join(
                [path.function, self.meta.id, path.family, path.entry.id, *(h.id for h in path.hops[3:])]
            ),
        )


class InjectionAttackPath(_PathRule):
    """## What it does
    Flags a complete attack path through an event-injection flaw: a public door (a route with no
    authentication on a public API, a Function URL with AuthType NONE, a function any principal
    may invoke, a bucket / queue / topic anyone may write to that triggers the function), a flow
    from that door's event to a sink that gives the caller the function (command or code
    injection, unsafe deserialisation, path traversal or XXE reading its files, which hold the
    role's session credentials in `/proc/self/environ`), and what the function's role can do
    with it: administrator grants, privilege escalation (as FG-IAM-004 finds it), reading and
    writing the application's tables, buckets, queues, topics and secrets, invoking other
    functions. Functions the role can invoke, and queues / topics / buckets it can write that
    trigger other functions, are followed (up to three functions, no cycles) to those
    functions' own flaws and roles. Query injection (PartiQL, DynamoDB expressions, the RDS
    Data API) makes a path only to the tables or databases its role can reach.

    Critical when the path ends in administrator rights, privilege escalation, a write to a
    store of record (a table, bucket, database, secret, parameter) or a read of a secret; high
    otherwise. A target reached only through `Resource: "*"` says so. The finding sits at the
    sink; `related` lists every hop in order: entry, function, flaw, grant, targets.

    `extra` holds `path` (the hops: kind, id, label, path, line), `entries`, `targets`,
    `flaw` (the sink family), `hops`, `wildcard_resource`, `source`, `sink`, `confidence`.

    ## Why is this bad?
    Each link alone is a finding somewhere else; together they are a breach: anyone on the
    internet sends one request and ends up with the role's credentials and everything they
    reach. The path shows which link to cut first.

    ## Example
    ```yaml
    Events:
      Items: {Type: Api, Properties: {Path: /items, Method: get}}   # no authorizer
    Policies:
      - Statement: [{Effect: Allow, Action: "dynamodb:*", Resource: "*"}]
    ```
    ```python
    os.system("convert " + event["queryStringParameters"]["name"])
    ```

    ## Use instead
    Cut any link, best all three: put an authorizer on the route, pass arguments without a shell
    (`subprocess.run([...])`), and grant only the actions the code calls on the table it uses.

    ## References
    - https://owasp.org/www-project-serverless-top-10/
    - https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
    """

    kind = "injection"
    meta = RuleMeta(
        id="FG-PATH-001",
        category=Category.EVENT_INJECTION,
        severity=Severity.CRITICAL,
        title="Attack path: public entry, injection flaw, role capability",
        cwe=(78, 94, 269),
        remediation={
            "python": "Remove the injection (argument lists without a shell, no eval / pickle of "
            "request data, basename or resolved paths) and validate the event.",
            "javascript": "Remove the injection (execFile with an argument array, no eval, safe "
            "paths) and validate the event.",
            "sam": "Put an authorizer on the route (`Auth.Authorizer`) and narrow the function's "
            "`Policies` to the actions and resources it uses.",
            "cloudformation": "Set an `AuthorizationType` on the method and narrow the role's "
            "statements to named actions and ARNs.",
            "serverless": "Add `authorizer:` to the event and narrow `provider.iam.role.statements`.",
            "terraform": "Set `authorization` on the method / route and narrow the role's policy document.",
        },
        since="0.3.0",
    )


class DependencyAttackPath(_PathRule):
    """## What it does
    Flags a complete attack path through a vulnerable dependency: a public door to the function
    (as FG-PATH-001 defines them), a package the function ships and its handler loads (the
    dependency analysis' reachability says "yes") at a version an advisory rated high or
    critical affects, or a known malicious package, and what the function's role can do:
    administrator grants, privilege escalation, data stores it reads or writes, functions it
    invokes, followed as in FG-PATH-001. Needs vulnerability data (`--osv-db`, the cache
    database, `--online`, or the project's `.faasguard/advisories/`).

    High; critical only for a malicious package whose role ends in administrator rights,
    escalation or a write to a store of record (whether a given advisory is exploitable in this
    code cannot be said from here). The finding sits at the dependency's pin.

    `extra` holds `path`, `entries`, `targets`, `hops`, `wildcard_resource`, `package`,
    `version`, `advisory`, `malicious`.

    ## Why is this bad?
    A public exploit for a package the handler loads turns one request into code running with
    the role's credentials; the path shows what those credentials reach.

    ## Example
    ```text
    PyYAML==5.3          # loaded by a handler behind a public route, role with s3:* on "*"
    ```

    ## Use instead
    Upgrade the package, put an authorizer on the route, and scope the role to the buckets it uses.

    ## References
    - https://ossf.github.io/osv-schema/
    - https://owasp.org/www-project-serverless-top-10/
    """

    kind = "dependency"
    meta = RuleMeta(
        id="FG-PATH-002",
        category=Category.VULNERABLE_DEPENDENCY,
        severity=Severity.HIGH,
        title="Attack path: public entry, vulnerable dependency, role capability",
        cwe=(1395, 269),
        remediation={
            "sam": "Upgrade the package and rebuild; put an authorizer on the route; narrow the "
            "function's `Policies`.",
            "cloudformation": "Upgrade the package and rebuild; set an `AuthorizationType`; narrow the "
            "role's statements.",
            "serverless": "Upgrade the package; add `authorizer:`; narrow `provider.iam.role.statements`.",
            "terraform": "Upgrade the package and rebuild the zip; set `authorization`; narrow the "
            "policy document.",
        },
        since="0.3.0",
    )


class ForgedIdentityAttackPath(_PathRule):
    """## What it does
    Flags a complete attack path through broken authentication in the code: a public door to
    the function (as FG-PATH-001 defines them), a JWT it reads without verifying the signature
    (FG-AUTH-009) or an authorisation decision on a value the caller chooses (FG-AUTH-008), and
    the data stores its role can read or write. Only data access counts here: a forged identity
    makes the function do its own work for the wrong caller, it does not hand over the role.

    Critical when the role can write a store of record (a table, bucket, database, secret,
    parameter) or read a secret; high otherwise. The finding sits at the decode or the check.

    `extra` holds `path`, `entries`, `targets`, `flaw` (`jwt` or `authz`), `hops`,
    `wildcard_resource`.

    ## Why is this bad?
    Anyone writes themselves a token (or a request) saying they are an administrator or another
    user, and the function reads and changes that data for them.

    ## Example
    ```python
    claims = jwt.decode(token, options={"verify_signature": False})
    table.delete_item(Key={"id": claims["sub"]})
    ```

    ## Use instead
    Verify tokens (`jwt.decode(token, key, algorithms=[...])`), or put a JWT / Cognito
    authorizer on the route and read `requestContext.authorizer`; scope the role to what the
    function writes.

    ## References
    - https://cwe.mitre.org/data/definitions/347.html
    - https://owasp.org/Top10/A01_2021-Broken_Access_Control/
    """

    kind = "identity"
    meta = RuleMeta(
        id="FG-PATH-003",
        category=Category.BROKEN_AUTHENTICATION,
        severity=Severity.HIGH,
        title="Attack path: public entry, forged identity, data access",
        cwe=(347, 639),
        remediation={
            "python": "Verify the token's signature, issuer and audience; take roles from "
            "`requestContext.authorizer`, never from the request.",
            "javascript": "Use `jwt.verify` (or aws-jwt-verify); read roles from "
            "`event.requestContext.authorizer`.",
            "sam": "Add a JWT or Cognito authorizer to the route (`Auth.Authorizer`).",
            "cloudformation": "Set `AuthorizationType: JWT` or `COGNITO_USER_POOLS` on the route.",
            "serverless": "Add a `jwt` / Cognito `authorizer:` to the event.",
            "terraform": 'Set `authorization_type = "JWT"` with an authorizer on the route.',
        },
        since="0.3.0",
    )


class SecretExposureAttackPath(_PathRule):
    """## What it does
    Flags a complete attack path to a secret the function holds in plain text: a public door to
    the function (as FG-PATH-001 defines them), a flaw that gives the caller the function's
    process or files (command or code injection, unsafe deserialisation, path traversal, XXE),
    and the secrets in its environment variables (as FG-DATA-001 finds them) or its code (as
    FG-DATA-005 finds them), which that flaw reads. High; the finding sits at the sink and lists
    every secret it exposes.

    `extra` holds `path`, `entries`, `targets`, `flaw`, `hops`.

    ## Why is this bad?
    The secret leaves with the first exploit: a payment key, a database password, a token for a
    third party, usable from anywhere and long after the flaw is fixed.

    ## Example
    ```yaml
    Environment:
      Variables: {STRIPE_KEY: sk_live_...}       # and a command injection in the handler
    ```

    ## Use instead
    Keep the secret in Secrets Manager and read it at run time; fix the injection; rotate the
    exposed secret.

    ## References
    - https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
    - https://cwe.mitre.org/data/definitions/798.html
    """

    kind = "secret"
    meta = RuleMeta(
        id="FG-PATH-004",
        category=Category.EVENT_INJECTION,
        severity=Severity.HIGH,
        title="Attack path: public entry, injection flaw, plaintext secret",
        cwe=(78, 798),
        remediation={
            "python": "Fix the injection, read secrets at run time from Secrets Manager, rotate "
            "the exposed one.",
            "javascript": "Fix the injection, read secrets at run time from Secrets Manager, rotate "
            "the exposed one.",
            "sam": "Pass the secret's ARN in `Environment`, not its value.",
            "cloudformation": "Pass the secret's ARN in `Environment.Variables`, not its value.",
            "serverless": "Pass the secret's name, not its value; read it at run time.",
            "terraform": "Pass only the aws_secretsmanager_secret ARN to the function.",
        },
        since="0.3.0",
    )
