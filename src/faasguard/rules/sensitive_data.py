"""Sensitive data: secrets in plain text, stores open to everyone, stores without your own key."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from faasguard.findings import Category, Severity
from faasguard.model import Application, DataStore, SourceRef, Statement, StoreKind, Unknown
from faasguard.rules.base import RelatedStep, Rule, RuleMeta, Violation

# --- secret detection --------------------------------------------------------------------------

# Name tokens (after splitting on separators and camelCase) that say "this holds a secret".
_SECRET_TOKENS = frozenset(
    {
        "PASSWORD",
        "PASSWD",
        "PASS",
        "PWD",
        "PASSPHRASE",
        "SECRET",
        "SECRETS",
        "TOKEN",
        "APIKEY",
        "PRIVATEKEY",
        "CREDENTIAL",
        "CREDENTIALS",
        "CREDS",
    }
)
# Adjacent token pairs that name a key that is a secret.
_SECRET_PAIRS = frozenset(
    {
        ("API", "KEY"),
        ("PRIVATE", "KEY"),
        ("ACCESS", "KEY"),
        ("SECRET", "KEY"),
        ("AUTH", "KEY"),
        ("SIGNING", "KEY"),
        ("ENCRYPTION", "KEY"),
        ("MASTER", "KEY"),
        ("CLIENT", "SECRET"),
    }
)
# A name ending in one of these refers to a resource or a setting, not to the secret itself.
_REFERENCE_SUFFIXES = frozenset(
    {
        "ARN",
        "ARNS",
        "NAME",
        "NAMES",
        "ID",
        "IDS",
        "URL",
        "URI",
        "ENDPOINT",
        "HOST",
        "TABLE",
        "BUCKET",
        "QUEUE",
        "TOPIC",
        "STREAM",
        "PATH",
        "PARAM",
        "PARAMETER",
        "REGION",
        "LENGTH",
        "LEN",
        "TTL",
        "EXPIRY",
        "EXPIRATION",
        "EXPIRES",
        "TYPE",
        "HEADER",
        "FIELD",
        "PREFIX",
        "ENABLED",
        "FILE",
        "LOCATION",
        "ALIAS",
        "VERSION",
        "STAGE",
        "POLICY",
        "MODE",
        "TIMEOUT",
        "ISSUER",
        "AUDIENCE",
        "ROTATION",
        "KEY_ID",
        "PORT",
    }
)
# Tokens anywhere in a name that make it a pointer to a secret kept elsewhere.
_POINTER_TOKENS = frozenset({"ARN", "SSM", "PARAMETER", "PARAM"})
# Values that are obviously stand-ins, not secrets (matched on the lower-cased value).
_PLACEHOLDER_WORDS = (
    "changeme",
    "change_me",
    "change-me",
    "replace",
    "your",
    "example",
    "sample",
    "dummy",
    "placeholder",
    "todo",
    "xxxx",
    "****",
    "<",
    ">",
    "fake",
    "undefined",
    "insert",
    "enter_",
    "redacted",
)
# Known token shapes, recognised by value whatever the variable's name.
_TOKEN_SHAPES = (
    ("an AWS access key id", r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"),
    ("a private key", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    ("a GitHub token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})"),
    ("a Slack token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    (
        "a Slack webhook URL",
        r"https://hooks\.slack\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]{16,}",
    ),
    ("a Stripe secret key", r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{20,}"),
    ("a Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
    ("a SendGrid API key", r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b"),
    ("a JSON Web Token", r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
    ("a URL with a password", r"\b[a-z][a-z0-9+.-]*://[^\s:/@]+:(?P<secret>[^\s@/]+)@"),
)


@cache
def _token_shapes() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((what, re.compile(rx)) for what, rx in _TOKEN_SHAPES)


def name_tokens(name: str) -> list[str]:
    """'dbPassword' / 'DB_PASSWORD' / 'db-password' -> ['DB', 'PASSWORD']."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return [t for t in re.split(r"[^A-Za-z0-9]+", spaced.upper()) if t]


