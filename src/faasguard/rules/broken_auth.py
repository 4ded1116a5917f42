"""Broken authentication: doors that anyone can open."""

from __future__ import annotations

from collections.abc import Iterator

from faasguard.findings import Category, Severity
from faasguard.model import Application, AuthKind
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
            if route.preflight or route.public is not True or route.function is None:
                continue
            if route.auth.kind is not AuthKind.NONE or route.auth.api_key_required:
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
