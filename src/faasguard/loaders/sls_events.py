"""Serverless Framework events and the APIs they create, into the model.

`http` (the REST API `ApiGatewayRestApi`), `httpApi` (`HttpApi`, stage `$default`), `websocket`
(`WebsocketsApi`), `alb`, `s3`, `sqs`, `sns`, `stream` (DynamoDB and Kinesis), `schedule`,
`eventBridge` / `cloudwatchEvent`, `cloudwatchLog`, `cognitoUserPool`, `iot`, Alexa, Kafka and MQ
sources; the permissions the Framework adds for push sources and the statements it adds to the
role it generates for pollers; custom domains of serverless-domain-manager and throttles of
serverless-api-gateway-throttling when those plugins are listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from faasguard.loaders.build import ApiDraft, RouteDraft
from faasguard.loaders.cfn_resources import HANDLERS, HTTP_API_TYPES, REST_API_TYPES, _throttle, d
from faasguard.loaders.nodes import LMap, line_of
from faasguard.loaders.policy_doc import parse_statement
from faasguard.loaders.sls_vars import file_of
from faasguard.model import (
    ApiKind,
    Application,
    Auth,
    AuthKind,
    Permission,
    Policy,
    Route,
    SourceRef,
    Stage,
    StoreKind,
    Throttle,
    Trigger,
    TriggerKind,
    Unknown,
    UsagePlan,
)

if TYPE_CHECKING:
    from faasguard.loaders.serverless import _Service

from faasguard.loaders.serverless import (
    HTTP_API,
    REST_API,
    WEBSOCKET_API,
    alphanumeric,
    as_list,
    normalize,
    truthy,
)

EventHandler = Callable[["_Service", str, str, Any, LMap, SourceRef, LMap], None]

_EXECUTE_API = "arn:aws:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/*"


def compile_events(s: _Service, functions: LMap) -> None:
    for fid, (name, spec, _key) in list(s.function_nodes.items()):
        if fid not in s.b.functions:
            continue
        events = spec.get("events")
        if isinstance(events, Unknown):
            s.b.unknowns += 1
            continue
        for item in as_list(events):
            if isinstance(item, str):  # `- http` with no settings: nothing to model
                continue
            if not isinstance(item, LMap) or not item:
                continue
            etype = str(next(iter(item)))
            value = item[etype]
            where = s.ref(item)
            handler = _EVENTS.get(etype)
            if handler is None:
                s.b.triggers.append(Trigger(TriggerKind.OTHER, fid, where, None, details={"event": etype}))
                continue
            handler(s, fid, name, value, item, where, functions)
    _custom_domains(s)


def _permission(
    s: _Service,
    fid: str,
    suffix: str,
    principal: str,
    where: SourceRef,
    source_arn: object,
    account: bool = False,
) -> None:
    pid = f"{fid[: -len('LambdaFunction')]}LambdaPermission{suffix}"
    if any(p.id == pid for p in s.b.permissions):
        return
    s.b.permissions.append(
        Permission(
            pid,
            fid,
            "lambda:InvokeFunction",
            principal,
            where,
            source_arn=s.text(source_arn) if source_arn is not None else None,
            source_account="${AWS::AccountId}" if account else None,
            implicit=True,
        )
    )


def _fn_ref(name: object, functions: LMap) -> str | None:
    """The logical id of a function of this service named `name`."""
    if isinstance(name, str) and name in functions:
        return normalize(name) + "LambdaFunction"
    return None


# --- REST API (http) ----------------------------------------------------------------------------


def _provider_ref(s: _Service) -> SourceRef:
    return s.key_ref(s.cfg, "provider", SourceRef(s.rel, 1, 1))


def _plugin_throttle(s: _Service) -> tuple[Throttle | None, SourceRef | None]:
    if not s.has_plugin("serverless-api-gateway-throttling"):
        return None, None
    custom = d(s.cfg.get("custom"))
    cfg = custom.get("apiGatewayThrottling")
    if not isinstance(cfg, LMap):
        return None, None
    where = s.key_ref(custom, "apiGatewayThrottling")
    return _throttle(s.b, cfg, "maxRequestsPerSecond", "maxConcurrentRequests", where), where


def rest_api(s: _Service) -> str | None:
    """The REST API http events go to (created on first use); None when it is defined elsewhere."""
    if "rest" in s.api_state:
        return s.api_state["rest"]
    prov = s.provider
    apigw = d(prov.get("apiGateway"))
    if "restApiId" in apigw:
        rid = s.b.target_id(apigw.get("restApiId"), REST_API_TYPES)
        found = rid if rid is not None and rid in s.b.apis else None
        if found is not None and not s.b.apis[found].stages:
            s.b.apis[found].stages[s.stage] = Stage(s.stage, s.key_ref(apigw, "restApiId"))
        s.api_state["rest"] = found
        return found
    own = _provider_ref(s)
    endpoint = prov.get("endpointType")
    endpoint_text = s.text(endpoint) if endpoint is not None else "EDGE"
    name = prov.get("apiName", apigw.get("restApiName", f"{s.stage}-{s.service}"))
    api = ApiDraft(
        REST_API,
        ApiKind.REST,
        own,
        name=s.text(name),
        endpoint_type=endpoint_text.upper() if isinstance(endpoint_text, str) else endpoint_text,
        implicit=True,
        disable_execute_api_endpoint=s.b.flag(apigw.get("disableDefaultEndpoint")),
        props={},
    )
    if "disableDefaultEndpoint" in apigw:
        api.props["DisableExecuteApiEndpoint"] = s.key_ref(apigw, "disableDefaultEndpoint")
    if "endpointType" in prov:
        api.props["EndpointConfiguration"] = s.key_ref(prov, "endpointType")
    policy_owner, policy_key = (
        (apigw, "resourcePolicy") if "resourcePolicy" in apigw else (prov, "resourcePolicy")
    )
    if policy_key in policy_owner:
        where = s.key_ref(policy_owner, policy_key)
        stmts = tuple(
            parse_statement(st, file_of(st, where.path), where.line)
            for st in as_list(policy_owner[policy_key])
            if isinstance(st, LMap)
        )
        api.resource_policy = Policy("ResourcePolicy", where, stmts, origin="resource-policy")
        api.props["Policy"] = where
    props: dict[str, SourceRef] = {}
    tracing_cfg = d(prov.get("tracing"))
    if "apiGateway" in tracing_cfg:
        props["TracingEnabled"] = s.key_ref(tracing_cfg, "apiGateway")
    logs = d(prov.get("logs"))
    rest_logs = logs.get("restApi")
    if "restApi" in logs:
        props["AccessLogSetting"] = s.key_ref(logs, "restApi")
    throttle, twhere = _plugin_throttle(s)
    if twhere is not None:
        props["MethodSettings"] = twhere
    api.stages[s.stage] = Stage(
        s.stage,
        own,
        tracing=truthy(tracing_cfg.get("apiGateway")),
        access_logging=rest_logs is True
        or (isinstance(rest_logs, LMap) and rest_logs.get("accessLogging") is not False),
        throttle=throttle,
        props=props,
    )
    _usage_plans(s, apigw, prov)
    s.b.apis[REST_API] = api
    s.api_state["rest"] = REST_API
    return REST_API


def _usage_plans(s: _Service, apigw: LMap, prov: LMap) -> None:
    owner = apigw if "usagePlan" in apigw or "apiKeys" in apigw else prov
    plans = owner.get("usagePlan")
    if plans is None and owner.get("apiKeys") is None:
        return
    entries: list[tuple[str, LMap, SourceRef]] = []
    where = s.key_ref(owner, "usagePlan" if "usagePlan" in owner else "apiKeys")
    if isinstance(plans, LMap):
        entries.append(("", plans, where))
    elif isinstance(plans, list):
        for item in plans:
            for name, spec in item.items() if isinstance(item, LMap) else []:
                entries.append((str(name), d(spec), s.ref(item, where)))
    else:
        entries.append(("", LMap(), where))
    for name, spec, ref in entries:
        quota = d(spec.get("quota")).get("limit")
        s.b.usage_plans.append(
            UsagePlan(
                "ApiGatewayUsagePlan" + (normalize(name) if name else ""),
                ref,
                ((REST_API, s.stage),),
                _throttle(s.b, spec.get("throttle"), "rateLimit", "burstLimit", ref),
                s.b.number(quota),
            )
        )


def _rest_auth(s: _Service, http: LMap, functions: LMap) -> Auth:
    a = http.get("authorizer")
    if a is None:
        return Auth(AuthKind.NONE)
    if isinstance(a, Unknown):
        return Auth(AuthKind.UNKNOWN)
    if isinstance(a, str):
        if a.strip().upper() == "AWS_IAM":
            return Auth(AuthKind.IAM, "AWS_IAM")
        if ":" not in a:
            return Auth(AuthKind.LAMBDA, a)
        return Auth(AuthKind.COGNITO if ":cognito-idp:" in a else AuthKind.LAMBDA, a)
    if not isinstance(a, LMap):
        return Auth(AuthKind.UNKNOWN)
    atype = str(a.get("type", "")).strip().upper()
    scopes = tuple(str(x) for x in as_list(a.get("scopes")) if isinstance(x, str))
    name = a.get("name")
    label = str(name) if isinstance(name, str) else None
    if a.get("authorizerId") is not None:
        kind = _AUTH_TYPES.get(atype) or _authorizer_resource_kind(s, a.get("authorizerId"))
        return Auth(kind, label or "authorizerId", False, scopes)
    if atype == "AWS_IAM":
        return Auth(AuthKind.IAM, "AWS_IAM")
    arn = a.get("arn")
    if arn is not None:
        text = s.text(arn)
        rid = s.b.target_id(arn)
        cognito = (
            atype == "COGNITO_USER_POOLS"
            or (isinstance(text, str) and ":cognito-idp:" in text)
            or (rid is not None and s.b.resource_types.get(rid) == "AWS::Cognito::UserPool")
        )
        return Auth(
            AuthKind.COGNITO if cognito else AuthKind.LAMBDA,
            label or (text if isinstance(text, str) else None),
            False,
            scopes,
        )
    if label is not None:
        return Auth(AuthKind.LAMBDA, label, False, scopes)
    return Auth(AuthKind.UNKNOWN)


_AUTH_TYPES = {
    "TOKEN": AuthKind.LAMBDA,
    "REQUEST": AuthKind.LAMBDA,
    "CUSTOM": AuthKind.LAMBDA,
    "COGNITO_USER_POOLS": AuthKind.COGNITO,
    "AWS_IAM": AuthKind.IAM,
}


def _authorizer_resource_kind(s: _Service, value: object) -> AuthKind:
    rid = s.b.target_id(value, ("AWS::ApiGateway::Authorizer",))
    if rid is None:
        return AuthKind.UNKNOWN
    atype = s.b.raw_props.get(rid, LMap()).get("Type")
    return (
        _AUTH_TYPES.get(str(atype).upper(), AuthKind.UNKNOWN) if isinstance(atype, str) else AuthKind.UNKNOWN
    )


def _http(
    s: _Service, fid: str, name: str, value: Any, item: LMap, where: SourceRef, functions: LMap
) -> None:
    if isinstance(value, str):
        parts = value.split()
        method, path = (parts[0] if parts else "ANY"), (parts[1] if len(parts) > 1 else "/")
        http = LMap()
    elif isinstance(value, LMap):
        http = value
        method, path = http.get("method", "ANY"), http.get("path", "/")
    else:
        s.b.triggers.append(
            Trigger(
                TriggerKind.REST_API,
                fid,
                where,
                None,
                public=s.b.unknown("http event"),
                details={"event": "http"},
            )
        )
        return
    method = "ANY" if str(method).strip().lower() in ("any", "*") else str(method).strip().upper()
    path = "/" + str(path).strip().strip("/")
    route = f"{method} {path}"
    api_id = rest_api(s)
    if api_id is None:
        s.b.triggers.append(
            Trigger(
                TriggerKind.REST_API,
                fid,
                where,
                s.text(d(s.provider.get("apiGateway")).get("restApiId")),
                public=s.b.unknown("REST API defined outside serverless.yml"),
                details={"event": "http", "route": route},
            )
        )
        return
    auth = _rest_auth(s, http, functions)
    props: dict[str, SourceRef] = {}
    for key, prop in (
        ("authorizer", "Auth.Authorizer"),
        ("private", "Auth.ApiKeyRequired"),
        ("path", "Path"),
        ("method", "Method"),
        ("cors", "Cors"),
    ):
        if key in http:
            props[prop] = s.key_ref(http, key)
    private = http.get("private")
    s.b.routes.append(RouteDraft(api_id, method, path, where, fid, auth, private is True, props))
    s.b.triggers.append(
        Trigger(TriggerKind.REST_API, fid, where, api_id, details={"event": "http", "route": route})
    )
    _permission(s, fid, "ApiGateway", "apigateway.amazonaws.com", where, _EXECUTE_API.format(api=api_id))
    authorizer_fn = _authorizer_function(http.get("authorizer"), functions)
    if authorizer_fn is not None:
        _permission(
            s, authorizer_fn, "ApiGateway", "apigateway.amazonaws.com", where, _EXECUTE_API.format(api=api_id)
        )
    throttling = http.get("throttling")
    if isinstance(throttling, LMap) and s.has_plugin("serverless-api-gateway-throttling"):
        t = _throttle(
            s.b, throttling, "maxRequestsPerSecond", "maxConcurrentRequests", s.key_ref(http, "throttling")
        )
        if t is not None and throttling.get("disabled") is not True:
            stage = s.b.apis[api_id].stages.get(s.stage)
            if stage is not None:
                s.b.apis[api_id].stages[s.stage] = replace(
                    stage, route_throttles={**stage.route_throttles, route: t}
                )


def _authorizer_function(value: object, functions: LMap) -> str | None:
    if isinstance(value, str):
        return _fn_ref(value, functions)
    if isinstance(value, LMap) and value.get("arn") is None and value.get("authorizerId") is None:
        return _fn_ref(value.get("name"), functions)
    return None


# --- HTTP API (httpApi) ---------------------------------------------------------------------------


def http_api(s: _Service) -> str | None:
    if "http" in s.api_state:
        return s.api_state["http"]
    cfg = d(s.provider.get("httpApi"))
    if "id" in cfg:
        rid = s.b.target_id(cfg.get("id"), HTTP_API_TYPES)
        found = rid if rid is not None and rid in s.b.apis else None
        s.api_state["http"] = found
        return found
    own = _provider_ref(s)
    api = ApiDraft(
        HTTP_API,
        ApiKind.HTTP,
        own,
        name=s.text(cfg.get("name", f"{s.stage}-{s.service}")),
        endpoint_type="REGIONAL",
        implicit=True,
        disable_execute_api_endpoint=s.b.flag(cfg.get("disableDefaultEndpoint")),
        props={},
    )
    if "disableDefaultEndpoint" in cfg:
        api.props["DisableExecuteApiEndpoint"] = s.key_ref(cfg, "disableDefaultEndpoint")
    if "cors" in cfg:
        api.props["CorsConfiguration"] = s.key_ref(cfg, "cors")
    authorizers = d(cfg.get("authorizers"))
    for aname, spec in authorizers.items():
        spec = d(spec)
        atype = str(spec.get("type", "jwt")).lower()
        kind = AuthKind.LAMBDA if atype == "request" else AuthKind.IAM if atype == "aws_iam" else AuthKind.JWT
        api.authorizers[str(aname)] = Auth(kind, str(aname))
    logs = d(s.provider.get("logs"))
    props: dict[str, SourceRef] = {}
    if "httpApi" in logs:
        props["AccessLogSettings"] = s.key_ref(logs, "httpApi")
    throttle, twhere = _plugin_throttle(s)
    if twhere is not None:
        props["DefaultRouteSettings"] = twhere
    http_logs = logs.get("httpApi")
    api.stages["$default"] = Stage(
        "$default",
        own,
        access_logging=http_logs is True or isinstance(http_logs, LMap),
        throttle=throttle,
        props=props,
    )
    s.b.apis[HTTP_API] = api
    s.api_state["http"] = HTTP_API
    return HTTP_API


def override_http_stage(s: _Service, props: LMap) -> None:
    """`resources.extensions.HttpApiStage` (or a same-id resource): throttles and access logs."""
    api = s.b.apis[HTTP_API]
    stage = api.stages.get("$default")
    if stage is None:
        return
    sprops = dict(stage.props)
    defaults = props.get("DefaultRouteSettings")
    throttle = stage.throttle
    if isinstance(defaults, LMap):
        found = _throttle(
            s.b,
            defaults,
            "ThrottlingRateLimit",
            "ThrottlingBurstLimit",
            s.key_ref(props, "DefaultRouteSettings"),
        )
        if found is not None:
            throttle = found
            sprops["DefaultRouteSettings"] = s.key_ref(props, "DefaultRouteSettings")
    access = stage.access_logging
    logs = props.get("AccessLogSettings")
    if isinstance(logs, LMap):
        access = "DestinationArn" in logs
        sprops["AccessLogSettings"] = s.key_ref(props, "AccessLogSettings")
    api.stages["$default"] = replace(stage, throttle=throttle, access_logging=access, props=sprops)


def _http_api_event(
    s: _Service, fid: str, name: str, value: Any, item: LMap, where: SourceRef, functions: LMap
) -> None:
    spec = value if isinstance(value, LMap) else LMap()
    if isinstance(value, str):
        text = value.strip()
        if text == "*":
            method, path = "ANY", "*"
        else:
            parts = text.split(None, 1)  # "" (an empty string) has no method either
            method, path = (parts[0] if parts else "ANY"), (parts[1] if len(parts) > 1 else "/")
    elif isinstance(value, LMap):
        method, path = str(value.get("method", "ANY")), str(value.get("path", "/"))
    else:
        s.b.triggers.append(
            Trigger(
                TriggerKind.HTTP_API,
                fid,
                where,
                None,
                public=s.b.unknown("httpApi event"),
                details={"event": "httpApi"},
            )
        )
        return
    method = "ANY" if method.strip() in ("*", "any", "ANY") else method.strip().upper()
    path = "$default" if path.strip() == "*" else path.strip()
    route = "$default" if path == "$default" else f"{method} {path}"
    api_id = http_api(s)
    if api_id is None:
        s.b.triggers.append(
            Trigger(
                TriggerKind.HTTP_API,
                fid,
                where,
                s.text(d(s.provider.get("httpApi")).get("id")),
                public=s.b.unknown("HTTP API defined outside serverless.yml"),
                details={"event": "httpApi", "route": route},
            )
        )
        return
    api = s.b.apis[api_id]
    auth = Auth(AuthKind.NONE)
    authorizer = spec.get("authorizer")
    if isinstance(authorizer, str):
        base = api.authorizers.get(authorizer)
        auth = Auth(base.kind if base else AuthKind.UNKNOWN, authorizer)
    elif isinstance(authorizer, LMap):
        scopes = tuple(str(x) for x in as_list(authorizer.get("scopes")) if isinstance(x, str))
        aname = authorizer.get("name")
        if str(authorizer.get("type", "")).lower() == "aws_iam":
            auth = Auth(AuthKind.IAM, "AWS_IAM")
        elif isinstance(aname, str):
            base = api.authorizers.get(aname)
            auth = Auth(base.kind if base else AuthKind.UNKNOWN, aname, False, scopes)
        else:
            auth = Auth(AuthKind.UNKNOWN, None, False, scopes)
    elif authorizer is not None:
        auth = Auth(AuthKind.UNKNOWN)
    props: dict[str, SourceRef] = {}
    for key, prop in (("authorizer", "Auth.Authorizer"), ("path", "Path"), ("method", "Method")):
        if key in spec:
            props[prop] = s.key_ref(spec, key)
    rmethod = "ANY" if path == "$default" else method
    s.b.routes.append(RouteDraft(api_id, rmethod, path, where, fid, auth, False, props))
    s.b.triggers.append(
        Trigger(
            TriggerKind.HTTP_API,
            fid,
            where,
            api_id,
            details={"event": "httpApi", "route": f"{rmethod} {path}"},
        )
    )
    _permission(s, fid, "HttpApi", "apigateway.amazonaws.com", where, _EXECUTE_API.format(api=api_id))
    for aname, aspec in d(d(s.provider.get("httpApi")).get("authorizers")).items():
        target = _fn_ref(d(aspec).get("functionName"), functions)
        if target is not None and auth.authorizer == aname:
            _permission(
                s,
                target,
                f"{normalize(str(aname))}HttpApiAuthorizer",
                "apigateway.amazonaws.com",
                where,
                _EXECUTE_API.format(api=api_id),
            )


# --- WebSocket API ------------------------------------------------------------------------------


def websocket_api(s: _Service) -> str:
    if WEBSOCKET_API in s.b.apis:
        return WEBSOCKET_API
    own = _provider_ref(s)
    prov = s.provider
    api = ApiDraft(
        WEBSOCKET_API,
        ApiKind.WEBSOCKET,
        own,
        name=s.text(prov.get("websocketsApiName", f"{s.stage}-{s.service}-websockets")),
        endpoint_type="REGIONAL",
        implicit=True,
        props={},
    )
    logs = d(prov.get("logs"))
    ws_logs = logs.get("websocket")
    props: dict[str, SourceRef] = {}
    if "websocket" in logs:
        props["AccessLogSettings"] = s.key_ref(logs, "websocket")
    api.stages[s.stage] = Stage(
        s.stage,
        own,
        access_logging=ws_logs is True
        or (isinstance(ws_logs, LMap) and ws_logs.get("accessLogging") is not False),
        props=props,
    )
    s.b.apis[WEBSOCKET_API] = api
    return WEBSOCKET_API


def _websocket(
    s: _Service, fid: str, name: str, value: Any, item: LMap, where: SourceRef, functions: LMap
) -> None:
    spec = value if isinstance(value, LMap) else LMap()
    key = value if isinstance(value, str) else spec.get("route")
    if not isinstance(key, str):
        s.b.triggers.append(Trigger(TriggerKind.WEBSOCKET, fid, where, None, details={"event": "websocket"}))
        return
    api_id = websocket_api(s)
    authorizer = spec.get("authorizer")
    auth = Auth(AuthKind.NONE)
    if isinstance(authorizer, str):
        auth = Auth(AuthKind.LAMBDA, authorizer)
    elif isinstance(authorizer, LMap):
        label = authorizer.get("name") or authorizer.get("arn")
        auth = Auth(AuthKind.LAMBDA, str(label) if isinstance(label, str) else None)
    elif authorizer is not None:
        auth = Auth(AuthKind.UNKNOWN)
    props: dict[str, SourceRef] = {}
    if "authorizer" in spec:
        props["Auth.Authorizer"] = s.key_ref(spec, "authorizer")
    s.b.routes.append(RouteDraft(api_id, "ANY", key, where, fid, auth, False, props))
    s.b.triggers.append(
        Trigger(
            TriggerKind.WEBSOCKET, fid, where, api_id, details={"event": "websocket", "route": f"ANY {key}"}
        )
    )
    _permission(s, fid, "Websockets", "apigateway.amazonaws.com", where, _EXECUTE_API.format(api=api_id))
    target = _authorizer_function(authorizer, functions)
    if target is not None:
        _permission(
            s, target, "Websockets", "apigateway.amazonaws.com", where, _EXECUTE_API.format(api=api_id)
        )


def finish_websocket_auth(s: _Service, app: Application) -> tuple[Route, ...]:
    """Messages reach a WebSocket API only over a connection its `$connect` route accepted: the
    other routes are as authenticated as `$connect`."""
    connect = next(
        (
            r.auth
            for r in app.routes
            if r.api == WEBSOCKET_API and r.path == "$connect" and r.auth.kind is not AuthKind.NONE
        ),
        None,
    )
    if connect is None:
        return app.routes
    return tuple(
        replace(r, auth=connect)
        if r.api == WEBSOCKET_API and r.path != "$connect" and r.auth.kind is AuthKind.NONE
        else r
        for r in app.routes
    )


# --- other event sources ------------------------------------------------------------------------


def _alb(s: _Service, fid: str, name: str, value: Any, item: LMap, where: SourceRef, functions: LMap) -> None:
    spec = d(value)
    listener = spec.get("listenerArn")
    s.b.triggers.append(
        Trigger(
            TriggerKind.ALB,
            fid,
            where,
            s.text(listener) if listener is not None else None,
            public=s.b.unknown("the load balancer may be internal or internet-facing"),
            details={"event": "alb", "priority": spec.get("priority")},
        )
    )
    _permission(
        s,
        fid,
        "Alb",
        "elasticloadbalancing.amazonaws.com",
        where,
        f"${{{fid[: -len('LambdaFunction')]}AlbTargetGroup}}",
    )


def _s3(s: _Service, fid: str, name: str, value: Any, item: LMap, where: SourceRef, functions: LMap) -> None:
    spec = value if isinstance(value, LMap) else LMap()
    bucket = value if not isinstance(value, LMap) else spec.get("bucket")
    existing = spec.get("existing") is True
    events = as_list(spec.get("event", "s3:ObjectCreated:*"))
    details = {"event": "s3", "events": [e for e in events if isinstance(e, str)]}
    if not isinstance(bucket, str):
        target = s.b.target_id(bucket, ("AWS::S3::Bucket",))
        s.b.triggers.append(Trigger(TriggerKind.S3, fid, where, target or s.text(bucket), details=details))
        if target and target in s.b.stores:
            _notify(s, target, fid)
        _permission(
            s,
            fid,
            "S3" + (target or ""),
            "s3.amazonaws.com",
            where,
            "${" + target + ".Arn}" if target else None,
            True,
        )
        return
    sid = "S3Bucket" + alphanumeric(bucket)
    if existing:
        s.b.triggers.append(Trigger(TriggerKind.S3, fid, where, bucket, details=details))
    else:
        if sid not in s.b.stores:
            override = s.overrides.get(sid)
            if override is not None:
                props = LMap(override.line, override.end_line)
                props.update(override)
                props.key_lines = dict(override.key_lines)
                props.setdefault("BucketName", bucket)
                main = s.b.rel
                s.b.rel = file_of(override, main)
                try:
                    HANDLERS["AWS::S3::Bucket"](s.b, sid, props, override)
                finally:
                    s.b.rel = main
            else:
                s.b.add_store(
                    sid,
                    kind=StoreKind.S3,
                    source=where,
                    name=bucket,
                    kms_key=None,
                    public_access_block=None,
                    acl=None,
                    ownership=None,
                    notifications=(),
                    props={},
                )
        _notify(s, sid, fid)
        s.b.triggers.append(Trigger(TriggerKind.S3, fid, where, sid, details=details))
    _permission(
        s, fid, alphanumeric(bucket) + "S3", "s3.amazonaws.com", where, f"arn:aws:s3:::{bucket}", True
    )


def _notify(s: _Service, sid: str, fid: str) -> None:
    store = s.b.stores[sid]
    store["notifications"] = (*store.get("notifications", ()), ("lambda", fid))


def _sqs(s: _Service, fid: str, name: str, value: Any, item: LMap, where: SourceRef, functions: LMap) -> None:
    arn = value.get("arn") if isinstance(value, LMap) else value
    target = s.b.target_id(arn)
    s.b.triggers.append(Trigger(TriggerKind.SQS, fid, where, target or s.text(arn), details={"event": "sqs"}))
    if arn is not None:
        s.grant(
            fid,
            f"{fid}SqsPolicy{line_of(item)}",
            ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
            (arn,),
            where,
        )


def _stream(
    s: _Service, fid: str, name: str, value: Any, item: LMap, where: SourceRef, functions: LMap
) -> None:
    spec = value if isinstance(value, LMap) else LMap()
    arn = spec.get("arn") if isinstance(value, LMap) else value
    text = s.text(arn) if arn is not None else ""
    stype = str(spec.get("type", "")).lower()
    target = s.b.target_id(arn)
    kinesis = (
        stype == "kinesis"
        or (isinstance(text, str) and ":kinesis:" in text)
        or (target is not None and s.b.resource_types.get(target) == "AWS::Kinesis::Stream")
    )
    kind = TriggerKind.KINESIS if kinesis else TriggerKind.DYNAMODB_STREAM
    s.b.triggers.append(
        Trigger(
            kind,
            fid,
            where,
            target or (text if arn is not None else None),
            details={"event": "stream"},
            on_failure=_on_failure_destination(s, spec),
        )
    )
    if arn is not None:
        actions = (
            (
                "kinesis:GetRecords",
                "kinesis:GetShardIterator",
                "kinesis:DescribeStream",
                "kinesis:DescribeStreamSummary",
                "kinesis:ListShards",
                "kinesis:ListStreams",
            )
            if kinesis
            else (
                "dynamodb:GetRecords",
                "dynamodb:GetShardIterator",
                "dynamodb:DescribeStream",
                "dynamodb:ListStreams",
            )
        )
        s.grant(fid, f"{fid}StreamPolicy{line_of(item)}", actions, (arn,), where)
    failure = d(spec.get("destinations")).get("onFailure")
    if failure is not None:
        dest = failure.get("arn") if isinstance(failure, LMap) else failure
        dtext = s.text(dest)
        action = "sns:Publish" if isinstance(dtext, str) and ":sns:" in dtext else "sqs:SendMessage"
        s.grant(fid, f"{fid}StreamOnFailurePolicy{line_of(item)}", (action,), (dest,), where)


def _on_failure_destination(s: _Service, spec: LMap) -> str | Unknown | None:
    """A stream / Kafka event's `destinations.onFailure` (an ARN, or a map with `arn`)."""
    failure = d(spec.get("destinations")).get("onFailure")
    dest = failure.get("arn") if isinstance(failure, LMap) else failure
    return s.text(dest) if dest is not None else None


