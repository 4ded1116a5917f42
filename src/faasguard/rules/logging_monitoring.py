"""Logging and monitoring: what an incident responder would need and not find."""

from __future__ import annotations

from collections.abc import Iterator

from faasguard.findings import Category, Severity
from faasguard.model import (
    Alarm,
    Api,
    ApiKind,
    Application,
    Function,
    LogGroup,
    SourceRef,
    Stage,
    TriggerKind,
    Unknown,
)
from faasguard.rules.base import Rule, RuleMeta, Violation


def text(value: object) -> str:
    """A model value for a message: the string, or "?" when it could not be resolved."""
    return value if isinstance(value, str) else "?"


def fn_label(fn: Function) -> str:
    """The function's name for a message; its logical id when the name holds unresolved parts."""
    name = fn.name
    return name if isinstance(name, str) and name and "${" not in name else fn.id


def names(fns: list[Function]) -> str:
    """Function names for a message: "A", "A and B", "A, B and 3 more functions"."""
    labels = [fn_label(f) for f in fns]
    if len(labels) <= 3:
        return ", ".join(labels[:-1]) + (" and " if len(labels) > 1 else "") + labels[-1]
    return f"{', '.join(labels[:2])} and {len(labels) - 2} more functions"


def api_label(api: Api) -> str:
    return f"the implicit API {api.id}" if api.implicit else f"API {api.id}"


def inside(ref: SourceRef, outer: SourceRef) -> bool:
    """True when `ref` lies within the lines of `outer` (an event inside its function)."""
    end = outer.end_line or outer.line
    return ref.path == outer.path and outer.line <= ref.line <= end


