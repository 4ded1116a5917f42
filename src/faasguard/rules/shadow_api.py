"""Shadow APIs: doors into the application beside the one that is documented and guarded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from faasguard.findings import Category, Severity
from faasguard.model import ApiKind, Application, AuthKind, Route, TriggerKind
from faasguard.rules.base import RelatedStep, Rule, RuleMeta, Violation
from faasguard.rules.insecure_transport import domain_label
from faasguard.rules.logging_monitoring import api_label, fn_label, text

if TYPE_CHECKING:
    from faasguard.analysis.api_spec import Drift

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


# --- deployed routes against the documented API (analysis: faasguard.analysis.api_spec) ---------

_SPEC_REMEDIATION = {
    "sam": "Document the route in the API's OpenAPI file (or DefinitionBody), or remove the event "
    "that deploys it; keep one source of truth for the API's routes.",
    "cloudformation": "Document the route in the OpenAPI document, or remove the resource that deploys it.",
    "serverless": "Document the route in the project's OpenAPI document, or remove the `http` / "
    "`httpApi` event that deploys it.",
    "terraform": "Document the route in the OpenAPI document (or the API's `body`), or remove the "
    "resource / route that deploys it.",
}


def _drifts(rule: Rule, app: Application, kind: str) -> Iterator[Drift]:
    from faasguard.analysis.api_spec import compare_specs

    for drift in compare_specs(rule.facts, app).drifts:
        if drift.kind == kind:
            yield drift


def _spec_label(drift: Drift) -> str:
    if drift.pairing != "reference":
        return drift.spec.path
    if drift.spec.inline:
        return f"its own OpenAPI definition (in {drift.spec.path})"
    return f"its own OpenAPI definition {drift.spec.path}"


def _reaching(route: Route) -> str:
    return f" (reaching {route.function})" if route.function else ""


def _extra(drift: Drift, **more: object) -> dict[str, object]:
    out: dict[str, object] = {"pairing": drift.pairing, "spec": drift.spec.path, "api": drift.api.id}
    out.update({k: v for k, v in more.items() if v not in (None, (), [])})
    return out


def _methods(methods: tuple[str, ...]) -> str:
    return ", ".join("(methods from a $ref)" if m == "*" else m for m in methods)


class UndocumentedRoute(Rule):
    """## What it does
    Flags a deployed API route that the API's OpenAPI / Swagger document does not have (a
    shadow route). Two kinds of document count:

    - the API's own definition (SAM `DefinitionBody`, `DefinitionUri` or `AWS::Include`,
      `Body` of an `AWS::ApiGateway::RestApi`, Terraform `body`): a route added *beside* it (a
      SAM `Api` event merged with `MergeDefinitions`, an `aws_api_gateway_method` next to a
      `body`) is flagged;
    - a documentation spec in the application's folder (`openapi.yaml`, `docs/swagger.json`...,
      any YAML/JSON file whose top level has `openapi:` or `swagger:`), paired with an API by
      reference, by custom-domain host (`servers` URL / `host`), by title against the API
      name, or as the only spec beside the only API. `extra.pairing` says which.

    Paths compare by shape (`/users/{id}` = `/users/{userId}` = `/users/:id`), without
    trailing slashes, with or without the spec's `basePath` / `servers` path. A route under a
    documented catch-all (`/{proxy+}`) is documented. An undocumented catch-all route is
    flagged with the documented routes it is the only one to serve (`extra.covered`): they are
    not reported missing, but they are served only by the catch-all. CORS preflight (OPTIONS)
    routes are ignored unless the spec documents OPTIONS for the path. A route whose path the
    spec has with other methods is FG-SHADOW-006. Nothing is reported for an application
    without a spec, and a spec paired with no API is not compared.

    ## Why is this bad?
    The spec is what reviewers, API consumers, security testing and gateways' request
    validation work from. A route missing from it is an entry point nobody reviews or tests,
    often a debug or admin endpoint, an old version left deployed, or a route added by a
    function event that bypasses the design of the API.

    ## Example
    `openapi.yaml` documents `GET /users/{userId}`; the template deploys it and one more:
    ```yaml
    Events:
      GetUser: {Type: Api, Properties: {Path: /users/{id}, Method: get}}
      Debug: {Type: Api, Properties: {Path: /debug/env, Method: get}}
    ```

    ## Use instead
    Remove the route, or document it (with its security) in the spec so it is reviewed like the
    others.

    ## References
    - https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
    - https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-api.html
    """

    meta = RuleMeta(
        id="FG-SHADOW-004",
        category=Category.SHADOW_API,
        severity=Severity.MEDIUM,
        title="Deployed route missing from the API spec",
        cwe=(1059,),
        remediation=_SPEC_REMEDIATION,
        since="0.2.0",
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for drift in _drifts(self, app, "shadow"):
            route = drift.route
            if route is None:
                continue
            where = api_label(drift.api)
            spec = _spec_label(drift)
            scope = _catch_all_scope(route.path)
            if scope is not None:
                message = (
                    f"{route.label} on {where}{_reaching(route)} is a catch-all route that {spec} does "
                    f"not document: it serves every undocumented path{scope}"
                )
                if drift.covered:
                    shown = ", ".join(drift.covered[:3])
                    more = f" and {len(drift.covered) - 3} more" if len(drift.covered) > 3 else ""
                    message += f"; documented {shown}{more} are served only by it"
            elif drift.by_definition:
                message = (
                    f"{route.label} on {where}{_reaching(route)} is not in {spec}: it is deployed "
                    "beside the definition, where readers of the definition don't see it"
                )
            else:
                message = (
                    f"{route.label} on {where}{_reaching(route)} is not in {spec}: an undocumented route"
                )
            yield Violation(
                drift.source,
                message,
                route.function or route.api,
                extra=_extra(drift, covered=list(drift.covered)),
                snippet=f"{route.api} {route.label}",
            )


class UndeployedDocumentedRoute(Rule):
    """## What it does
    Flags an operation of a documentation spec (an OpenAPI / Swagger file in the application's
    folder, paired with one of its APIs as FG-SHADOW-004 describes) that no route of the paired
    API deploys: a zombie route. It points at the operation's line in the spec. Operations
    served by a deployed catch-all (`/{proxy+}`, `$default`) are not flagged (FG-SHADOW-004
    says they are served only by the catch-all), nor OPTIONS operations (CORS settings often
    answer them), nor path items that are only a `$ref`. A path that is deployed with other
    methods is FG-SHADOW-006.

    ## Why is this bad?
    The spec no longer describes the deployment. Either the route was removed and the
    documentation (and the clients generated from it) is stale, or it is still served from
    somewhere this IaC does not show: a console-made resource, another stack, an old stage.
    Both mean the API inventory can't be trusted for review or testing.

    ## Example
    `openapi.yaml` documents `GET /users/{userId}/orders`, and no function event, route or
    method deploys it.

    ## Use instead
    Remove the operation from the spec, or deploy it from this IaC.

    ## References
    - https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
    """

    meta = RuleMeta(
        id="FG-SHADOW-005",
        category=Category.SHADOW_API,
        severity=Severity.LOW,
        title="Documented route deployed by nothing",
        cwe=(1059,),
        remediation={
            "sam": "Remove the operation from the spec, or add the event / path that deploys it.",
            "cloudformation": "Remove the operation from the spec, or add the resource that deploys it.",
            "serverless": "Remove the operation from the spec, or add the `http` / `httpApi` event.",
            "terraform": "Remove the operation from the spec, or add the route / method that deploys it.",
        },
        since="0.2.0",
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for drift in _drifts(self, app, "zombie"):
            op = drift.op
            if op is None:
                continue
            yield Violation(
                drift.source,
                f"{op.method} {op.path} is documented in {drift.spec.path} but no route on "
                f"{api_label(drift.api)} deploys it: the spec is stale, or the route is served from "
                "outside this IaC",
                drift.api.id,
                extra=_extra(drift),
                snippet=f"{drift.spec.path} {op.method} {op.path}",
            )


class MethodsDifferFromSpec(Rule):
    """## What it does
    Flags a path that both the API and its spec have (compared by shape, as FG-SHADOW-004
    describes) with different methods, once per differing method:

    - a deployed method the spec lacks for that path (at the route; a deployed `ANY` where the
      spec lists single methods counts: it serves every method), severity medium;
    - a documented method the API does not deploy for that path (at the spec operation),
      severity low.

    `x-amazon-apigateway-any-method` is `ANY`. OPTIONS is left out on both sides unless the
    spec documents it.

    ## Why is this bad?
    An undocumented method on a documented path is the classic shadow endpoint: `DELETE
    /users/{id}` beside the documented `GET`, reviewed by nobody and often without the checks
    the documented method has. A documented method that is not deployed means the spec (and
    clients built from it) no longer describes the API.

    ## Example
    The spec documents `GET /users/{userId}`; the API deploys:
    ```yaml
    Events:
      Get: {Type: Api, Properties: {Path: /users/{id}, Method: get}}
      Delete: {Type: Api, Properties: {Path: /users/{id}, Method: delete}}
    ```

    ## Use instead
    Deploy exactly the documented methods, or document the extra one with its security.

    ## References
    - https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
    """

    meta = RuleMeta(
        id="FG-SHADOW-006",
        category=Category.SHADOW_API,
        severity=Severity.MEDIUM,
        title="API methods differ from the spec",
        cwe=(1059,),
        remediation={
            "sam": "Make the events' `Method` match the spec's operations for the path.",
            "cloudformation": "Make the AWS::ApiGateway::Method / route keys match the spec for the path.",
            "serverless": "Make the events' `method` match the spec's operations for the path.",
            "terraform": "Make `http_method` / `route_key` match the spec's operations for the path.",
        },
        since="0.2.0",
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for drift in _drifts(self, app, "method"):
            route, op = drift.route, drift.op
            if route is None or op is None:
                continue
            where = api_label(drift.api)
            spec = _spec_label(drift)
            documented = _methods(drift.documented_methods)
            extra = _extra(
                drift,
                documented_methods=list(drift.documented_methods),
                deployed_methods=list(drift.deployed_methods),
            )
            if drift.spec_side:
                yield Violation(
                    drift.source,
                    f"{op.method} {op.path} is documented in {spec} but {where} serves only "
                    f"{_methods(drift.deployed_methods)} on {route.path}",
                    drift.api.id,
                    severity=Severity.LOW,
                    related=(RelatedStep(route.loc("RouteKey", "Path"), f"{route.label} deployed here"),),
                    extra=extra,
                    snippet=f"{drift.spec.path} {op.method} {op.path}",
                )
                continue
            if route.method == "ANY":
                message = (
                    f"ANY {route.path} on {where}{_reaching(route)} serves every method, but {spec} "
                    f"documents only {documented} for {op.path}"
                )
            else:
                message = (
                    f"{route.label} on {where}{_reaching(route)} is deployed but {spec} documents only "
                    f"{documented} for {op.path}: an undocumented method"
                )
            yield Violation(
                drift.source,
                message,
                route.function or route.api,
                related=(RelatedStep(op.source, f"{op.method} {op.path} documented here"),),
                extra=extra,
                snippet=f"{route.api} {route.label}",
            )


_AUTH_WORDS = {
    AuthKind.IAM: "IAM authorization",
    AuthKind.COGNITO: "a Cognito authorizer",
    AuthKind.LAMBDA: "a Lambda authorizer",
    AuthKind.JWT: "a JWT authorizer",
}


def _deployed_auth(route: Route) -> str:
    words = _AUTH_WORDS.get(route.auth.kind)
    if words is None:
        return "an API key" if route.auth.api_key_required else "no authentication"
    return words + (" and an API key" if route.auth.api_key_required else "")


class AuthDiffersFromSpec(Rule):
    """## What it does
    Compares each deployed route with the `security` its documentation spec gives the matching
    operation (the operation's own `security`, else the spec's top-level one):

    - the spec requires authentication (an OAuth2 / OpenID Connect / HTTP scheme, an API Gateway
      authorizer, an `apiKey` scheme carrying a token) and the route has none, or only an API
      key: severity high (medium when the route is not public or the gap is an API key);
    - the spec requires an API key (an `apiKey` scheme named `x-api-key`) and the route needs
      nothing: medium;
    - the spec documents the operation without security and the route requires some: low (the
      spec is stale; clients built from it fail).

    A spec that never mentions security (no schemes, no `security`) is not compared; nor are
    routes whose auth the loader could not resolve. When a requirement lists alternatives, the
    weakest counts. The category is shadow-api, not broken-authentication: the finding is the
    drift between the documented and the deployed API (in both directions); a public route
    without an authorizer is also reported on its own by FG-AUTH-001.

    ## Why is this bad?
    Reviewers, penetration testers and consumers trust the spec's security: a route it shows
    as protected but deployed open is an unauthenticated door nobody looks for.

    ## Example
    The spec has `security: [{cognito: []}]` on `GET /users/{userId}`; the event has no
    `Auth` and the API no default authorizer.

    ## Use instead
    Add the authorizer the spec names to the route (or the API's default), or fix the spec.

    ## References
    - https://swagger.io/specification/#security-requirement-object
    - https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
    """

    meta = RuleMeta(
        id="FG-SHADOW-007",
        category=Category.SHADOW_API,
        severity=Severity.HIGH,
        title="Route auth differs from the API spec",
        cwe=(306, 1059),
        remediation={
            "sam": "Set the route's `Auth.Authorizer` (or the API's `Auth.DefaultAuthorizer`) to what "
            "the spec's `security` names.",
            "cloudformation": "Set `AuthorizationType` / `AuthorizerId` on the method as the spec's "
            "`security` says.",
            "serverless": "Add the `authorizer:` the spec's `security` names to the event.",
            "terraform": "Set `authorization` / `authorizer_id` (or the route's `authorization_type`) "
            "as the spec's `security` says.",
        },
        since="0.2.0",
    )

    def check(self, app: Application) -> Iterator[Violation]:
        from faasguard.analysis.api_spec import API_KEY, AUTH, NONE

        for drift in _drifts(self, app, "auth"):
            route, op, deployed = drift.route, drift.op, drift.deployed_auth
            if route is None or op is None or op.auth is None or deployed is None:
                continue
            where = api_label(drift.api)
            schemes = ", ".join(op.schemes)
            related = (RelatedStep(op.source, f"{op.method} {op.path} documented here"),)
            extra = _extra(
                drift,
                documented_security=list(op.schemes),
                deployed_auth=route.auth.kind.value,
                api_key_required=route.auth.api_key_required,
            )
            if op.auth == NONE:
                yield Violation(
                    drift.source,
                    f"{route.label} on {where} requires {_deployed_auth(route)} but {drift.spec.path} "
                    f"documents {op.method} {op.path} without security: the spec is out of date",
                    route.function or route.api,
                    severity=Severity.LOW,
                    related=related,
                    extra=extra,
                    snippet=f"{route.api} {route.label}",
                )
                continue
            needed = "an API key" if op.auth == API_KEY else "authentication"
            has = "requires only an API key" if deployed == API_KEY else "has no authentication"
            severity = Severity.MEDIUM
            if op.auth == AUTH and deployed == NONE and route.public is True:
                severity = Severity.HIGH
            yield Violation(
                drift.source,
                f"{route.label} on {where} {has} but {drift.spec.path} requires "
                f"{needed} ({schemes}) for {op.method} {op.path}: the deployed route is more open "
                "than documented",
                route.function or route.api,
                severity=severity,
                related=related,
                extra=extra,
                snippet=f"{route.api} {route.label}",
            )