def _sns(s: _Service, fid: str, name: str, value: Any, item: LMap, where: SourceRef, functions: LMap) -> None:
    spec = value if isinstance(value, LMap) else LMap()
    arn = (
        spec.get("arn")
        if isinstance(value, LMap)
        else (value if not isinstance(value, str) or value.startswith("arn:") else None)
    )
    topic = (
        spec.get("topicName")
        if isinstance(value, LMap)
        else (value if isinstance(value, str) and not value.startswith("arn:") else None)
    )
    if arn is None and isinstance(topic, str):
        tid = "SNSTopic" + alphanumeric(topic)
        if tid not in s.b.stores:
            s.b.add_store(tid, kind=StoreKind.SNS, source=where, name=topic, kms_key=None, props={})
        s.b.triggers.append(Trigger(TriggerKind.SNS, fid, where, tid, details={"event": "sns"}))
        _permission(s, fid, alphanumeric(topic) + "SNS", "sns.amazonaws.com", where, "${" + tid + "}")
        return
    target = s.b.target_id(arn)
    s.b.triggers.append(Trigger(TriggerKind.SNS, fid, where, target or s.text(arn), details={"event": "sns"}))
    _permission(s, fid, "SNS" + str(line_of(item)), "sns.amazonaws.com", where, arn)