def secret_name(name: str) -> bool:
    """True when a variable's name says it holds a secret (not a pointer to one)."""
    tokens = name_tokens(name)
    if not tokens or any(t in _POINTER_TOKENS for t in tokens):
        return False
    if tokens[-1] in _REFERENCE_SUFFIXES or "_".join(tokens[-2:]) in _REFERENCE_SUFFIXES:
        return False
    if any(t in _SECRET_TOKENS for t in tokens):
        return True
    return any(pair in _SECRET_PAIRS for pair in itertools.pairwise(tokens))


def is_placeholder(value: str) -> bool:
    low = value.lower()
    if any(word in low for word in _PLACEHOLDER_WORDS) or "${" in value or "{{" in value:
        return True
    return len(set(value)) <= 2  # "aaaaaaaa", "00000000"


def _entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _char_classes(value: str) -> int:
    return sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
            any(not c.isalnum() for c in value),
        )
    )


_EMAIL = re.compile(r"[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def _name_like(value: str) -> bool:
    """'my-app-secret', 'prod/db/creds', 'orders.v2': words, not a random string."""
    parts = [p for p in re.split(r"[-_./:]+", value) if p]
    return all(p.isdigit() or (p.isalpha() and (p.islower() or p.isupper() or p.istitle())) for p in parts)


def looks_like_secret(value: str) -> bool:
    """A literal that could be a password or key: long enough, varied, not a name, path or ARN."""
    v = value.strip()
    if len(v) < 8 or any(c.isspace() for c in v) or is_placeholder(v):
        return False
    if v.startswith(("arn:", "/", "http://", "https://")) or _EMAIL.fullmatch(v) or _name_like(v):
        return False
    if v.lower() in ("true", "false", "none", "null"):
        return False
    entropy = _entropy(v)
    return (entropy >= 3.0 and _char_classes(v) >= 2) or (len(v) >= 20 and entropy >= 3.5)


def token_shape(value: str) -> str | None:
    """The kind of well-known credential a value contains, if any."""
    for what, pattern in _token_shapes():
        m = pattern.search(value)
        if m is None:
            continue
        secret = m.groupdict().get("secret") or m.group(0)
        if not is_placeholder(secret) and "EXAMPLE" not in m.group(0):
            return what
    return None


# JSON keys of a database secret that are not themselves secret (RDS secret structure).
_PLAIN_SECRET_FIELDS = frozenset(
    {"username", "user", "host", "port", "dbname", "engine", "dbinstanceidentifier", "dbclusteridentifier"}
)


def _resolves_secret_field(value: str) -> bool:
    """`{{resolve:secretsmanager:id:SecretString:json-key:...}}`: False for a username, host, port."""
    for m in re.finditer(r"\{\{resolve:secretsmanager:(.*?)\}\}", value):
        parts = m.group(1).split(":SecretString:", 1)
        field = parts[1].split(":", 1)[0] if len(parts) == 2 else ""
        if field.lower() not in _PLAIN_SECRET_FIELDS:
            return True
    return False


# Resource attributes that are secrets: a `!GetAtt` of one in Environment copies the secret into
# the function's configuration. (attribute, what it is, severity)
_SECRET_ATTRIBUTES = {
    ("AWS::IAM::AccessKey", "SecretAccessKey"): ("the secret access key of IAM access key", Severity.HIGH),
    ("AWS::Cognito::UserPoolClient", "ClientSecret"): ("the client secret of app client", Severity.LOW),
}


def _secret_attribute(value: str, types: Mapping[str, str]) -> tuple[str, Severity] | None:
    m = re.fullmatch(r"\$\{([A-Za-z0-9]+)\.([A-Za-z]+)\}", value)
    found = _SECRET_ATTRIBUTES.get((types.get(m.group(1), ""), m.group(2))) if m else None
    if m is None or found is None:
        return None
    return f"{found[0]} {m.group(1)}", found[1]


# --- helpers -----------------------------------------------------------------------------------

_STORE_WORDS = {
    StoreKind.S3: "S3 bucket",
    StoreKind.DYNAMODB: "DynamoDB table",
    StoreKind.SQS: "SQS queue",
    StoreKind.SNS: "SNS topic",
    StoreKind.SECRET: "Secrets Manager secret",
    StoreKind.KINESIS: "Kinesis stream",
}


@dataclass(frozen=True, slots=True)
class _EnvUse:
    source: SourceRef
    name: str
    value: object
    functions: tuple[str, ...]


def _env_uses(app: Application) -> list[_EnvUse]:
    """Environment variables by where they are written: a Globals entry is one place, many functions."""
    by_place: dict[tuple[SourceRef, str], tuple[object, list[str]]] = {}
    for fn in app.functions:
        for var in fn.environment:
            entry = by_place.setdefault((var.source, var.name), (var.value, []))
            entry[1].append(fn.id)
    return [_EnvUse(src, name, value, tuple(fns)) for (src, name), (value, fns) in by_place.items()]


def _whose(functions: tuple[str, ...]) -> str:
    if len(functions) == 1:
        return functions[0]
    more = len(functions) - 1
    return f"{functions[0]} (and {more} more function{'s' if more > 1 else ''})"


def _noecho_defaults(app: Application) -> tuple[tuple[str, SourceRef], ...]:
    # Newer models record NoEcho parameters that carry a Default; older ones cannot tell.
    found = getattr(app, "noecho_defaults", ())
    return tuple(found) if isinstance(found, tuple) else ()


class PlaintextSecret(Rule):
    """## What it does
    Flags secrets written in plain text into the application's definition:

    - an environment variable whose value is a well-known credential shape, whatever its name
      (AWS access key ids, private key blocks, GitHub, Slack, Stripe, Google and SendGrid keys,
      JSON Web Tokens, URLs with a password in them);
    - an environment variable whose name says it holds a secret (`PASSWORD`, `SECRET`, `TOKEN`,
      `API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`, `CLIENT_SECRET`, ...) and whose literal value
      looks like one (long enough, varied characters, not a name, path, ARN or placeholder).
      Names that point at a secret kept elsewhere (`*_ARN`, `*_NAME`, `*_ID`, `*_URL`,
      `*_TABLE`, `*_PARAM`, ...) are not flagged;
    - a `NoEcho` parameter with a `Default` (the value is committed with the template), when
      the loader records it;
    - a secret attribute of another resource copied into `Environment` with `!GetAtt`: an IAM
      access key's `SecretAccessKey` (high), a Cognito app client's `ClientSecret` (low);
    - (low) a `{{resolve:secretsmanager:...}}` dynamic reference in `Environment`: CloudFormation
      resolves it at deploy time and the secret then sits readable in the function's
      configuration (a username, host or port field of a database secret is not flagged).

    Values resolved from parameter defaults count as literals. Values that stay references
    (`!Ref`, `!GetAtt`, `${...}`) or could not be resolved are never reported. The secret itself
    is never repeated in the message.

    ## Why is this bad?
    Everyone who can read the repository, the template, the CloudFormation stack or the
    function's configuration (`lambda:GetFunctionConfiguration`) can read the secret, and it
    cannot be rotated without a redeploy.

    ## Example
    ```yaml
    Environment:
      Variables:
        DB_PASSWORD: Sup3rS3cret!2024
    ```

    ## Use instead
    ```yaml
    Environment:
      Variables:
        DB_SECRET_ARN: !Ref DbSecret   # read it at run time with the Secrets Manager SDK
    ```

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
    - https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
    """

    meta = RuleMeta(
        id="FG-DATA-001",
        category=Category.SENSITIVE_DATA,
        severity=Severity.HIGH,
        title="Plaintext secret in the application definition",
        cwe=(798, 312),
        remediation={
            "sam": "Keep the secret in Secrets Manager or SSM SecureString, pass its ARN or name in "
            "`Environment`, and read it at run time (or use the Parameters and Secrets extension).",
            "cloudformation": "Keep the secret in Secrets Manager; pass its ARN in `Environment.Variables` "
            "and read it at run time. Never give a NoEcho parameter a Default.",
            "serverless": "Reference the secret's name (`${ssm:...}` only for non-secret values) and read "
            "it at run time from Secrets Manager.",
            "terraform": "Keep the secret in aws_secretsmanager_secret and pass only its ARN to the "
            "function.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        noecho = self._noecho(app)
        reported = {value for value, _ in noecho}
        for use in _env_uses(app):
            if isinstance(use.value, str) and use.value in reported:
                continue  # reported once, where the default is written
            violation = self._env_violation(use, app.resource_types)
            if violation is not None:
                yield violation
        yield from (violation for _, violation in noecho)

    def _noecho(self, app: Application) -> list[tuple[str, Violation]]:
        """Findings for NoEcho parameters with a Default, with the default's value."""
        out: list[tuple[str, Violation]] = []
        for name, where in _noecho_defaults(app):
            value = app.parameters.get(name)
            if not isinstance(value, str) or is_placeholder(value) or len(value) < 4:
                continue
            uses = tuple(
                RelatedStep(u.source, f"used in {u.name} of {_whose(u.functions)}")
                for u in _env_uses(app)
                if u.value == value
            )
            violation = Violation(
                where,
                f"NoEcho parameter {name} has a Default: the secret is committed in plain text with "
                "the template",
                resource=name,
                related=uses,
                snippet=f"noecho {name}",
            )
            out.append((value, violation))
        return out

    def _env_violation(self, use: _EnvUse, types: Mapping[str, str]) -> Violation | None:
        value = use.value
        if not isinstance(value, str):
            return None
        whose = _whose(use.functions)
        if "{{resolve:secretsmanager:" in value:
            if not _resolves_secret_field(value):
                return None
            return Violation(
                use.source,
                f"Environment variable {use.name} of {whose} resolves a Secrets Manager secret at "
                "deploy time: the secret ends up readable in the function's configuration",
                resource=use.functions[0],
                severity=Severity.LOW,
                snippet=f"{use.name} resolve",
            )
        if "{{resolve:" in value:
            return None
        attribute = _secret_attribute(value, types)
        if attribute is not None:
            return Violation(
                use.source,
                f"Environment variable {use.name} of {whose} holds {attribute[0]}: the secret ends up "
                "readable in the function's configuration",
                resource=use.functions[0],
                severity=attribute[1],
                snippet=f"{use.name} attribute",
            )
        shape = token_shape(value)
        if shape is None and secret_name(use.name) and looks_like_secret(value):
            shape = "a secret-looking literal value"
        if shape is None:
            return None
        return Violation(
            use.source,
            f"Environment variable {use.name} of {whose} holds {shape} in plain text",
            resource=use.functions[0],
            snippet=f"{use.name} literal",
        )


# --- public stores -----------------------------------------------------------------------------

_RESTRICTING_KEYS = frozenset(
    {
        "aws:sourcearn",
        "aws:sourceaccount",
        "aws:sourceowner",
        "aws:sourcevpce",
        "aws:sourcevpc",
        "aws:sourceip",
        "aws:vpcsourceip",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principalservicename",
        "aws:userid",
        "s3:dataaccesspointaccount",
        "s3:dataaccesspointarn",
    }
)
_PUBLIC_ACLS = {
    "PublicRead": "PublicRead (anyone can list and read)",
    "PublicReadWrite": "PublicReadWrite (anyone can read and write)",
    "AuthenticatedRead": "AuthenticatedRead (any AWS account can read)",
}
_READ_ONLY = frozenset({"s3:getobject", "s3:getobjectversion"})


def open_to_everyone(st: Statement) -> bool:
    """An Allow to principal "*" with no condition that narrows who the caller can be."""
    if st.effect != "Allow" or st.unresolved or st.principals is None:
        return False
    everyone = any(
        key in ("*", "AWS") and any(v == "*" for v in values) for key, values in st.principals.items()
    )
    if not everyone:
        return False
    for operator, body in st.conditions.items():
        op = operator.lower()
        if op.endswith("ifexists") or op == "null":
            continue  # passes when the key is absent: narrows nothing for anonymous callers
        if any(str(k).lower() in _RESTRICTING_KEYS for k in body):
            return False
    return True


def _blocks(store: DataStore, *flags: str) -> bool:
    block = store.public_access_block or {}
    return any(block.get(flag) is True for flag in flags)


def _website(store: DataStore) -> bool:
    return store.kind is StoreKind.S3 and "WebsiteConfiguration" in store.props


def _read_only(st: Statement) -> bool:
    return bool(st.actions) and all(isinstance(a, str) and a.lower() in _READ_ONLY for a in st.actions)


class PublicStore(Rule):
    """## What it does
    Flags S3 buckets, SQS queues and SNS topics that anyone on the internet can use:

    - a resource policy statement that allows `Principal: "*"` (or `{"AWS": "*"}`) with no
      condition restricting the caller (`aws:SourceArn`, `aws:SourceAccount`, `aws:SourceVpce`,
      `aws:SourceIp`, `aws:PrincipalOrgID`, `aws:PrincipalAccount`, ...; `...IfExists` and
      `Null` conditions do not restrict);
    - a public canned ACL on a bucket (`PublicRead`, `PublicReadWrite`, `AuthenticatedRead`).

    A bucket whose Block Public Access settings would neutralise the grant (BlockPublicPolicy or
    RestrictPublicBuckets for policies, BlockPublicAcls or IgnorePublicAcls for ACLs) is not
    flagged. A website bucket that only allows public reads is reported at medium severity.

    ## Why is this bad?
    Anyone can read (or write, or send to) the store: data leaks, poisoned objects, messages
    injected into the queue or topic that triggers your functions.

    ## Example
    ```yaml
    Statement:
      - Effect: Allow
        Principal: "*"
        Action: s3:GetObject
        Resource: !Sub ${Bucket.Arn}/*
    ```

    ## Use instead
    Serve public content through CloudFront with origin access control, and allow only that
    distribution (`Condition: {StringEquals: {AWS:SourceArn: <distribution ARN>}}`).

    ## References
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
    """

    meta = RuleMeta(
        id="FG-DATA-002",
        category=Category.SENSITIVE_DATA,
        severity=Severity.HIGH,
        title="Store open to everyone",
        cwe=(732, 284),
        remediation={
            "sam": "Restrict the policy's Principal, or add a Condition on aws:SourceArn / "
            "aws:SourceAccount / aws:PrincipalOrgID; drop public AccessControl.",
            "cloudformation": "Restrict the Principal of the BucketPolicy / QueuePolicy / TopicPolicy, or "
            "add a restricting Condition; remove public `AccessControl`.",
            "serverless": "Fix the policy under `resources:`; remove public `AccessControl`.",
            "terraform": "Restrict the principal in aws_s3_bucket_policy / aws_sqs_queue_policy / "
            "aws_sns_topic_policy; drop public aws_s3_bucket_acl.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for store in app.stores:
            if store.kind not in (StoreKind.S3, StoreKind.SQS, StoreKind.SNS):
                continue
            yield from self._policy(store)
            acl = self._acl(store)
            if acl is not None:
                yield acl

    def _policy(self, store: DataStore) -> Iterator[Violation]:
        if store.policy is None or _blocks(store, "BlockPublicPolicy", "RestrictPublicBuckets"):
            return
        for st in store.policy.statements:
            if not open_to_everyone(st):
                continue
            actions = ", ".join(a for a in st.actions if isinstance(a, str)) or "every action"
            website = _website(store) and _read_only(st)
            note = " (a website bucket: keep only public content in it)" if website else ""
            yield Violation(
                st.loc("Principal"),
                f"{_STORE_WORDS[store.kind]} {store.id} allows {actions} to everyone, with no condition "
                f"on the caller{note}",
                resource=store.id,
                severity=Severity.MEDIUM if website else None,
                snippet=f"{store.id} {st.sid or ''} public",
            )

    def _acl(self, store: DataStore) -> Violation | None:
        if not isinstance(store.acl, str) or store.acl not in _PUBLIC_ACLS:
            return None
        if _blocks(store, "BlockPublicAcls", "IgnorePublicAcls"):
            return None
        website = _website(store) and store.acl == "PublicRead"
        return Violation(
            store.loc("AccessControl"),
            f"S3 bucket {store.id} has the canned ACL {_PUBLIC_ACLS[store.acl]}",
            resource=store.id,
            severity=Severity.MEDIUM if website else None,
            snippet=f"{store.id} acl",
        )


class PublicAccessBlockOff(Rule):
    """## What it does
    Flags an S3 bucket whose `PublicAccessBlockConfiguration` explicitly turns a flag off
    (`BlockPublicAcls`, `BlockPublicPolicy`, `IgnorePublicAcls` or `RestrictPublicBuckets` set
    to false). A bucket without the block is not flagged: new buckets get all four flags on.
    One finding per bucket, at the first flag turned off.

    ## Why is this bad?
    Block Public Access is the guard that stops a later policy or ACL change from exposing the
    bucket. Turning it off means one careless statement makes the data public.

    ## Example
    ```yaml
    PublicAccessBlockConfiguration:
      BlockPublicPolicy: false
    ```

    ## Use instead
    ```yaml
    PublicAccessBlockConfiguration:
      BlockPublicAcls: true
      BlockPublicPolicy: true
      IgnorePublicAcls: true
      RestrictPublicBuckets: true
    ```

    ## References
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
    """

    meta = RuleMeta(
        id="FG-DATA-003",
        category=Category.SENSITIVE_DATA,
        severity=Severity.MEDIUM,
        title="S3 Block Public Access turned off",
        cwe=(732,),
        remediation={
            "sam": "Set all four `PublicAccessBlockConfiguration` flags to true (serve public content "
            "through CloudFront).",
            "cloudformation": "Set all four `PublicAccessBlockConfiguration` flags to true.",
            "serverless": "Set all four `PublicAccessBlockConfiguration` flags to true under `resources:`.",
            "terraform": "Set all four flags to true in aws_s3_bucket_public_access_block.",
        },
    )

    _FLAGS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")

    def check(self, app: Application) -> Iterator[Violation]:
        for store in app.stores:
            block = store.public_access_block
            if store.kind is not StoreKind.S3 or block is None:
                continue
            off = [flag for flag in self._FLAGS if block.get(flag) is False]
            if not off:
                continue
            places = [store.loc("PublicAccessBlockConfiguration." + flag) for flag in off]
            first = min(places, key=lambda p: p.line)
            last = max(p.end_line or p.line for p in places)
            yield Violation(
                SourceRef(first.path, first.line, max(last, first.line)),
                f"S3 bucket {store.id} turns off Block Public Access: {', '.join(off)} set to false",
                resource=store.id,
                snippet=f"{store.id} block public access",
            )


# --- customer-managed keys ---------------------------------------------------------------------

_ENCRYPTION_PROPS: Mapping[StoreKind, tuple[str, ...]] = {
    StoreKind.S3: ("BucketEncryption",),
    StoreKind.DYNAMODB: ("SSESpecification",),
    StoreKind.SQS: ("KmsMasterKeyId", "SqsManagedSseEnabled"),
    StoreKind.SNS: ("KmsMasterKeyId",),
    StoreKind.SECRET: ("KmsKeyId",),
    StoreKind.KINESIS: ("StreamEncryption",),
}
_DEFAULT_ENCRYPTION = {
    StoreKind.S3: "is encrypted with an S3-managed or AWS-managed key",
    StoreKind.DYNAMODB: "is encrypted with an AWS-owned or AWS-managed key",
    StoreKind.SQS: "uses at most SQS-owned (SSE-SQS) or AWS-managed encryption",
    StoreKind.SNS: "is not encrypted with a KMS key (SNS keeps messages on encrypted disks only)",
    StoreKind.SECRET: "is encrypted with the AWS-managed key aws/secretsmanager",
    StoreKind.KINESIS: "is encrypted with the AWS-managed key aws/kinesis",
}


def aws_managed_key(key: str) -> bool:
    """'alias/aws/sqs', 'aws/dynamodb', '...:alias/aws/s3': a key AWS manages for you."""
    return re.search(r"(?:^|[:/])(?:alias/)?aws/[a-z0-9-]+$", key) is not None or key.startswith("aws/")


class StoreWithoutCustomerKey(Rule):
    """## What it does
    Flags stores that commonly hold sensitive data (Secrets Manager secrets, DynamoDB tables,
    SQS queues, SNS topics, Kinesis streams, S3 buckets) that are not encrypted with a
    customer-managed KMS key. There is no rule for "not encrypted at rest": AWS encrypts
    these by default, with an AWS-owned or AWS-managed key. The exception is a Kinesis stream
    without `StreamEncryption`, which stores records unencrypted: that case is medium.

    ## Why is this bad?
    With an AWS-owned or AWS-managed key, anyone the store's own policies let in can read the
    data. A customer-managed key adds a second, independent control (the key policy), lets you
    audit every decryption in CloudTrail, and lets you revoke access by disabling the key.

    ## Example
    ```yaml
    Table:
      Type: AWS::DynamoDB::Table
      Properties: {BillingMode: PAY_PER_REQUEST}
    ```

    ## Use instead
    ```yaml
    Table:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: !Ref TableKey}
    ```

    ## References
    - https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt
    - https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html
    """

    meta = RuleMeta(
        id="FG-DATA-004",
        category=Category.SENSITIVE_DATA,
        severity=Severity.LOW,
        title="Sensitive store without a customer-managed key",
        cwe=(311,),
        remediation={
            "sam": "Create an AWS::KMS::Key and set it on the store (SSESpecification.KMSMasterKeyId, "
            "KmsMasterKeyId, KmsKeyId, StreamEncryption.KeyId, BucketEncryption KMSMasterKeyID).",
            "cloudformation": "Create an AWS::KMS::Key and set it as the store's encryption key.",
            "serverless": "Create an AWS::KMS::Key under `resources:` and set it on the store.",
            "terraform": "Create aws_kms_key and set it as the store's kms key.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for store in app.stores:
            if store.kind not in _DEFAULT_ENCRYPTION or isinstance(store.kms_key, Unknown):
                continue
            if isinstance(store.kms_key, str) and not aws_managed_key(store.kms_key):
                continue
            where = store.loc(*_ENCRYPTION_PROPS[store.kind])
            words = _STORE_WORDS[store.kind]
            if store.kind is StoreKind.KINESIS and "StreamEncryption" not in store.props:
                yield Violation(
                    where,
                    f"{words} {store.id} has no server-side encryption: records are stored "
                    "unencrypted; set StreamEncryption with a customer-managed key",
                    resource=store.id,
                    severity=Severity.MEDIUM,
                    snippet=f"{store.id} kms",
                )
                continue
            yield Violation(
                where,
                f"{words} {store.id} {_DEFAULT_ENCRYPTION[store.kind]}; a customer-managed key "
                "gives you control of access and audit",
                resource=store.id,
                snippet=f"{store.id} kms",
            )


__all__ = [
    "PlaintextSecret",
    "PublicAccessBlockOff",
    "PublicStore",
    "StoreWithoutCustomerKey",
    "looks_like_secret",
    "secret_name",
    "token_shape",
]