class FunctionWithoutTracing(Rule):
    """## What it does
    Flags a function without X-Ray active tracing (`Tracing: Active` / `TracingConfig.Mode:
    Active`). Functions that share one `Tracing` line (SAM `Globals`) are reported once there.

    ## Why is this bad?
    Without traces, a request that fans out through API Gateway, Lambda, queues and databases
    can't be followed: investigating an incident or an abuse pattern means stitching logs by
    hand, and slow or failing downstream calls stay invisible.

    ## Example
    ```yaml
    OrdersFunction:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: python3.13
    ```

    ## Use instead
    ```yaml
    Globals:
      Function:
        Tracing: Active
    ```

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
    """

    meta = RuleMeta(
        id="FG-LOG-001",
        category=Category.LOGGING_MONITORING,
        severity=Severity.LOW,
        title="Function without X-Ray tracing",
        cwe=(778,),
        remediation={
            "sam": "Set `Tracing: Active` on the function or in `Globals.Function`.",
            "cloudformation": "Set `TracingConfig: {Mode: Active}` on the AWS::Lambda::Function.",
            "serverless": "Set `provider.tracing.lambda: true`.",
            "terraform": 'Add `tracing_config { mode = "Active" }` to aws_lambda_function.',
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        groups: dict[SourceRef, list[Function]] = {}
        for fn in app.functions:
            if fn.tracing is False:
                groups.setdefault(fn.loc("Tracing", "TracingConfig.Mode", "TracingConfig"), []).append(fn)
        for where, fns in groups.items():
            yield Violation(
                where, f"{names(fns)} {'has' if len(fns) == 1 else 'have'} no active X-Ray tracing", fns[0].id
            )


class RestStageWithoutTracing(Rule):
    """## What it does
    Flags a REST API stage without X-Ray tracing (`TracingEnabled`). HTTP and WebSocket APIs
    do not support X-Ray and are never flagged.

    ## Why is this bad?
    The API stage is where a request enters; without its trace segment, latency and errors
    introduced by API Gateway itself (authorizers, integrations, throttling) can't be told
    apart from the function's, and a request can't be followed from the edge.

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
        TracingEnabled: true
    ```

    ## References
    - https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html
    """

    meta = RuleMeta(
        id="FG-LOG-002",
        category=Category.LOGGING_MONITORING,
        severity=Severity.LOW,
        title="REST API stage without X-Ray tracing",
        cwe=(778,),
        remediation={
            "sam": "Set `TracingEnabled: true` on the AWS::Serverless::Api (or `Globals.Api`).",
            "cloudformation": "Set `TracingEnabled: true` on the AWS::ApiGateway::Stage.",
            "serverless": "Set `provider.tracing.apiGateway: true`.",
            "terraform": "Set `xray_tracing_enabled = true` on aws_api_gateway_stage.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for api in app.apis:
            if api.kind is not ApiKind.REST:
                continue
            for stage in api.stages:
                if stage.tracing is False:
                    yield Violation(
                        stage.loc("TracingEnabled"),
                        f"Stage {text(stage.name)} of {api_label(api)} has X-Ray tracing off",
                        api.id,
                        snippet=f"{api.id} {text(stage.name)}",
                    )


class LogGroupWithoutRetention(Rule):
    """## What it does
    Flags a function whose CloudWatch log group keeps logs forever: the template declares the
    function's log group (named `/aws/lambda/<function>` or given in `LoggingConfig`) without
    `RetentionInDays` (medium, at the log group), or declares none at all, so Lambda creates
    one on first invocation that never expires (low, at the function).

    A function whose `LoggingConfig` names a log group the template doesn't define, or an app
    with CDK `logRetention` custom resources, is skipped: its retention can't be read here.

    ## Why is this bad?
    Logs that never expire accumulate personal data, tokens and request payloads with no end
    date (a data-protection problem), and their storage cost grows without bound. A log group
    created implicitly by Lambda is also outside the stack: it survives stack deletion and no
    template controls its encryption or retention.

    ## Example
    ```yaml
    OrdersLogs:
      Type: AWS::Logs::LogGroup
      Properties:
        LogGroupName: !Sub /aws/lambda/${OrdersFunction}
    ```

    ## Use instead
    ```yaml
    OrdersLogs:
      Type: AWS::Logs::LogGroup
      Properties:
        LogGroupName: !Sub /aws/lambda/${OrdersFunction}
        RetentionInDays: 30
    ```

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html
    """

    meta = RuleMeta(
        id="FG-LOG-003",
        category=Category.LOGGING_MONITORING,
        severity=Severity.MEDIUM,
        title="Function log group without retention",
        remediation={
            "sam": "Declare an AWS::Logs::LogGroup named `!Sub /aws/lambda/${Function}` with "
            "`RetentionInDays`.",
            "cloudformation": "Declare the function's AWS::Logs::LogGroup with `RetentionInDays`.",
            "serverless": "Set `provider.logRetentionInDays`.",
            "terraform": "Declare aws_cloudwatch_log_group `/aws/lambda/<name>` with `retention_in_days`.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        by_id = {g.id: g for g in app.log_groups}
        by_function = {g.function: g for g in app.log_groups if g.function is not None}
        undecidable = self._undecidable(app)
        reported: set[str] = set()
        for fn in app.functions:
            group = by_id.get(fn.log_group) if fn.log_group else by_function.get(fn.id)
            if group is not None:
                if group.retention_days is None and group.id not in reported:
                    reported.add(group.id)
                    yield Violation(
                        group.loc("RetentionInDays"),
                        f"Log group {group.id} of {fn_label(fn)} has no RetentionInDays: "
                        "its logs are kept forever",
                        group.id,
                    )
                continue
            if undecidable or "LoggingConfig" in fn.props:
                continue
            yield Violation(
                fn.source,
                f"No log group is declared for {fn_label(fn)}: Lambda creates one on first "
                "invocation that keeps logs forever",
                fn.id,
                severity=Severity.LOW,
            )

    @staticmethod
    def _undecidable(app: Application) -> bool:
        """True when some log group may belong to a function without the model linking it."""
        if "Custom::LogRetention" in app.resource_types.values():  # CDK logRetention
            return True
        return any(_maybe_function_group(g) for g in app.log_groups if g.function is None)


def _maybe_function_group(group: LogGroup) -> bool:
    name = group.name
    if isinstance(name, Unknown):
        return True
    return isinstance(name, str) and name.startswith("/aws/lambda/") and "${" in name


class StageWithoutAccessLogging(Rule):
    """## What it does
    Flags a REST, HTTP or WebSocket API stage with no access logging (`AccessLogSetting` /
    `AccessLogSettings` with a `DestinationArn`).

    ## Why is this bad?
    Access logs are the record of who called which route, when, from where and with what
    result. Without them, credential stuffing, scraping, floods and the reach of a breach can't
    be investigated; function logs only show the requests that got through.

    ## Example
    ```yaml
    Api:
      Type: AWS::Serverless::HttpApi
      Properties:
        StageName: prod
    ```

    ## Use instead
    ```yaml
    Api:
      Type: AWS::Serverless::HttpApi
      Properties:
        StageName: prod
        AccessLogSettings:
          DestinationArn: !GetAtt ApiLogs.Arn
          Format: '$context.requestId $context.identity.sourceIp $context.routeKey $context.status'
    ```

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
    """

    meta = RuleMeta(
        id="FG-LOG-004",
        category=Category.LOGGING_MONITORING,
        severity=Severity.MEDIUM,
        title="API stage without access logging",
        cwe=(778,),
        remediation={
            "sam": "Set `AccessLogSetting` (Api) or `AccessLogSettings` (HttpApi) with a `DestinationArn`.",
            "cloudformation": "Set `AccessLogSetting` (ApiGateway::Stage) or `AccessLogSettings` "
            "(ApiGatewayV2::Stage) with a `DestinationArn`.",
            "serverless": "Set `provider.logs.restApi` / `.httpApi` / `.websocket`.",
            "terraform": "Add an `access_log_settings` block to the stage.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for api in app.apis:
            for stage in api.stages:
                if stage.access_logging is False:
                    yield Violation(
                        _access_log_loc(stage),
                        f"Stage {text(stage.name)} of {api_label(api)} ({api.kind.value}) has no "
                        "access logging",
                        api.id,
                        snippet=f"{api.id} {text(stage.name)}",
                    )


def _access_log_loc(stage: Stage) -> SourceRef:
    return stage.loc("AccessLogSetting", "AccessLogSettings")


class AsyncWithoutFailureDestination(Rule):
    """## What it does
    Flags a function invoked asynchronously (S3, SNS, EventBridge, schedules, CloudWatch Logs,
    IoT) that has neither a dead-letter queue nor an on-failure destination.

    ## Why is this bad?
    Lambda retries an asynchronous event twice, then drops it. Without a DLQ or on-failure
    destination the failed events (orders, uploads, alerts) are lost with no record, and a
    poison message or an attack that makes the function fail leaves no trace to replay or study.

    ## Example
    ```yaml
    Events:
      Upload:
        Type: S3
        Properties: {Bucket: !Ref Uploads, Events: s3:ObjectCreated:*}
    ```

    ## Use instead
    ```yaml
    EventInvokeConfig:
      DestinationConfig:
        OnFailure:
          Type: SQS
          Destination: !GetAtt FailedEvents.Arn
    ```

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    """

    meta = RuleMeta(
        id="FG-LOG-005",
        category=Category.LOGGING_MONITORING,
        severity=Severity.MEDIUM,
        title="Async-triggered function without DLQ or on-failure destination",
        cwe=(755,),
        remediation={
            "sam": "Set `EventInvokeConfig.DestinationConfig.OnFailure` or `DeadLetterQueue`.",
            "cloudformation": "Add an AWS::Lambda::EventInvokeConfig with `DestinationConfig.OnFailure`, "
            "or set `DeadLetterConfig.TargetArn`.",
            "serverless": "Set `destinations.onFailure` (or `onError`) on the function.",
            "terraform": "Add aws_lambda_function_event_invoke_config with "
            "`destination_config { on_failure }`.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for fn in app.functions:
            if fn.dlq is not None or fn.on_failure is not None:
                continue
            events = [t for t in app.triggers_of(fn.id) if t.kind.is_async]
            if not events:
                continue
            kinds = ", ".join(sorted({t.kind.value for t in events}))
            where = fn.loc("EventInvokeConfig")
            if where == fn.source:
                inner = [t.source for t in events if inside(t.source, fn.source)]
                where = inner[0] if inner else fn.source
            yield Violation(
                where,
                f"{fn_label(fn)} is invoked asynchronously ({kinds}) with no dead-letter queue or "
                "on-failure destination: events that still fail after Lambda's retries are dropped",
                fn.id,
            )


_ALARM_METRICS = ("Errors", "Throttles")


def alarm_covers(alarm: Alarm, fn: Function) -> bool:
    """True when the alarm watches the function's errors or throttles (or may: unresolved values)."""
    if isinstance(alarm.namespace, Unknown) or isinstance(alarm.metric, Unknown):
        return True
    if alarm.namespace != "AWS/Lambda" or alarm.metric not in _ALARM_METRICS:
        return False
    if "FunctionName" not in alarm.dimensions:
        return True  # an account-wide Lambda alarm
    value = alarm.dimensions["FunctionName"]
    if not isinstance(value, str):
        return True
    return value == fn.id or (isinstance(fn.name, str) and value == fn.name)


def public_reason(app: Application, fn: Function) -> str | None:
    """Why the function is reachable from the internet, or None."""
    if fn.url is not None and fn.url.auth_type == "NONE":
        return "Function URL with AuthType NONE"
    for t in app.triggers_of(fn.id):
        if t.public is True and t.kind is not TriggerKind.FUNCTION_URL:
            route = t.details.get("route")
            return (
                f"public {t.kind.value} route {route}" if isinstance(route, str) else f"public {t.kind.value}"
            )
    return None


class PublicFunctionWithoutAlarm(Rule):
    """## What it does
    Flags a function reachable from the internet (a public API route or a Function URL with
    `AuthType: NONE`) when no CloudWatch alarm watches its `Errors` or `Throttles` (namespace
    `AWS/Lambda`, dimension `FunctionName` naming it, or no `FunctionName`: an account-wide
    alarm).

    ## Why is this bad?
    A public function is where floods, fuzzing and exploitation attempts land. Errors and
    throttles are the first signal of them (and of an outage they cause); with no alarm nobody
    is told, and the bill or the breach is found weeks later.

    ## Example
    A public `HttpApi` route to `OrdersFunction` and no `AWS::CloudWatch::Alarm` for it.

    ## Use instead
    ```yaml
    OrdersErrors:
      Type: AWS::CloudWatch::Alarm
      Properties:
        Namespace: AWS/Lambda
        MetricName: Errors
        Dimensions: [{Name: FunctionName, Value: !Ref OrdersFunction}]
        Statistic: Sum
        Period: 60
        EvaluationPeriods: 1
        Threshold: 1
        ComparisonOperator: GreaterThanOrEqualToThreshold
    ```

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
    """

    meta = RuleMeta(
        id="FG-LOG-006",
        category=Category.LOGGING_MONITORING,
        severity=Severity.LOW,
        title="No alarm on a public function's errors or throttles",
        cwe=(778,),
        remediation={
            "sam": "Add an AWS::CloudWatch::Alarm on AWS/Lambda Errors (and Throttles) with "
            "`Dimensions: [{Name: FunctionName, Value: !Ref Function}]`.",
            "cloudformation": "Add an AWS::CloudWatch::Alarm on AWS/Lambda Errors / Throttles for it.",
            "serverless": "Declare an AWS::CloudWatch::Alarm under `resources` (or use a plugin).",
            "terraform": "Add aws_cloudwatch_metric_alarm on AWS/Lambda Errors / Throttles for it.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for fn in app.functions:
            reason = public_reason(app, fn)
            if reason is None or any(alarm_covers(a, fn) for a in app.alarms):
                continue
            yield Violation(
                fn.source,
                f"{fn_label(fn)} is reachable from the internet ({reason}) but no CloudWatch alarm "
                "watches its Errors or Throttles",
                fn.id,
                snippet=fn.id,
            )


_BASELINE_TYPES = (
    "AWS::Config::ConfigurationRecorder",
    "AWS::GuardDuty::Detector",
    "AWS::SecurityHub::Hub",
    "AWS::AccessAnalyzer::Analyzer",
    "AWS::Budgets::Budget",
)


def _is_baseline(rtype: str) -> bool:
    return rtype in _BASELINE_TYPES or rtype.startswith("AWS::Organizations::")


class NoCloudTrail(Rule):
    """## What it does
    Flags a template that sets up an account baseline (AWS Config, GuardDuty, Security Hub,
    IAM Access Analyzer, Organizations or Budgets resources) but declares no CloudTrail trail.

    ## Why is this bad?
    CloudTrail is the audit log of every API call in the account: who changed a role, deleted a
    bucket or invoked a function's configuration update. A baseline without a trail (beyond the
    90-day event history) leaves nothing to investigate an incident with.

    ## Example
    A template with `AWS::GuardDuty::Detector` and `AWS::Config::ConfigurationRecorder` only.

    ## Use instead
    ```yaml
    Trail:
      Type: AWS::CloudTrail::Trail
      Properties:
        IsLogging: true
        IsMultiRegionTrail: true
        EnableLogFileValidation: true
        S3BucketName: !Ref TrailBucket
    ```

    ## References
    - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html
    """

    meta = RuleMeta(
        id="FG-LOG-007",
        category=Category.LOGGING_MONITORING,
        severity=Severity.INFO,
        title="Account baseline without CloudTrail",
        cwe=(778,),
        remediation={
            "sam": "Declare an AWS::CloudTrail::Trail (multi-region, log file validation on).",
            "cloudformation": "Declare an AWS::CloudTrail::Trail (multi-region, log file validation on).",
            "serverless": "Declare an AWS::CloudTrail::Trail under `resources`.",
            "terraform": "Declare aws_cloudtrail with `is_multi_region_trail = true`.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        types = app.resource_types
        if app.trails or "AWS::CloudTrail::Trail" in types.values():
            return
        baseline = [(rid, rtype) for rid, rtype in types.items() if _is_baseline(rtype)]
        if not baseline:
            return
        rid, rtype = baseline[0]
        yield Violation(
            app.source,
            f"The template sets up an account baseline ({rtype} {rid}) but declares no CloudTrail trail",
            rid,
        )