def _schedule(
    s: _Service, fid: str, name: str, value: Any, item: LMap, where: SourceRef, functions: LMap
) -> None:
    spec = value if isinstance(value, LMap) else LMap()
    if spec.get("enabled") is False:
        return  # a disabled rule invokes nothing
    rate = spec.get("rate") if isinstance(value, LMap) else value
    first = as_list(rate)[0] if as_list(rate) else None
    s.b.triggers.append(
        Trigger(
            TriggerKind.SCHEDULE,
            fid,
            where,
            s.text(first) if first is not None else None,
            details={"event": "schedule"},
        )
    )
    _permission(
        s,
        fid,
        f"EventsRuleSchedule{line_of(item)}",
        "events.amazonaws.com",
        where,
        "${" + fid[: -len("LambdaFunction")] + "EventsRuleSchedule}",
    )


def _event_bridge(
    s: _Service, fid: str, name: str, value: Any, item: LMap, where: SourceRef, functions: LMap
) -> None:
    spec = d(value)
    kind = TriggerKind.SCHEDULE if "schedule" in spec else TriggerKind.EVENTBRIDGE
    if spec.get("enabled") is False:
        return
    bus = spec.get("eventBus")
    s.b.triggers.append(
        Trigger(
            kind,
            fid,
            where,
            s.text(bus) if bus is not None else "default",
            details={"event": str(next(iter(item)))},
        )
    )
    _permission(
        s,
        fid,
        f"EventBridge{line_of(item)}",
        "events.amazonaws.com",
        where,
        "${" + fid[: -len("LambdaFunction")] + "EventBridgeRule}",
    )


