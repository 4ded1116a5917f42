"""Insecure transport: data that may cross the network without TLS, or with weak TLS."""

from __future__ import annotations

import re
from collections.abc import Iterator

from faasguard.findings import Category, Severity
from faasguard.model import (
    ApiKind,
    Application,
    CustomDomain,
    Function,
    Policy,
    SourceRef,
    StoreKind,
    Unknown,
)
from faasguard.rules.base import Rule, RuleMeta, Violation
from faasguard.rules.logging_monitoring import names


def _is_false(value: object) -> bool | None:
    """True for a policy condition value meaning false; None when it could not be resolved."""
    if isinstance(value, Unknown):
        return None
    if isinstance(value, bool):
        return value is False
    if isinstance(value, str):
        return value.strip().lower() == "false"
    if isinstance(value, list):
        results = [_is_false(v) for v in value]
        return True if any(results) else (None if None in results else False)
    return None


def denies_plain_http(policy: Policy) -> bool | None:
    """True when a Deny statement matches aws:SecureTransport false; None when it can't be told."""
    if policy.unresolved:
        return None
    undecided = False
    for st in policy.statements:
        if st.unresolved:
            undecided = True
            continue
        if st.effect != "Deny":
            continue
        for op, body in st.conditions.items():
            if op.lower() not in ("bool", "boolifexists"):
                continue
            for key, value in body.items():
                if key.lower() != "aws:securetransport":
                    continue
                verdict = _is_false(value)
                if verdict:
                    return True
                undecided = undecided or verdict is None
    return None if undecided else False


def _unattached_bucket_policies(app: Application) -> bool:
    """True when a bucket policy of the template is linked to no bucket of the model."""
    declared = {rid for rid, rtype in app.resource_types.items() if rtype == "AWS::S3::BucketPolicy"}
    attached = {s.policy.name for s in app.stores if s.kind is StoreKind.S3 and s.policy is not None}
    return bool(declared - attached)


