"""Broken authentication: doors that anyone can open."""

from __future__ import annotations

import re
from collections.abc import Iterator

from faasguard.findings import Category, Severity
from faasguard.model import Application, AuthKind, Permission
from faasguard.rules.base import Rule, RuleMeta, Violation


class PublicRouteWithoutAuth(Rule):
    """## What it does
    Flags an HTTP route (REST API, HTTP API or WebSocket) that reaches a function with no
    authorizer, no IAM auth and no JWT/Cognito check, on an API that is reachable from the
    internet. CORS preflight (`OPTIONS`) routes and private APIs are excluded.

    ## Why is this bad?
    Anyone on the internet can invoke the function behind the route. Unless the endpoint is
    deliberately public (a health check, a public read), this is broken authentication, and
    the way in for event injection and denial-of-wallet floods.

    ## Example
    ```yaml
    Events:
      Orders:
        Type: Api
        Properties: {Path: /orders, Method: post}
    ```

    ## Use instead
    ```yaml
    Events:
      Orders:
        Type: Api
        Properties:
          Path: /orders
          Method: post
          Auth: {Authorizer: CognitoAuthorizer}
    ```

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html
    """

    meta = RuleMeta(
        id="FG-AUTH-001",
        category=Category.BROKEN_AUTHENTICATION,
        severity=Severity.HIGH,
        title="Public route without authentication",
        cwe=(306,),
        remediation={
            "sam": "Set `Auth.DefaultAuthorizer` on the API or `Auth.Authorizer` on the event "
            "(a Cognito, Lambda or JWT authorizer, or AWS_IAM).",
            "cloudformation": "Set `AuthorizationType` to AWS_IAM, COGNITO_USER_POOLS, CUSTOM or JWT "
            "with an `AuthorizerId` on the method or route.",
            "serverless": "Add `authorizer:` to the `http` / `httpApi` event.",
            "terraform": "Set `authorization` (REST) or `authorization_type` (HTTP API) with an authorizer.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for route in app.routes:
            if not route.open_to_anyone or route.function is None:  # (None narrows the type)
                continue
            api = app.api(route.api)
            where = "the implicit API" if api is not None and api.implicit else f"API {route.api}"
            yield Violation(
                route.loc("Auth.Authorizer", "AuthorizationType"),
                f"{route.label} on {where} reaches {route.function} with no authentication",
                resource=route.function,
                snippet=f"{route.api} {route.label}",
            )


class ApiKeyOnlyRoute(Rule):
    """## What it does
    Flags a public route whose only control is an API key (`ApiKeyRequired` / `private: true`)
    with no authorizer or IAM auth.

    ## Why is this bad?
    API keys identify a calling application for usage plans; they are not secrets that prove
    who the caller is. They travel in headers, end up in front-end code and logs, and cannot be
    scoped to a user. AWS itself advises against using them for authorization.

    ## Example
    ```yaml
    Auth: {ApiKeyRequired: true}
    ```

    ## Use instead
    Keep the key for throttling, and add an authorizer (Cognito, JWT, Lambda) or AWS_IAM.

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
    """

    meta = RuleMeta(
        id="FG-AUTH-002",
        category=Category.BROKEN_AUTHENTICATION,
        severity=Severity.MEDIUM,
        title="API key is the only control on a route",
        cwe=(287,),
        remediation={
            "sam": "Add an `Auth.Authorizer` to the event (API keys identify, they don't authenticate).",
            "cloudformation": "Set an `AuthorizationType` other than NONE on the method.",
            "serverless": "Add `authorizer:` to the `http` event besides `private: true`.",
            "terraform": "Set `authorization` besides `api_key_required`.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for route in app.routes:
            if route.preflight or route.public is not True or route.function is None:
                continue
            if route.auth.kind is AuthKind.NONE and route.auth.api_key_required:
                yield Violation(
                    route.loc("Auth.ApiKeyRequired", "ApiKeyRequired", "Auth"),
                    f"{route.label} reaches {route.function} protected only by an API key",
                    resource=route.function,
                    snippet=f"{route.api} {route.label}",
                )


class FunctionUrlWithoutAuth(Rule):
    """## What it does
    Flags a Lambda Function URL with `AuthType: NONE`.

    ## Why is this bad?
    A Function URL with no auth is a public HTTPS endpoint straight into the function: no
    authorizer, no throttling, no WAF, no usage plan. Anyone who finds the URL can call it as
    often as they like (broken authentication and denial of wallet).

    ## Example
    ```yaml
    FunctionUrlConfig:
      AuthType: NONE
    ```

    ## Use instead
    ```yaml
    FunctionUrlConfig:
      AuthType: AWS_IAM
    ```
    or put the function behind API Gateway with an authorizer.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
    """

    meta = RuleMeta(
        id="FG-AUTH-003",
        category=Category.BROKEN_AUTHENTICATION,
        severity=Severity.HIGH,
        title="Function URL without authentication",
        cwe=(306,),
        remediation={
            "sam": "Set `FunctionUrlConfig.AuthType: AWS_IAM`.",
            "cloudformation": "Set `AuthType: AWS_IAM` on the AWS::Lambda::Url.",
            "serverless": "Set `url: {authorizer: aws_iam}`.",
            "terraform": 'Set `authorization_type = "AWS_IAM"` on aws_lambda_function_url.',
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for fn in app.functions:
            if fn.url is not None and fn.url.auth_type == "NONE":
                yield Violation(
                    fn.url.loc("AuthType"),
                    f"Function URL of {fn.display_name} has AuthType NONE: anyone can invoke it",
                    resource=fn.id,
                )


_INVOKE_ACTIONS = ("lambda:invokefunction", "lambda:invokefunctionurl", "lambda:*", "*")


def _scoped(perm: Permission) -> bool:
    return perm.source_arn is not None or perm.source_account is not None


class OpenInvokePermission(Rule):
    """## What it does
    Flags a resource-based permission that lets anyone invoke a function: `lambda:InvokeFunction`
    or `lambda:InvokeFunctionUrl` granted to `*`, or to an AWS service principal with no
    `SourceArn` / `SourceAccount` to say which bucket, topic or rule may call.

    ## Why is this bad?
    With `*`, any AWS account can call the function. A service principal without a source
    condition lets *any* resource of that service, in any account, invoke it (the confused
    deputy problem): someone else's S3 bucket or SNS topic can drive your function and your bill.
    A public Function URL's own permission is not reported again here: FG-AUTH-003 covers that door.

    ## Example
    ```yaml
    Permission:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !Ref Fn
        Action: lambda:InvokeFunction
        Principal: s3.amazonaws.com
    ```

    ## Use instead
    ```yaml
        SourceArn: !GetAtt Uploads.Arn
        SourceAccount: !Ref AWS::AccountId
    ```

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
    """

    meta = RuleMeta(
        id="FG-AUTH-004",
        category=Category.BROKEN_AUTHENTICATION,
        severity=Severity.HIGH,
        title="Function invocable by any principal",
        cwe=(284,),
        remediation={
            "sam": "Let SAM events add the permission, or set `SourceArn` / `SourceAccount` on the "
            "AWS::Lambda::Permission.",
            "cloudformation": "Set `Principal` to an account or service and add `SourceArn` and "
            "`SourceAccount`.",
            "serverless": "Scope `resources:` permissions with `SourceArn`.",
            "terraform": "Set `source_arn` and `source_account` on aws_lambda_permission.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        public_urls = {f.id for f in app.functions if f.url is not None and f.url.auth_type == "NONE"}
        for perm in app.permissions:
            if perm.implicit or not isinstance(perm.action, str) or not isinstance(perm.principal, str):
                continue
            if perm.action.lower() not in _INVOKE_ACTIONS:
                continue
            target = perm.function if isinstance(perm.function, str) else "a function"
            if perm.principal == "*":
                if perm.function_url_auth_type == "NONE" and perm.function in public_urls:
                    continue  # the public URL is the door, already reported by FG-AUTH-003
                if _scoped(perm):
                    continue
                yield Violation(
                    perm.loc("Principal"),
                    f"{perm.id} lets any principal call {perm.action} on {target}",
                    resource=perm.id,
                )
            elif perm.principal.endswith(".amazonaws.com") and not _scoped(perm):
                yield Violation(
                    perm.loc("Principal"),
                    f"{perm.id} lets any {perm.principal} resource, in any account, invoke {target}: "
                    "no SourceArn or SourceAccount",
                    resource=perm.id,
                    severity=Severity.MEDIUM,
                )


_ADMIN_LIKE = re.compile(
    r"(admin|role|group|permission|privilege|tenant|is_?staff|access_?level|scope)", re.I
)


class CognitoWeakPasswordPolicy(Rule):
    """## What it does
    Flags a Cognito user pool whose password policy is weaker than Cognito's own default: a
    minimum length under 8, or under 12 with fewer than three character classes required.

    ## Why is this bad?
    Short passwords with few character classes fall to credential stuffing and online guessing;
    the pool's users are the front door of every authorizer built on it.

    ## Example
    ```yaml
    Policies:
      PasswordPolicy: {MinimumLength: 6, RequireSymbols: false, RequireNumbers: false}
    ```

    ## Use instead
    ```yaml
    Policies:
      PasswordPolicy: {MinimumLength: 12, RequireLowercase: true, RequireUppercase: true,
                       RequireNumbers: true, RequireSymbols: true}
    ```

    ## References
    - https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html
    """

    meta = RuleMeta(
        id="FG-AUTH-005",
        category=Category.BROKEN_AUTHENTICATION,
        severity=Severity.MEDIUM,
        title="Weak Cognito password policy",
        cwe=(521,),
        remediation={
            "sam": "Raise `Policies.PasswordPolicy.MinimumLength` to 12+ and require character classes.",
            "cloudformation": "Raise `Policies.PasswordPolicy.MinimumLength` to 12+ and require "
            "character classes.",
            "serverless": "Same, in the `resources:` user pool.",
            "terraform": "Raise `password_policy.minimum_length` and set the `require_*` flags.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for pool in app.user_pools:
            policy = pool.password_policy
            if not policy:
                continue  # Cognito's default: 8 characters, all four classes
            length = policy.get("MinimumLength", 8)
            if not isinstance(length, int) or isinstance(length, bool):
                continue
            classes = sum(
                1
                for key in ("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols")
                if policy.get(key, True) is not False
            )
            if length < 8 or (length < 12 and classes < 3):
                yield Violation(
                    pool.loc("PasswordPolicy.MinimumLength", "Policies"),
                    f"user pool {pool.id} accepts passwords of {length} characters with {classes} of 4 "
                    "character classes required",
                    resource=pool.id,
                )


class CognitoClientWritableRoleAttribute(Rule):
    """## What it does
    Flags a Cognito custom attribute with an admin-like name (role, admin, group, tenant,
    permission...) that is mutable and writable by an app client: by the client's
    `WriteAttributes`, or by a client that sets no `WriteAttributes` (all mutable attributes
    are then writable).

    ## Why is this bad?
    Users can change their own writable attributes with `UpdateUserAttributes` and their access
    token. If the backend authorises on `custom:role` or `custom:isAdmin`, any user can make
    themselves an admin.

    ## Example
    ```yaml
    Schema:
      - {Name: role, AttributeDataType: String, Mutable: true}
    ```

    ## Use instead
    Keep authorisation data in groups or immutable attributes, and list `WriteAttributes` on every
    client without them.

    ## References
    - https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html
    """

    meta = RuleMeta(
        id="FG-AUTH-006",
        category=Category.BROKEN_AUTHENTICATION,
        severity=Severity.HIGH,
        title="Clients can write an authorisation attribute",
        cwe=(639, 915),
        remediation={
            "sam": "Set `WriteAttributes` on each AWS::Cognito::UserPoolClient without the attribute, "
            "or make it `Mutable: false`.",
            "cloudformation": "Set `WriteAttributes` on each AWS::Cognito::UserPoolClient without the "
            "attribute, or make it `Mutable: false`.",
            "serverless": "Same, in the `resources:` user pool client.",
            "terraform": "Set `write_attributes` on aws_cognito_user_pool_client without the attribute.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for pool in app.user_pools:
            for name, mutable, where in pool.custom_attributes:
                if not mutable or not _ADMIN_LIKE.search(name):
                    continue
                full = name if name.startswith("custom:") else f"custom:{name}"
                writers = sorted(
                    {client for client, attr, _ in pool.client_write_attributes if attr in ("*", full)}
                )
                if writers:
                    yield Violation(
                        where,
                        f"{full} in user pool {pool.id} is mutable and writable by client "
                        f"{', '.join(writers)}: users can set their own {name}",
                        resource=pool.id,
                    )


class UnauthenticatedIdentities(Rule):
    """## What it does
    Flags a Cognito identity pool with `AllowUnauthenticatedIdentities: true`.

    ## Why is this bad?
    Anyone can obtain temporary AWS credentials for the pool's unauthenticated role without
    signing in. Whatever that role may call, the whole internet may call.

    ## Example
    ```yaml
    AllowUnauthenticatedIdentities: true
    ```

    ## Use instead
    ```yaml
    AllowUnauthenticatedIdentities: false
    ```
    or give the unauthenticated role nothing beyond what is meant to be public.

    ## References
    - https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools.html
    """

    meta = RuleMeta(
        id="FG-AUTH-007",
        category=Category.BROKEN_AUTHENTICATION,
        severity=Severity.MEDIUM,
        title="Identity pool allows unauthenticated identities",
        cwe=(306,),
        remediation={
            "sam": "Set `AllowUnauthenticatedIdentities: false`.",
            "cloudformation": "Set `AllowUnauthenticatedIdentities: false`.",
            "serverless": "Set `AllowUnauthenticatedIdentities: false` in `resources:`.",
            "terraform": "Set `allow_unauthenticated_identities = false`.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for pool in app.identity_pools:
            if pool.allow_unauthenticated is True:
                yield Violation(
                    pool.loc("AllowUnauthenticatedIdentities"),
                    f"identity pool {pool.id} hands AWS credentials to callers who never signed in",
                    resource=pool.id,
                )