def _cloudwatch_log(
    s: _Service, fid: str, name: str, value: Any, item: LMap, where: SourceRef, functions: LMap
) -> None:
    group = value.get("logGroup") if isinstance(value, LMap) else value
    s.b.triggers.append(
        Trigger(
            TriggerKind.CLOUDWATCH_LOGS,
            fid,
            where,
            s.text(group) if group is not None else None,
            details={"event": "cloudwatchLog"},
        )
    )
    _permission(
        s,
        fid,
        "LogsSubscriptionFilterCloudWatchLog",
        "logs.amazonaws.com",
        where,
        "arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:*",
    )


def _cognito(
    s: _Service, fid: str, name: str, value: Any, item: LMap, where: SourceRef, functions: LMap
) -> None:
    spec = d(value)
    pool = spec.get("pool")
    s.b.triggers.append(
        Trigger(
            TriggerKind.COGNITO,
            fid,
            where,
            s.text(pool) if pool is not None else None,
            details={"event": "cognitoUserPool", "trigger": spec.get("trigger")},
        )
    )
    _permission(
        s,
        fid,
        f"CognitoUserPool{line_of(item)}",
        "cognito-idp.amazonaws.com",
        where,
        "${CognitoUserPool" + (alphanumeric(pool) if isinstance(pool, str) else "") + ".Arn}",
    )


