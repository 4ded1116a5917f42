"""Denial of wallet: doors that let anyone run up the bill, priced with `analysis.cost`.

Every finding about a function carries `extra` = {"usd_per_hour", "usd_per_day", "rate_cap",
"capped_by"} (rounded to cents) when the cost model can price it, and every finding carries
`app_usd_per_hour`, the whole application flooded at once within the account's shared limits.
With `settings.budget_usd_per_day` set, a priced finding is high above the budget, low below.
"""

from __future__ import annotations

from collections.abc import Iterator

from faasguard.analysis.cost import (
    Door,
    Exposure,
    NoFigure,
    app_usd_per_hour,
    function_exposure,
    money,
    public_doors,
    route_throttle,
    stage_cap,
)
from faasguard.findings import Category, Severity
from faasguard.model import Api, ApiKind, Application, Function, Route, Stage, TriggerKind
from faasguard.rules.base import Rule, RuleMeta, Violation
from faasguard.settings import Settings

# API Gateway's maximum integration timeout in seconds (REST 29 s, HTTP API 30 s). WebSocket
# routes are left out: their functions may keep working and push results over @connections.
_INTEGRATION_LIMIT = {TriggerKind.REST_API: 29, TriggerKind.HTTP_API: 30}
# Seconds past the integration limit that make a low (rather than medium) timeout finding.
_SMALL_OVERRUN = 5
_KIND_WORDS = {ApiKind.REST: "REST API", ApiKind.HTTP: "HTTP API", ApiKind.WEBSOCKET: "WebSocket API"}
_TRIGGER_WORDS = {TriggerKind.REST_API: "REST API", TriggerKind.HTTP_API: "HTTP API"}
_WAF_ASSOCIATIONS = ("AWS::WAFv2::WebACLAssociation", "AWS::WAFRegional::WebACLAssociation")


class _DowRule(Rule):
    """Shared helpers: the application total, prices in `extra`, severity by budget."""

    def _app_extra(self, app: Application) -> dict[str, object]:
        total = app_usd_per_hour(app, self.settings)
        return {"app_usd_per_hour": round(total, 2)} if total is not None else {}

    def _budget_severity(self, exposure: Exposure | NoFigure | None) -> Severity | None:
        return budget_severity(self.settings, exposure)


def budget_severity(settings: Settings, exposure: Exposure | NoFigure | None) -> Severity | None:
    """High above the declared daily budget, low below; None (the rule's default) without one."""
    if settings.budget_usd_per_day is None or not isinstance(exposure, Exposure):
        return None
    return Severity.HIGH if exposure.usd_per_day > settings.budget_usd_per_day else Severity.LOW


def _cost_words(flood: str, exposure: Exposure | NoFigure | None) -> str:
    """'a flood can cost up to $X per day (...)' or why no figure can be given."""
    if isinstance(exposure, Exposure):
        return f"{flood} can cost {exposure.summary()}"
    reason = f" ({exposure.reason})" if isinstance(exposure, NoFigure) else ""
    return f"the cost of {flood} cannot be estimated{reason}"


def _doors_words(doors: list[Door]) -> str:
    labels = [d.label for d in doors]
    if len(labels) > 3:
        return ", ".join(labels[:3]) + f" and {len(labels) - 3} more"
    return ", ".join(labels)


def _name(value: object) -> str:
    return value if isinstance(value, str) else "?"


def _api_words(api: Api) -> str:
    kind = _KIND_WORDS[api.kind]
    return f"the implicit {kind}" if api.implicit else f"{kind} {api.id}"


def _public_routes(app: Application, api: Api) -> list[Route]:
    return [r for r in app.routes if r.api == api.id and r.public is True and not r.preflight]


