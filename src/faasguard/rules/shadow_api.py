"""Shadow APIs: doors into the application beside the one that is documented and guarded."""

from __future__ import annotations

import re
from collections.abc import Iterator

from faasguard.findings import Category, Severity
from faasguard.model import ApiKind, Application, TriggerKind
from faasguard.rules.base import Rule, RuleMeta, Violation
from faasguard.rules.insecure_transport import domain_label
from faasguard.rules.logging_monitoring import api_label, fn_label, text

_API_KINDS = (TriggerKind.REST_API, TriggerKind.HTTP_API, TriggerKind.WEBSOCKET)


class FunctionUrlBesideApi(Rule):
    """## What it does
    Flags a Lambda Function URL on a function that is also served through an API Gateway route
    (REST, HTTP or WebSocket).

    ## Why is this bad?
    The function then has two front doors. The API's authorizers, throttling, usage plans, WAF
    and access logs apply only to one of them; the Function URL (often forgotten after a
    prototype) reaches the same code without any of it. Even with `AuthType: AWS_IAM` it is an
    undocumented entry point that reviews and API specs don't show.

    ## Example
    ```yaml
    OrdersFunction:
      Type: AWS::Serverless::Function
      Properties:
        FunctionUrlConfig: {AuthType: NONE}
        Events:
          Api: {Type: HttpApi, Properties: {Path: /orders, Method: GET}}
    ```

    ## Use instead
    Remove `FunctionUrlConfig` and keep the API route as the only way in.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html
    """

    meta = RuleMeta(
        id="FG-SHADOW-001",
        category=Category.SHADOW_API,
        severity=Severity.MEDIUM,
        title="Function URL beside an API gateway route",
        cwe=(288,),
        remediation={
            "sam": "Remove `FunctionUrlConfig` from the function served by the API.",
            "cloudformation": "Remove the AWS::Lambda::Url of the function served by the API.",
            "serverless": "Remove `url:` from the function that has `http` / `httpApi` events.",
            "terraform": "Remove the aws_lambda_function_url of the function served by the API.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for fn in app.functions:
            if fn.url is None:
                continue
            routes = [t for t in app.triggers_of(fn.id) if t.kind in _API_KINDS]
            if not routes:
                continue
            first = routes[0]
            route = first.details.get("route")
            via = f"route {route}" if isinstance(route, str) else f"{first.kind.value} {text(first.target)}"
            yield Violation(
                fn.url.source,
                f"{fn_label(fn)} has a Function URL (AuthType {text(fn.url.auth_type)}) besides its API "
                f"{via}: a second door that skips the API's authorizers, throttling and WAF",
                fn.id,
                snippet=fn.id,
            )


class ExecuteApiEndpointBesideDomain(Rule):
    """## What it does
    Flags an API served on a custom domain whose default `execute-api` endpoint is still enabled
    (`DisableExecuteApiEndpoint` not true). Private APIs are not flagged.

    ## Why is this bad?
    Clients are meant to use the custom domain, where mutual TLS, the domain's TLS policy, base
    path routing and any CloudFront/WAF in front of it apply. The default
    `https://{id}.execute-api.{region}.amazonaws.com` endpoint bypasses all of that and stays
    reachable by anyone who learns the API id (logs, error pages, old clients).

    ## Example
    ```yaml
    Api:
      Type: AWS::Serverless::Api
      Properties:
        Domain: {DomainName: api.example.com, CertificateArn: !Ref Cert}
    ```

    ## Use instead
    ```yaml
    Api:
      Type: AWS::Serverless::Api
      Properties:
        Domain: {DomainName: api.example.com, CertificateArn: !Ref Cert}
        DisableExecuteApiEndpoint: true
    ```

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html
    """

    meta = RuleMeta(
        id="FG-SHADOW-002",
        category=Category.SHADOW_API,
        severity=Severity.MEDIUM,
        title="Default execute-api endpoint left on beside a custom domain",
        cwe=(288,),
        remediation={
            "sam": "Set `DisableExecuteApiEndpoint: true` on the Api / HttpApi that has a `Domain`.",
            "cloudformation": "Set `DisableExecuteApiEndpoint: true` on the RestApi / ApiGatewayV2::Api.",
            "serverless": "Set `provider.apiGateway.disableDefaultEndpoint: true` "
            "(`provider.httpApi.disableDefaultEndpoint` for HTTP APIs).",
            "terraform": "Set `disable_execute_api_endpoint = true` on the API.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for api in app.apis:
            if not api.domains or api.private or api.disable_execute_api_endpoint is not False:
                continue
            domain = api.domains[0]
            yield Violation(
                api.loc("DisableExecuteApiEndpoint", "Domain"),
                f"{api_label(api)} is served on custom domain {domain_label(domain, app)} but its default "
                "execute-api endpoint is still on: callers can bypass the domain and its controls",
                api.id,
            )


# A greedy path parameter ({proxy+}, {path+}) or HTTP API's $default route.
_GREEDY = re.compile(r"\{[^}/]*\+\}")


class CatchAllRoute(Rule):
    """## What it does
    Reports each catch-all route: a path with a greedy parameter (`/{proxy+}`) or an HTTP API
    `$default` route. CORS preflight routes and WebSocket routes (whose `$default` is the
    fallback for unmatched message actions, not paths) are left out.

    ## Why is this bad?
    A catch-all forwards every path and method to one backend, so the API surface is whatever
    the code happens to handle (debug endpoints, admin paths, framework defaults), not what the
    API definition documents. Per-route authorization, throttling and validation can't be set
    for paths nobody listed. This is informational: it is sometimes a deliberate design.

    ## Example
    ```yaml
    Events:
      Proxy: {Type: Api, Properties: {Path: /{proxy+}, Method: ANY}}
    ```

    ## Use instead
    Declare the routes the function serves (`GET /orders`, `POST /orders`) and give each its
    authorization.

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-set-up-simple-proxy.html
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
    """

    meta = RuleMeta(
        id="FG-SHADOW-003",
        category=Category.SHADOW_API,
        severity=Severity.INFO,
        title="Catch-all API route",
        remediation={
            "sam": "Replace `Path: /{proxy+}` (or an HttpApi event without `Path`) by explicit routes.",
            "cloudformation": "Replace `{proxy+}` resources and `$default` routes by explicit ones.",
            "serverless": "Replace `path: /{proxy+}` / `'*'` by explicit paths.",
            "terraform": "Replace `{proxy+}` resources and `$default` route keys by explicit ones.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for route in app.routes:
            api = app.api(route.api)
            # WebSocket route keys are message actions, not paths: $default is their normal fallback.
            if route.preflight or (api is not None and api.kind is ApiKind.WEBSOCKET):
                continue
            scope = _catch_all_scope(route.path)
            if scope is None:
                continue
            where = api_label(api) if api is not None else f"API {route.api}"
            target = f"reaches {route.function}" if route.function else "goes to its integration"
            yield Violation(
                route.loc("RouteKey", "Path"),
                f"{route.label} on {where} is a catch-all route: every path{scope} {target}, including "
                "ones the API does not document",
                route.function or route.api,
                snippet=f"{route.api} {route.label}",
            )


def _catch_all_scope(path: str) -> str | None:
    """ "" for a route catching every path, " under /p/" for one catching a subtree, None otherwise."""
    if path == "$default":
        return ""
    match = _GREEDY.search(path)
    if match is None:
        return None
    prefix = path[: match.start()]
    return "" if prefix in ("", "/") else f" under {prefix}"