def _iot(s: _Service, fid: str, name: str, value: Any, item: LMap, where: SourceRef, functions: LMap) -> None:
    spec = d(value)
    if spec.get("enabled") is False:
        return
    sql = spec.get("sql")
    s.b.triggers.append(
        Trigger(
            TriggerKind.IOT, fid, where, s.text(sql) if sql is not None else None, details={"event": "iot"}
        )
    )
    _permission(
        s,
        fid,
        f"IotTopicRule{line_of(item)}",
        "iot.amazonaws.com",
        where,
        "${" + fid[: -len("LambdaFunction")] + "IotTopicRule}",
    )


def _simple(kind: TriggerKind, key: str | None, principal: str | None = None) -> EventHandler:
    def handle(
        s: _Service, fid: str, name: str, value: Any, item: LMap, where: SourceRef, functions: LMap
    ) -> None:
        target = (
            value.get(key)
            if isinstance(value, LMap) and key
            else (value if not isinstance(value, LMap) else None)
        )
        s.b.triggers.append(
            Trigger(
                kind,
                fid,
                where,
                s.text(target) if target is not None else None,
                details={"event": str(next(iter(item)))},
                on_failure=_on_failure_destination(s, value) if isinstance(value, LMap) else None,
            )
        )
        if principal is not None:
            _permission(s, fid, f"{next(iter(item))!s}{line_of(item)}", principal, where, "${event}")

    return handle