class BucketWithoutSecureTransport(Rule):
    """## What it does
    Flags an S3 bucket whose bucket policy has no `Deny` statement with the condition
    `Bool: {aws:SecureTransport: false}` (or that has no bucket policy). Website buckets (their
    endpoint speaks only HTTP) are left out, and so are buckets whose policy can't be resolved.

    ## Why is this bad?
    S3 accepts plain-HTTP requests unless the bucket policy refuses them. A client or SDK
    configured with an `http://` endpoint then sends objects, and the signed requests that
    authorize them, in clear text that anyone on the path can read or replay.

    ## Example
    ```yaml
    Uploads:
      Type: AWS::S3::Bucket
    ```

    ## Use instead
    ```yaml
    UploadsPolicy:
      Type: AWS::S3::BucketPolicy
      Properties:
        Bucket: !Ref Uploads
        PolicyDocument:
          Statement:
            - Effect: Deny
              Principal: '*'
              Action: 's3:*'
              Resource: [!GetAtt Uploads.Arn, !Sub '${Uploads.Arn}/*']
              Condition: {Bool: {'aws:SecureTransport': 'false'}}
    ```

    ## References
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
    - https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule
    """

    meta = RuleMeta(
        id="FG-TLS-001",
        category=Category.INSECURE_TRANSPORT,
        severity=Severity.MEDIUM,
        title="S3 bucket without an aws:SecureTransport deny",
        cwe=(319,),
        remediation={
            "sam": "Add an AWS::S3::BucketPolicy statement: Effect Deny, Principal '*', Action 's3:*', "
            "Condition `Bool: {aws:SecureTransport: false}`.",
            "cloudformation": "Add an AWS::S3::BucketPolicy statement denying `s3:*` when "
            "`aws:SecureTransport` is false (CDK: `enforceSSL: true`).",
            "serverless": "Declare the bucket policy with the SecureTransport deny under `resources`.",
            "terraform": "Add the SecureTransport deny statement to aws_s3_bucket_policy.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        unattached = _unattached_bucket_policies(app)
        for store in app.stores:
            if store.kind is not StoreKind.S3 or "WebsiteConfiguration" in store.props:
                continue
            if store.policy is None:
                if not unattached:
                    yield Violation(
                        store.source,
                        f"Bucket {store.id} has no bucket policy denying requests without TLS "
                        "(aws:SecureTransport false): it accepts plain HTTP",
                        store.id,
                    )
            elif denies_plain_http(store.policy) is False:
                yield Violation(
                    store.policy.source,
                    f"The bucket policy of {store.id} has no Deny on aws:SecureTransport false: "
                    "the bucket accepts plain HTTP",
                    store.id,
                )


def domain_label(domain: CustomDomain, app: Application) -> str:
    """The domain name for a message; its resource (or the mapping naming it) when unresolved."""
    name = domain.name
    if isinstance(name, str) and name and "${" not in name:
        return name
    if app.resource_types.get(domain.id, "").endswith("Mapping"):
        return f"(named in {domain.id})"
    return domain.id


# Domain resources the model knows the API family of; other ids are mappings to outside domains.
_REST_DOMAIN_TYPES = ("AWS::ApiGateway::DomainName",)
_V2_DOMAIN_TYPES = ("AWS::ApiGatewayV2::DomainName",)


class DomainAllowsOldTls(Rule):
    """## What it does
    Flags an API Gateway custom domain that accepts TLS below 1.2: `SecurityPolicy: TLS_1_0`,
    or a REST API custom domain (`AWS::ApiGateway::DomainName`, SAM `Api.Domain`) with no
    `SecurityPolicy`, which API Gateway then creates with the TLS 1.0 policy. HTTP API domains
    support only TLS 1.2 and are flagged only when TLS_1_0 is set explicitly. Domains defined
    outside the template (a mapping to a domain name string) are skipped.

    ## Why is this bad?
    TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on weak hash constructions and cipher
    suites and are open to downgrade attacks. Compliance baselines (PCI DSS, NIST SP 800-52)
    require TLS 1.2 or later.

    ## Example
    ```yaml
    Domain:
      Type: AWS::ApiGateway::DomainName
      Properties:
        DomainName: api.example.com
        RegionalCertificateArn: !Ref Cert
    ```

    ## Use instead
    ```yaml
    Domain:
      Type: AWS::ApiGateway::DomainName
      Properties:
        DomainName: api.example.com
        RegionalCertificateArn: !Ref Cert
        SecurityPolicy: TLS_1_2
    ```

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html
    - https://www.rfc-editor.org/rfc/rfc8996
    """

    meta = RuleMeta(
        id="FG-TLS-002",
        category=Category.INSECURE_TRANSPORT,
        severity=Severity.HIGH,
        title="Custom domain allows TLS below 1.2",
        cwe=(326,),
        remediation={
            "sam": "Set `Domain.SecurityPolicy: TLS_1_2` on the Api.",
            "cloudformation": "Set `SecurityPolicy: TLS_1_2` on the AWS::ApiGateway::DomainName "
            "(`DomainNameConfigurations[].SecurityPolicy` on ApiGatewayV2).",
            "serverless": "Set `securityPolicy: tls_1_2` in the custom domain configuration.",
            "terraform": 'Set `security_policy = "TLS_1_2"` on the domain name.',
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        seen: set[str] = set()
        for api in app.apis:
            for domain in api.domains:
                if domain.id in seen:
                    continue
                seen.add(domain.id)
                family = self._family(app, domain, api.kind)
                if family is None:
                    continue
                policy = domain.security_policy
                if isinstance(policy, str) and policy.upper() == "TLS_1_0":
                    why = "SecurityPolicy TLS_1_0"
                elif policy is None and family == "rest":
                    why = "no SecurityPolicy, so the TLS 1.0 default applies"
                else:
                    continue
                yield Violation(
                    domain.loc("SecurityPolicy"),
                    f"Custom domain {domain_label(domain, app)} accepts TLS 1.0 and 1.1 ({why})",
                    domain.id,
                )

    @staticmethod
    def _family(app: Application, domain: CustomDomain, api_kind: ApiKind) -> str | None:
        """ "rest" or "v2" for a domain this template defines; None for one defined elsewhere."""
        rtype = app.resource_types.get(domain.id)
        if rtype in _REST_DOMAIN_TYPES:
            return "rest"
        if rtype in _V2_DOMAIN_TYPES:
            return "v2"
        if rtype is None:  # SAM's Domain property: the API's own kind decides the resource type
            return "rest" if api_kind is ApiKind.REST else "v2"
        return None


# The host: an IPv6 literal, or name characters and `${...}` placeholders (which may hold colons).
_HTTP_URL = re.compile(r"http://(\[[^\]]*\]|(?:\$\{[^}]*\}|[^/\s:?#'\"$])+)", re.IGNORECASE)


def _local_host(host: str) -> bool:
    """Loopback, link-local (instance metadata) and local development hosts are not "other hosts"."""
    h = host.lower().strip("[]")
    return (
        h in ("localhost", "::1", "0.0.0.0", "host.docker.internal", "localstack")
        or h.endswith((".localhost", ".localstack.cloud"))
        or h.startswith(("127.", "169.254."))
    )


def plain_http_hosts(value: object) -> list[str]:
    """The non-local hosts of http:// URLs in a value (hosts may be `${Resource}` placeholders)."""
    if not isinstance(value, str):
        return []
    return [m.group(1) for m in _HTTP_URL.finditer(value) if not _local_host(m.group(1))]


class PlainHttpInEnvironment(Rule):
    """## What it does
    Flags a function environment variable holding a plain `http://` URL to another host
    (including URLs built from resources, such as `http://${Api}...`). Loopback, link-local
    (`169.254.*`, the metadata and container credential endpoints) and local development hosts
    are left out. Functions sharing one variable line (SAM `Globals`) are reported once there.

    ## Why is this bad?
    The function will call that endpoint without TLS: requests, responses and any tokens or
    keys they carry can be read and altered by anyone on the network path.

    ## Example
    ```yaml
    Environment:
      Variables:
        PAYMENTS_URL: http://payments.example.com/v1
    ```

    ## Use instead
    ```yaml
    Environment:
      Variables:
        PAYMENTS_URL: https://payments.example.com/v1
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/319.html
    """

    meta = RuleMeta(
        id="FG-TLS-003",
        category=Category.INSECURE_TRANSPORT,
        severity=Severity.MEDIUM,
        title="Plain http:// URL in a function's environment",
        cwe=(319,),
        remediation={
            "sam": "Use an https:// URL in `Environment.Variables`.",
            "cloudformation": "Use an https:// URL in `Environment.Variables`.",
            "serverless": "Use an https:// URL in `environment`.",
            "terraform": "Use an https:// URL in `environment { variables }`.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        groups: dict[tuple[SourceRef, str, str], list[Function]] = {}
        for fn in app.functions:
            for var in fn.environment:
                hosts = plain_http_hosts(var.value)
                if hosts:
                    groups.setdefault((var.source, var.name, hosts[0]), []).append(fn)
        for (where, name, host), fns in groups.items():
            yield Violation(
                where,
                f"Environment variable {name} of {names(fns)} holds a plain http:// URL to {host}: "
                "the calls travel unencrypted",
                fns[0].id,
                snippet=f"{name} {host}",
            )