class PublicFunctionWithoutReservedConcurrency(_DowRule):
    """## What it does
    Flags a function reachable from the internet (an API route on a public API, or a Function
    URL with `AuthType: NONE`) that sets no reserved concurrency, and prices the worst flood.
    Doors open to anonymous callers (no authorizer, an API key only, an open Function URL) give
    a medium finding; a function reachable only through authenticated public routes gives a low
    one, since a flood then needs credentials.

    ## Why is this bad?
    Without reserved concurrency a flood can scale the function to the account's whole
    concurrency quota: you pay for every invocation, and every other function in the account and
    region is throttled while the flood lasts. The message gives the worst-case cost per day
    from the cost model (see `faasguard.analysis.cost`).

    ## Example
    ```yaml
    OrdersFunction:
      Type: AWS::Serverless::Function
      Properties:
        Events:
          Orders: {Type: Api, Properties: {Path: /orders, Method: get}}
    ```

    ## Use instead
    ```yaml
    OrdersFunction:
      Type: AWS::Serverless::Function
      Properties:
        ReservedConcurrentExecutions: 20
        Events:
          Orders: {Type: Api, Properties: {Path: /orders, Method: get}}
    ```

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
    - https://aws.amazon.com/lambda/pricing/
    """

    meta = RuleMeta(
        id="FG-DOW-001",
        category=Category.DENIAL_OF_WALLET,
        severity=Severity.MEDIUM,
        title="Public function without reserved concurrency",
        cwe=(400, 770),
        remediation={
            "sam": "Set `ReservedConcurrentExecutions` on the function (or in `Globals.Function`).",
            "cloudformation": "Set `ReservedConcurrentExecutions` on the AWS::Lambda::Function.",
            "serverless": "Set `reservedConcurrency:` on the function.",
            "terraform": "Set `reserved_concurrent_executions` on aws_lambda_function.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        app_extra: dict[str, object] | None = None
        for fn in app.functions:
            if fn.reserved_concurrency is not None:
                continue
            doors = public_doors(app, fn)
            if not doors:
                continue
            if app_extra is None:
                app_extra = self._app_extra(app)
            yield self._violation(app, fn, doors, app_extra)

    def _violation(
        self, app: Application, fn: Function, doors: list[Door], app_extra: dict[str, object]
    ) -> Violation:
        anonymous = [d for d in doors if d.anonymous]
        exposure = function_exposure(app, fn, self.settings)
        extra = {**(exposure.extra() if isinstance(exposure, Exposure) else {}), **app_extra}
        if anonymous:
            reach = f"anyone can call it through {_doors_words(anonymous)}"
            cost = _cost_words("a flood", exposure)
            severity = self._budget_severity(exposure)
        else:
            reach = f"authenticated callers reach it through {_doors_words(doors)}"
            cost = _cost_words("a flood by a caller holding credentials", exposure)
            severity = Severity.LOW
        return Violation(
            fn.loc("ReservedConcurrentExecutions"),
            f"{fn.id} has no reserved concurrency and {reach}: {cost}",
            resource=fn.id,
            severity=severity,
            extra=extra,
            snippet=f"{fn.id} reserved concurrency",
        )


class PublicStageWithoutThrottling(_DowRule):
    """## What it does
    Flags a stage of a public API (REST, HTTP or WebSocket) where some public route has no
    throttle: no stage-wide rate limit, no route (method) rate limit covering it, and, for
    methods that require an API key, no usage plan with a rate limit. A usage plan does not
    count for methods that need no key: it meters only the requests that carry one.

    ## Why is this bad?
    An unthrottled stage accepts requests up to API Gateway's account-level limit (10,000 per
    second by default, shared by every API in the account and region). A flood is billed per
    request, runs the functions behind the routes, and starves the account's other APIs.

    ## Example
    ```yaml
    Api:
      Type: AWS::Serverless::Api
      Properties:
        StageName: prod
    ```

    ## Use instead
    ```yaml
    Api:
      Type: AWS::Serverless::Api
      Properties:
        StageName: prod
        MethodSettings:
          - {HttpMethod: "*", ResourcePath: "/*", ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100}
    ```

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
    """

    meta = RuleMeta(
        id="FG-DOW-002",
        category=Category.DENIAL_OF_WALLET,
        severity=Severity.MEDIUM,
        title="Public API stage without throttling",
        cwe=(770,),
        remediation={
            "sam": "Add `MethodSettings` with `ThrottlingRateLimit` (Api) or `DefaultRouteSettings` "
            "with `ThrottlingRateLimit` (HttpApi).",
            "cloudformation": "Set `MethodSettings` throttling on the AWS::ApiGateway::Stage, or "
            "`DefaultRouteSettings.ThrottlingRateLimit` on the AWS::ApiGatewayV2::Stage.",
            "serverless": "Set `provider.apiGateway.throttle` / per-endpoint `throttling`, or a usage plan "
            "for `private: true` endpoints.",
            "terraform": "Set `throttling_rate_limit` in aws_api_gateway_method_settings, or "
            "`default_route_settings` on aws_apigatewayv2_stage.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        app_extra: dict[str, object] | None = None
        for api in app.apis:
            routes = _public_routes(app, api)
            if not routes or api.private:
                continue
            for stage in api.stages:
                open_routes = self._unthrottled(app, api, stage, routes)
                if open_routes is None or not open_routes:
                    continue
                if app_extra is None:
                    app_extra = self._app_extra(app)
                yield self._violation(app, api, stage, routes, open_routes, app_extra)

    def _unthrottled(
        self, app: Application, api: Api, stage: Stage, routes: list[Route]
    ) -> list[Route] | None:
        """The public routes no throttle covers in this stage; None when a rate is unknown."""
        out = []
        for route in routes:
            if route.stage is not None and route.stage != stage.name:
                continue
            cap = stage_cap(app, api, stage, route)
            if cap.uncertain:
                return None
            if cap.rate is None:
                out.append(route)
        return out

    def _violation(
        self,
        app: Application,
        api: Api,
        stage: Stage,
        routes: list[Route],
        open_routes: list[Route],
        app_extra: dict[str, object],
    ) -> Violation:
        worst = _worst_exposure(app, {r.function for r in open_routes if r.function}, self.settings)
        partly = any(route_throttle(stage, r) is not None for r in routes)
        what = (
            f"{len(open_routes)} of its {len(routes)} public routes have no throttle"
            if partly or len(open_routes) < len(routes)
            else "it sets no throttle"
        )
        cost = f"; the dearest function behind it can cost {worst.summary()}" if worst else ""
        extra = {**(worst.extra() if worst else {}), **app_extra}
        return Violation(
            stage.loc("MethodSettings", "DefaultRouteSettings", "RouteSettings"),
            f"Stage {_name(stage.name)} of {_api_words(api)} is public and {what}: requests are "
            f"limited only by the account-wide API Gateway limit{cost}",
            resource=api.id,
            severity=self._budget_severity(worst),
            extra=extra,
            snippet=f"{api.id} {_name(stage.name)} throttle",
        )


def _worst_exposure(app: Application, functions: set[str], settings: Settings) -> Exposure | None:
    figures = []
    for fid in sorted(functions):
        fn = app.function(fid)
        exposure = function_exposure(app, fn, settings) if fn is not None else None
        if isinstance(exposure, Exposure):
            figures.append(exposure)
    return max(figures, key=lambda e: e.usd_per_hour) if figures else None


class PublicRestStageWithoutWaf(_DowRule):
    """## What it does
    Flags a stage of a public REST API with no AWS WAF web ACL associated
    (`AWS::WAFv2::WebACLAssociation` naming the API). HTTP APIs and Function URLs are never
    flagged: WAF cannot be attached to them. When the template associates a web ACL with
    something the scanner cannot resolve, the rule stays silent.

    ## Why is this bad?
    Throttling caps the rate for everyone together; a WAF rate-based rule blocks the addresses
    that flood, so legitimate callers keep working, and managed rule groups stop known bad
    traffic before it is billed as an invocation.

    ## Example
    ```yaml
    Api:
      Type: AWS::Serverless::Api
      Properties: {StageName: prod}
    ```

    ## Use instead
    ```yaml
    WebAclAssociation:
      Type: AWS::WAFv2::WebACLAssociation
      Properties:
        ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/prod
        WebACLArn: !GetAtt RateLimitAcl.Arn
    ```

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html
    - https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
    """

    meta = RuleMeta(
        id="FG-DOW-003",
        category=Category.DENIAL_OF_WALLET,
        severity=Severity.LOW,
        title="Public REST API stage without WAF",
        cwe=(770,),
        remediation={
            "sam": "Add an AWS::WAFv2::WebACL with a rate-based rule and an AWS::WAFv2::WebACLAssociation "
            "for the stage ARN.",
            "cloudformation": "Add an AWS::WAFv2::WebACLAssociation from a regional web ACL with a "
            "rate-based rule to the stage.",
            "serverless": "Add the web ACL and association under `resources:` (or a WAF plugin).",
            "terraform": "Add aws_wafv2_web_acl_association with the stage ARN.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        if any(app.resource_types.get(rid) in _WAF_ASSOCIATIONS for rid in app.resource_types) and not any(
            s.waf for a in app.apis for s in a.stages
        ):
            return  # an association the loader could not attribute: cannot say which API it covers
        app_extra: dict[str, object] | None = None
        for api in app.apis:
            if api.kind is not ApiKind.REST or api.private or not _public_routes(app, api):
                continue
            for stage in api.stages:
                if stage.waf:
                    continue
                if app_extra is None:
                    app_extra = self._app_extra(app)
                yield Violation(
                    stage.source,
                    f"Stage {_name(stage.name)} of {_api_words(api)} is public and has no WAF web ACL: "
                    "nothing can block the addresses that flood it",
                    resource=api.id,
                    extra=app_extra,
                    snippet=f"{api.id} {_name(stage.name)} waf",
                )


class ApiFunctionTimeoutBeyondIntegration(_DowRule):
    """## What it does
    Flags a function triggered only by API Gateway REST or HTTP APIs whose timeout is longer
    than the API's integration limit: 29 seconds for REST APIs, 30 seconds for HTTP APIs. The
    finding points at the `Timeout` property (also when it comes from `Globals`). Functions
    with other triggers as well (a queue, a Function URL, a WebSocket route, whose function may
    keep working and push results over the `@connections` API) are left alone: they may need
    the longer timeout there. So are Lambda durable functions (`DurableConfig`), which an API
    starts asynchronously as a rule. Asynchronous integrations (`X-Amz-Invocation-Type: Event`)
    and streamed REST responses are not visible in the model yet and are reported too.

    ## Why is this bad?
    When the integration times out, API Gateway answers the caller with an error (a 504 for
    HTTP) but the function keeps running, and billing, until its own timeout. A slow request
    repeated by a flood pays for every second nobody is waiting for. A timeout at most 5 s past
    the limit (the common `Timeout: 30` on a REST API) wastes little and is reported as low.

    ## Example
    ```yaml
    Globals:
      Function:
        Timeout: 300
    ```

    ## Use instead
    ```yaml
    Globals:
      Function:
        Timeout: 28
    ```
    For longer work, return early and hand the job to a queue or a state machine. (Regional
    REST APIs can raise the integration timeout through a quota increase, and streamed REST
    responses may run longer; the model does not record integration timeouts or response
    streaming yet, so such integrations are reported too: align the function's timeout with
    the integration's.)

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
    """

    meta = RuleMeta(
        id="FG-DOW-004",
        category=Category.DENIAL_OF_WALLET,
        severity=Severity.MEDIUM,
        title="API function timeout beyond the integration limit",
        cwe=(400,),
        remediation={
            "sam": "Set the function's `Timeout` (or `Globals.Function.Timeout`) to at most 29 (REST) or 30 "
            "(HTTP API) seconds.",
            "cloudformation": "Set `Timeout` on the AWS::Lambda::Function to at most the integration "
            "timeout.",
            "serverless": "Set `timeout:` on the function to at most 29 (REST) or 30 (HTTP API) seconds.",
            "terraform": "Set `timeout` on aws_lambda_function to at most the integration timeout.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        app_extra: dict[str, object] | None = None
        for fn in app.functions:
            if not isinstance(fn.timeout, int) or isinstance(fn.timeout, bool):
                continue
            if "DurableConfig" in fn.props:
                continue  # durable functions behind an API are invoked asynchronously, as a rule
            triggers = app.triggers_of(fn.id)
            if not triggers or any(t.kind not in _INTEGRATION_LIMIT for t in triggers):
                continue
            kind, limit = min(
                ((t.kind, _INTEGRATION_LIMIT[t.kind]) for t in triggers), key=lambda item: item[1]
            )
            if fn.timeout <= limit:
                continue
            if app_extra is None:
                app_extra = self._app_extra(app)
            exposure = function_exposure(app, fn, self.settings)
            overrun = fn.timeout - limit
            yield Violation(
                fn.loc("Timeout"),
                f"{fn.id} has Timeout {fn.timeout} s but its {_TRIGGER_WORDS[kind]} stops waiting after "
                f"{limit} s: the function can run on, and bill, for {overrun} s after the caller got a "
                "timeout error",
                resource=fn.id,
                # A few seconds past the limit wastes little; the budget decides only for real overruns.
                severity=Severity.LOW if overrun <= _SMALL_OVERRUN else self._budget_severity(exposure),
                extra={**(exposure.extra() if isinstance(exposure, Exposure) else {}), **app_extra},
                snippet=f"{fn.id} timeout",
            )


class NoBudgetForPublicApp(_DowRule):
    """## What it does
    Reports, once per application, that the template declares no `AWS::Budgets::Budget` while
    it deploys functions reachable from the internet. Informational: budgets are often managed
    for the whole account elsewhere.

    ## Why is this bad?
    A budget with an alert is how a flood is noticed before the invoice arrives. Without one, a
    denial-of-wallet attack shows up only on the bill.

    ## Example
    A template with a public API and no budget.

    ## Use instead
    ```yaml
    Budget:
      Type: AWS::Budgets::Budget
      Properties:
        Budget:
          BudgetType: COST
          TimeUnit: DAILY
          BudgetLimit: {Amount: 20, Unit: USD}
        NotificationsWithSubscribers:
          - Notification: {NotificationType: ACTUAL, ComparisonOperator: GREATER_THAN, Threshold: 80}
            Subscribers: [{SubscriptionType: EMAIL, Address: ops@example.com}]
    ```

    ## References
    - https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-managing-costs.html
    """

    meta = RuleMeta(
        id="FG-DOW-005",
        category=Category.DENIAL_OF_WALLET,
        severity=Severity.INFO,
        title="No budget for an application with public functions",
        cwe=(400,),
        remediation={
            "sam": "Add an AWS::Budgets::Budget with a notification (or manage one for the account).",
            "cloudformation": "Add an AWS::Budgets::Budget with NotificationsWithSubscribers.",
            "serverless": "Add an AWS::Budgets::Budget under `resources:`.",
            "terraform": "Add aws_budgets_budget with a notification block.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        if app.budgets:
            return
        public = [fn.id for fn in app.functions if public_doors(app, fn)]
        if not public:
            return
        total = app_usd_per_hour(app, self.settings)
        cost = f": flooded together they can cost up to {money(total * 24)} per day" if total else ""
        names = ", ".join(public[:3]) + (f" and {len(public) - 3} more" if len(public) > 3 else "")
        yield Violation(
            app.source,
            f"No AWS::Budgets::Budget in an application with public functions ({names}){cost}",
            resource="",
            extra={"app_usd_per_hour": round(total, 2)} if total is not None else {},
            snippet="no budget",
        )


__all__ = [
    "ApiFunctionTimeoutBeyondIntegration",
    "NoBudgetForPublicApp",
    "PublicFunctionWithoutReservedConcurrency",
    "PublicRestStageWithoutWaf",
    "PublicStageWithoutThrottling",
]