_EVENTS: dict[str, EventHandler] = {
    "http": _http,
    "httpApi": _http_api_event,
    "websocket": _websocket,
    "alb": _alb,
    "s3": _s3,
    "sqs": _sqs,
    "sns": _sns,
    "stream": _stream,
    "schedule": _schedule,
    "eventBridge": _event_bridge,
    "cloudwatchEvent": _event_bridge,
    "cloudwatchLog": _cloudwatch_log,
    "cognitoUserPool": _cognito,
    "iot": _iot,
    "alexaSkill": _simple(TriggerKind.ALEXA, "appId", "alexa-appkit.amazon.com"),
    "alexaSmartHome": _simple(TriggerKind.ALEXA, "appId", "alexa-connectedhome.amazon.com"),
    "msk": _simple(TriggerKind.KAFKA, "arn"),
    "kafka": _simple(TriggerKind.KAFKA, "topic"),
    "activemq": _simple(TriggerKind.MQ, "arn"),
    "rabbitmq": _simple(TriggerKind.MQ, "arn"),
}


# --- custom domains (serverless-domain-manager) -------------------------------------------------


def _custom_domains(s: _Service) -> None:
    if not s.has_plugin("serverless-domain-manager"):
        return
    custom = d(s.cfg.get("custom"))
    entries: list[tuple[str, LMap, str | None, SourceRef]] = []
    single = custom.get("customDomain")
    if isinstance(single, LMap):
        entries.append(("CustomDomain", single, None, s.key_ref(custom, "customDomain")))
    many = custom.get("customDomains")
    for i, item in enumerate(as_list(many)):
        if not isinstance(item, LMap):
            continue
        for kind in ("rest", "http", "websocket"):
            if isinstance(item.get(kind), LMap):
                entries.append((f"CustomDomain{i}", item[kind], kind, s.ref(item[kind])))
                break
        else:
            entries.append((f"CustomDomain{i}", item, None, s.ref(item)))
    for did, spec, family, where in entries:
        if spec.get("enabled") is False:
            continue
        kind = str(spec.get("apiType", family or "rest")).lower()
        api_id = {"rest": REST_API, "http": HTTP_API, "websocket": WEBSOCKET_API}.get(kind)
        if api_id is None or api_id not in s.b.apis:
            continue
        policy = spec.get("securityPolicy", "tls_1_2")
        text = s.text(policy)
        props = {"SecurityPolicy": s.key_ref(spec, "securityPolicy", where)}
        s.b.domain_drafts[did] = {
            "id": did,
            "name": s.text(spec.get("domainName", did)),
            "source": where,
            "security_policy": text.upper() if isinstance(text, str) else text,
            "apis": [api_id],
            "props": props,
        }
        s.b.apis[api_id].props.setdefault("Domain", where)


__all__ = [
    "compile_events",
    "finish_websocket_auth",
    "http_api",
    "override_http_stage",
    "rest_api",
    "websocket_api",
]
