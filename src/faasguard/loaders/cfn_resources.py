"""Native CloudFormation resource types into the model (also what CDK synthesises)."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any

from faasguard.loaders.build import ApiDraft, Builder, RouteDraft
from faasguard.loaders.handlers import resolve_handler_file
from faasguard.loaders.intrinsics import RefTo, ref_id
from faasguard.loaders.nodes import LMap, line_of
from faasguard.loaders.policy_doc import parse_policy, str_list
from faasguard.model import (
    Alarm,
    ApiKind,
    Auth,
    AuthKind,
    Budget,
    CustomDomain,
    EnvVar,
    FunctionUrl,
    IdentityPool,
    Layer,
    LogGroup,
    ManagedPolicyRef,
    Permission,
    SourceRef,
    Stage,
    StoreKind,
    Throttle,
    Trail,
    Trigger,
    TriggerKind,
    Unknown,
    UsagePlan,
    UserPool,
)

Handler = Callable[[Builder, str, LMap, LMap], None]

FUNCTION_TYPES = ("AWS::Lambda::Function", "AWS::Serverless::Function")
# Native methods, routes and stages may hang off a SAM-defined API too.
REST_API_TYPES = ("AWS::ApiGateway::RestApi", "AWS::Serverless::Api")
HTTP_API_TYPES = ("AWS::ApiGatewayV2::Api", "AWS::Serverless::HttpApi")


def d(value: object) -> LMap:
    """A mapping or an empty one, so handlers can chain `.get` on optional blocks."""
    return value if isinstance(value, LMap) else LMap()


# --- functions ---------------------------------------------------------------------------------


def environment(b: Builder, env: object) -> tuple[EnvVar, ...]:
    variables = d(env).get("Variables")
    if not isinstance(variables, LMap):
        return ()
    out = []
    for name, value in variables.items():
        line = variables.key_lines.get(name, variables.line)
        v: object = value
        if isinstance(value, RefTo):
            v = value.placeholder()
        out.append(EnvVar(str(name), v, SourceRef(b.rel, line, line)))
    return tuple(out)


def code_dir(b: Builder, uri: object) -> str | None:
    """A CodeUri / asset path as a folder relative to the scan root; None when not local."""
    if not isinstance(uri, str) or "://" in uri or uri.startswith("${"):
        return None
    template_dir = posixpath.dirname(b.rel)
    rel = posixpath.normpath(posixpath.join(template_dir, uri))
    if rel.startswith("../") or rel == "..":
        b.errors.append((b.rel, None, f"code path {uri} leaves the scanned folder: not read"))
        return None
    return rel


def new_function(b: Builder, rid: str, res: LMap, props: LMap, sam: bool) -> dict[str, Any]:
    own = b.src(res)
    meta = d(res.get("Metadata"))
    runtime = props.get("Runtime")
    handler = props.get("Handler")
    package_type = props.get("PackageType") if isinstance(props.get("PackageType"), str) else "Zip"
    code: str | None = None
    inline = False
    if sam:
        inline = "InlineCode" in props
        uri = props.get("CodeUri")
        if uri is None and not inline and "ImageUri" not in props:
            uri = "."  # SAM CLI packages the template's own folder when CodeUri is left out
        code = code_dir(b, uri) if not inline else None
    else:
        code_block = d(props.get("Code"))
        inline = "ZipFile" in code_block
    asset = meta.get("aws:asset:path")
    if isinstance(asset, str) and code is None and not inline:
        code = code_dir(b, asset)
    if isinstance(props.get("ImageUri"), str) or package_type == "Image":
        package_type = "Image"
    entry_points = d(meta.get("BuildProperties")).get("EntryPoints")
    entries = [e for e in entry_points if isinstance(e, str)] if isinstance(entry_points, list) else None
    handler_file = resolve_handler_file(b.root, code, handler, runtime, entries)
    arch = props.get("Architectures")
    architecture: object = "x86_64"
    if isinstance(arch, list) and arch:
        architecture = arch[0] if isinstance(arch[0], (str, Unknown)) else b.unknown("architecture")
    tracing: object = False
    if sam:
        tracing = props.get("Tracing") == "Active" if "Tracing" in props else False
        if isinstance(props.get("Tracing"), Unknown):
            tracing = props["Tracing"]
    else:
        mode = d(props.get("TracingConfig")).get("Mode")
        tracing = mode == "Active" if not isinstance(mode, Unknown) else mode
    fprops = b.props_map(props, own)
    for block, key in (
        ("TracingConfig", "Mode"),
        ("DeadLetterConfig", "TargetArn"),
        ("DeadLetterQueue", "TargetArn"),
    ):
        inner = props.get(block)
        if isinstance(inner, LMap) and key in inner.key_lines:
            fprops[f"{block}.{key}"] = b.prop(inner, key, own)
    if isinstance(meta.get("aws:cdk:path"), str):
        cdk_path: str | None = str(meta["aws:cdk:path"])
    else:
        cdk_path = None
    dlq = (
        d(props.get("DeadLetterQueue")).get("TargetArn")
        if sam
        else d(props.get("DeadLetterConfig")).get("TargetArn")
    )
    layers = props.get("Layers")
    fields: dict[str, Any] = {
        "id": rid,
        "source": own,
        "name": b.text(props["FunctionName"]) if "FunctionName" in props else None,
        "runtime": b.text(runtime) if runtime is not None else None,
        "package_type": package_type,
        "architecture": architecture,
        "handler": b.text(handler) if handler is not None else None,
        "code_uri": code,
        "handler_file": handler_file,
        "inline_code": inline,
        "environment": environment(b, props.get("Environment")),
        "timeout": b.number(props.get("Timeout")) if "Timeout" in props else 3,
        "memory": b.number(props.get("MemorySize")) if "MemorySize" in props else 128,
        "reserved_concurrency": b.number(props.get("ReservedConcurrentExecutions")),
        "provisioned_concurrency": b.number(
            d(props.get("ProvisionedConcurrencyConfig")).get("ProvisionedConcurrentExecutions")
        ),
        "tracing": tracing,
        "dlq": b.text(dlq) if dlq is not None else None,
        "on_failure": None,
        "vpc": isinstance(props.get("VpcConfig"), LMap) and bool(d(props.get("VpcConfig")).get("SubnetIds")),
        "url": None,
        "layers": tuple(Layer(b.text(x), b.prop(props, "Layers", own)) for x in layers)
        if isinstance(layers, list)
        else (),
        "role": None,
        "kms_key": b.text(props["KmsKeyArn"]) if "KmsKeyArn" in props else None,
        "log_group": None,
        "cdk_path": cdk_path,
        "props": fprops,
    }
    log_cfg = d(props.get("LoggingConfig"))
    if "LogGroup" in log_cfg:
        fields["_log_group_ref"] = log_cfg["LogGroup"]
    b.functions[rid] = fields
    return fields


def lambda_function(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    fields = new_function(b, rid, res, props, sam=False)
    role = props.get("Role")
    rid_role = b.target_id(role, ("AWS::IAM::Role",))
    fields["role"] = (
        rid_role
        if rid_role
        else b.unknown("execution role defined outside the template", b.prop(props, "Role", fields["source"]))
    )


def lambda_url(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    fid = b.target_id(props.get("TargetFunctionArn"), FUNCTION_TYPES)
    if fid is None:
        return
    own = b.src(res)
    cors = d(props.get("Cors"))
    origins = cors.get("AllowOrigins")
    url = FunctionUrl(
        b.text(props.get("AuthType", b.unknown("AuthType"))),
        own,
        str_list(origins) if isinstance(origins, list) else (),
        b.props_map(props, own),
    )
    b.pending_urls.append((fid, url))


def lambda_permission(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    own = b.src(res)
    fn = props.get("FunctionName")
    fid = b.target_id(fn, FUNCTION_TYPES)
    b.permissions.append(
        Permission(
            id=rid,
            function=fid if fid else b.text(fn),
            action=b.text(props.get("Action")),
            principal=b.text(props.get("Principal")),
            source=own,
            source_arn=b.text(props["SourceArn"]) if "SourceArn" in props else None,
            source_account=b.text(props["SourceAccount"]) if "SourceAccount" in props else None,
            function_url_auth_type=b.text(props["FunctionUrlAuthType"])
            if "FunctionUrlAuthType" in props
            else None,
            props=b.props_map(props, own),
        )
    )


_SOURCE_KINDS = {
    "AWS::SQS::Queue": TriggerKind.SQS,
    "AWS::Kinesis::Stream": TriggerKind.KINESIS,
    "AWS::DynamoDB::Table": TriggerKind.DYNAMODB_STREAM,
    "AWS::DynamoDB::GlobalTable": TriggerKind.DYNAMODB_STREAM,
    "AWS::MSK::Cluster": TriggerKind.KAFKA,
}


def event_source_mapping(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    fid = b.target_id(props.get("FunctionName"), FUNCTION_TYPES)
    if fid is None:
        return
    arn = props.get("EventSourceArn")
    target = b.target_id(arn)
    kind = _SOURCE_KINDS.get(b.resource_types.get(target or "", ""), TriggerKind.OTHER)
    if kind is TriggerKind.OTHER and isinstance(arn, str):
        kind = (
            TriggerKind.SQS
            if ":sqs:" in arn
            else TriggerKind.KINESIS
            if ":kinesis:" in arn
            else TriggerKind.DYNAMODB_STREAM
            if ":dynamodb:" in arn
            else TriggerKind.OTHER
        )
    if kind is TriggerKind.OTHER and "SelfManagedEventSource" in props:
        kind = TriggerKind.KAFKA
    failure = d(d(props.get("DestinationConfig")).get("OnFailure")).get("Destination")
    b.triggers.append(
        Trigger(
            kind,
            fid,
            b.src(res),
            target or b.text(arn) if arn is not None else None,
            on_failure=b.text(failure) if failure is not None else None,
        )
    )


def event_invoke_config(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    fid = b.target_id(props.get("FunctionName"), FUNCTION_TYPES)
    dest = d(d(props.get("DestinationConfig")).get("OnFailure")).get("Destination")
    if fid is not None and dest is not None:
        b.pending_on_failure.append((fid, b.text(dest)))


def events_rule(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    kind = TriggerKind.SCHEDULE if "ScheduleExpression" in props else TriggerKind.EVENTBRIDGE
    targets = props.get("Targets")
    for t in targets if isinstance(targets, list) else []:
        fid = b.target_id(d(t).get("Arn"), FUNCTION_TYPES)
        if fid is not None:
            b.triggers.append(Trigger(kind, fid, b.src(t), rid))


def sns_subscription(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    if props.get("Protocol") != "lambda":
        return
    fid = b.target_id(props.get("Endpoint"), FUNCTION_TYPES)
    if fid is not None:
        topic = props.get("TopicArn")
        b.triggers.append(Trigger(TriggerKind.SNS, fid, b.src(res), b.target_id(topic) or b.text(topic)))


def log_subscription(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    fid = b.target_id(props.get("DestinationArn"), FUNCTION_TYPES)
    if fid is not None:
        b.triggers.append(
            Trigger(TriggerKind.CLOUDWATCH_LOGS, fid, b.src(res), b.text(props.get("LogGroupName")))
        )


# --- IAM ---------------------------------------------------------------------------------------


def iam_role(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    own = b.src(res)
    draft = b.role(rid, own)
    draft.source = own
    draft.props = b.props_map(props, own)
    if "RoleName" in props:
        draft.name = b.text(props["RoleName"])
    trust = props.get("AssumeRolePolicyDocument")
    if trust is not None:
        draft.trust = parse_policy(trust, "AssumeRolePolicyDocument", b.rel, own.line, origin="trust")
    policies = props.get("Policies")
    for p in policies if isinstance(policies, list) else []:
        name = d(p).get("PolicyName")
        draft.policies.append(
            parse_policy(
                d(p).get("PolicyDocument"),
                str(name) if isinstance(name, str) else rid,
                b.rel,
                line_of(p, own.line),
            )
        )
    managed = props.get("ManagedPolicyArns")
    items = managed if isinstance(managed, list) else ([managed] if managed is not None else [])
    for arn in items:
        where = SourceRef(
            b.rel,
            line_of(arn, b.prop(props, "ManagedPolicyArns", own).line),
            line_of(arn, b.prop(props, "ManagedPolicyArns", own).line),
        )
        mid = b.target_id(arn, ("AWS::IAM::ManagedPolicy",))
        if mid is not None:
            b.managed_attachments.append((mid, [RefTo(rid)]))
        else:
            draft.managed.append(ManagedPolicyRef(b.text(arn), where))
    if "PermissionsBoundary" in props:
        draft.boundary = b.text(props["PermissionsBoundary"])


def iam_policy(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    own = b.src(res)
    name = props.get("PolicyName") or props.get("ManagedPolicyName") or rid
    origin = (
        "managed-resource" if b.resource_types.get(rid) == "AWS::IAM::ManagedPolicy" else "policy-resource"
    )
    policy = parse_policy(
        props.get("PolicyDocument"),
        str(name) if isinstance(name, str) else rid,
        b.rel,
        own.line,
        origin=origin,
    )
    roles = props.get("Roles")
    if origin == "managed-resource":
        b.managed_policies[rid] = policy
    if isinstance(roles, list):
        b.role_attachments.append((policy, list(roles)))
    elif "RoleName" in props:  # AWS::IAM::RolePolicy
        b.role_attachments.append((policy, [props["RoleName"]]))


# --- API Gateway -------------------------------------------------------------------------------


def rest_api(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    own = b.src(res)
    types = d(props.get("EndpointConfiguration")).get("Types")
    endpoint: object = "EDGE"
    if isinstance(types, list) and types:
        endpoint = b.text(types[0])
    api = ApiDraft(
        rid,
        ApiKind.REST,
        own,
        name=b.text(props["Name"]) if "Name" in props else None,
        endpoint_type=endpoint,
        disable_execute_api_endpoint=b.flag(props.get("DisableExecuteApiEndpoint")),
        props=b.props_map(props, own),
    )
    if "Policy" in props:
        api.resource_policy = parse_policy(
            props["Policy"], "Policy", b.rel, b.prop(props, "Policy", own).line, origin="resource-policy"
        )
    b.apis[rid] = api
    from faasguard.loaders.openapi import queue_body  # openapi imports this module

    queue_body(b, rid, props.get("Body"))


def _path_of(b: Builder, resource_id: str | None, api_id: str, depth: int = 0) -> str:
    if resource_id is None or depth > 50:
        return "/"
    node = b.raw_props.get(resource_id)
    if node is None:
        return "/"
    parent = ref_id(node.get("ParentId"))
    part = node.get("PathPart")
    prefix = _path_of(b, parent, api_id, depth + 1) if parent and parent != api_id else "/"
    return posixpath.join(prefix, str(part)) if isinstance(part, str) else prefix


def _function_in(b: Builder, value: object) -> str | None:
    """The function an integration URI or target names (by reference or ${Fn.Arn} in text)."""
    fid = b.target_id(value, FUNCTION_TYPES)
    if fid:
        return fid
    if isinstance(value, str):
        for rid, rtype in b.resource_types.items():
            if rtype in FUNCTION_TYPES and ("${" + rid + "}" in value or "${" + rid + "." in value):
                return rid
    return None


_REST_AUTH = {
    "NONE": AuthKind.NONE,
    "AWS_IAM": AuthKind.IAM,
    "COGNITO_USER_POOLS": AuthKind.COGNITO,
    "CUSTOM": AuthKind.LAMBDA,
    "JWT": AuthKind.JWT,
}


def rest_method(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    api_id = b.target_id(props.get("RestApiId"), REST_API_TYPES)
    if api_id is None:
        return
    resource = ref_id(props.get("ResourceId"))
    path = _path_of(b, resource if resource and resource != api_id else None, api_id)
    method = str(props.get("HttpMethod", "ANY")).upper()
    auth_type = props.get("AuthorizationType", "NONE")
    kind = _REST_AUTH.get(auth_type, AuthKind.UNKNOWN) if isinstance(auth_type, str) else AuthKind.UNKNOWN
    integration = d(props.get("Integration"))
    fid = _function_in(b, integration.get("Uri"))
    own = b.src(res)
    authorizer = ref_id(props.get("AuthorizerId"))
    b.routes.append(
        RouteDraft(
            api_id,
            method,
            path,
            own,
            fid,
            Auth(kind, authorizer, bool(b.flag(props.get("ApiKeyRequired")) is True)),
            bool(b.flag(props.get("ApiKeyRequired")) is True),
            b.props_map(props, own),
        )
    )
    if fid is not None:
        b.triggers.append(
            Trigger(TriggerKind.REST_API, fid, own, api_id, details={"route": f"{method} {path}"})
        )


def _throttle(b: Builder, node: object, rate_key: str, burst_key: str, where: SourceRef) -> Throttle | None:
    if not isinstance(node, LMap) or (rate_key not in node and burst_key not in node):
        return None
    rate = node.get(rate_key)
    burst = node.get(burst_key)
    r = (
        float(rate)
        if isinstance(rate, (int, float)) and not isinstance(rate, bool)
        else (b.unknown("throttle rate") if rate is not None else None)
    )
    return Throttle(r, b.number(burst), b.prop(node, rate_key if rate_key in node else burst_key, where))


def rest_stage_settings(b: Builder, props: LMap, own: SourceRef, name: object) -> Stage:
    """A REST API stage from Stage properties or a Deployment's StageDescription."""
    throttle = None
    route_throttles: dict[str, Throttle] = {}
    settings = props.get("MethodSettings")
    for ms in settings if isinstance(settings, list) else []:
        t = _throttle(b, ms, "ThrottlingRateLimit", "ThrottlingBurstLimit", b.src(ms))
        if t is None:
            continue
        key = f"{d(ms).get('HttpMethod', '*')} {d(ms).get('ResourcePath', '/*')}"
        if key in ("* /*", "* /~1*"):
            throttle = t
        else:
            route_throttles[key] = t
    if throttle is None:
        throttle = _throttle(b, props, "ThrottlingRateLimit", "ThrottlingBurstLimit", own)
    access = props.get("AccessLogSetting") if "AccessLogSetting" in props else props.get("AccessLogSettings")
    return Stage(
        name=b.text(name) if name is not None else "?",
        source=own,
        tracing=b.flag(props.get("TracingEnabled")),
        access_logging=isinstance(access, LMap) and "DestinationArn" in access,
        throttle=throttle,
        route_throttles=route_throttles,
        props=b.props_map(props, own),
    )


def rest_stage(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    api_id = b.target_id(props.get("RestApiId"), REST_API_TYPES)
    if api_id is None or api_id not in b.apis:
        return
    own = b.src(res)
    stage = rest_stage_settings(b, props, own, props.get("StageName", rid))
    b.apis[api_id].stages[str(stage.name)] = stage


def rest_deployment(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    api_id = b.target_id(props.get("RestApiId"), REST_API_TYPES)
    if api_id is None or api_id not in b.apis or "StageName" not in props:
        return
    desc = d(props.get("StageDescription"))
    own = b.src(desc) if desc else b.src(res)
    stage = rest_stage_settings(b, desc, own, props.get("StageName"))
    b.apis[api_id].stages.setdefault(str(stage.name), stage)


def http_api(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    own = b.src(res)
    protocol = props.get("ProtocolType", "HTTP")
    kind = ApiKind.WEBSOCKET if protocol == "WEBSOCKET" else ApiKind.HTTP
    api = ApiDraft(
        rid,
        kind,
        own,
        name=b.text(props["Name"]) if "Name" in props else None,
        endpoint_type="REGIONAL",
        disable_execute_api_endpoint=b.flag(props.get("DisableExecuteApiEndpoint")),
        props=b.props_map(props, own),
    )
    b.apis[rid] = api
    target = props.get("Target")  # quick create: one $default route to the target
    fid = _function_in(b, target)
    if fid is not None:
        b.routes.append(
            RouteDraft(rid, "ANY", "$default", b.prop(props, "Target", own), fid, Auth(AuthKind.NONE))
        )
        b.triggers.append(Trigger(TriggerKind.HTTP_API, fid, own, rid, details={"route": "$default"}))
        api.stages["$default"] = Stage("$default", own)
    from faasguard.loaders.openapi import queue_body  # openapi imports this module

    queue_body(b, rid, props.get("Body"))


_V2_AUTH = {"NONE": AuthKind.NONE, "AWS_IAM": AuthKind.IAM, "JWT": AuthKind.JWT, "CUSTOM": AuthKind.LAMBDA}


def http_route(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    api_id = b.target_id(props.get("ApiId"), HTTP_API_TYPES)
    if api_id is None:
        return
    key = props.get("RouteKey")
    method, path = "ANY", str(key) if isinstance(key, str) else "?"
    if isinstance(key, str) and " " in key:
        method, path = key.split(" ", 1)
    target = props.get("Target")
    integ = ref_id(target) if not isinstance(target, str) else None
    if integ is None and isinstance(target, str):
        for cand in b.raw_props:
            if "${" + cand + "}" in target:
                integ = cand
    fid = _function_in(b, d(b.raw_props.get(integ or "")).get("IntegrationUri")) if integ else None
    auth_type = props.get("AuthorizationType", "NONE")
    kind = _V2_AUTH.get(auth_type, AuthKind.UNKNOWN) if isinstance(auth_type, str) else AuthKind.UNKNOWN
    own = b.src(res)
    b.routes.append(
        RouteDraft(
            api_id,
            method.upper(),
            path,
            own,
            fid,
            Auth(kind, ref_id(props.get("AuthorizerId"))),
            bool(b.flag(props.get("ApiKeyRequired")) is True),
            b.props_map(props, own),
        )
    )
    if fid is not None:
        kind_t = (
            TriggerKind.WEBSOCKET
            if b.apis.get(api_id) and b.apis[api_id].kind is ApiKind.WEBSOCKET
            else TriggerKind.HTTP_API
        )
        b.triggers.append(Trigger(kind_t, fid, own, api_id, details={"route": f"{method} {path}"}))


def http_stage(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    api_id = b.target_id(props.get("ApiId"), HTTP_API_TYPES)
    if api_id is None or api_id not in b.apis:
        return
    own = b.src(res)
    b.apis[api_id].stages[str(props.get("StageName", "$default"))] = http_stage_settings(
        b, props, own, props.get("StageName", "$default")
    )


def http_stage_settings(b: Builder, props: LMap, own: SourceRef, name: object) -> Stage:
    defaults = props.get("DefaultRouteSettings")
    throttle = _throttle(b, defaults, "ThrottlingRateLimit", "ThrottlingBurstLimit", own)
    route_throttles: dict[str, Throttle] = {}
    rs = props.get("RouteSettings")
    if isinstance(rs, LMap):
        for route_key, settings in rs.items():
            t = _throttle(b, settings, "ThrottlingRateLimit", "ThrottlingBurstLimit", own)
            if t is not None:
                route_throttles[str(route_key)] = t
    access = props.get("AccessLogSettings")
    return Stage(
        b.text(name),
        own,
        tracing=False,
        access_logging=isinstance(access, LMap) and "DestinationArn" in access,
        throttle=throttle,
        route_throttles=route_throttles,
        props=b.props_map(props, own),
    )


def rest_domain(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    own = b.src(res)
    policy: object = props.get("SecurityPolicy")
    configs = props.get("DomainNameConfigurations")
    where = b.prop(props, "SecurityPolicy", own)
    if policy is None and isinstance(configs, list) and configs:
        policy = d(configs[0]).get("SecurityPolicy")
        where = b.prop(d(configs[0]), "SecurityPolicy", own)
    dom_props = b.props_map(props, own)
    dom_props["SecurityPolicy"] = where
    b.domain_drafts[rid] = {
        "id": rid,
        "name": b.text(props.get("DomainName", rid)),
        "source": own,
        "security_policy": b.text(policy) if policy is not None else None,
        "apis": [],
        "props": dom_props,
    }


def base_path_mapping(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    dom = ref_id(props.get("DomainName"))
    api = ref_id(props.get("RestApiId") or props.get("ApiId"))
    if dom in b.domain_drafts and api:
        b.domain_drafts[dom]["apis"].append(api)
    elif api:
        b.domain_drafts.setdefault(
            f"{rid}",
            {
                "id": rid,
                "name": b.text(props.get("DomainName")),
                "source": b.src(res),
                "security_policy": None,
                "apis": [api],
                "props": {},
            },
        )


def usage_plan(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    own = b.src(res)
    stages = []
    api_stages = props.get("ApiStages")
    for s in api_stages if isinstance(api_stages, list) else []:
        api = ref_id(d(s).get("ApiId"))
        stage = d(s).get("Stage")
        stage_name = b.text(stage) if not isinstance(stage, RefTo) else stage.logical_id
        stages.append((api if api else b.text(d(s).get("ApiId")), stage_name))
    quota = d(props.get("Quota")).get("Limit")
    b.usage_plans.append(
        UsagePlan(
            rid,
            own,
            tuple(stages),
            _throttle(b, props.get("Throttle"), "RateLimit", "BurstLimit", own),
            b.number(quota),
        )
    )


def waf_association(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    b.waf_targets.append(props.get("ResourceArn"))


# --- data stores -------------------------------------------------------------------------------


def s3_bucket(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    own = b.src(res)
    kms: object = None
    enc = d(props.get("BucketEncryption")).get("ServerSideEncryptionConfiguration")
    for rule in enc if isinstance(enc, list) else []:
        default = d(d(rule).get("ServerSideEncryptionByDefault"))
        if default.get("SSEAlgorithm") in ("aws:kms", "aws:kms:dsse") and default.get("KMSMasterKeyID"):
            kms = b.text(default["KMSMasterKeyID"])
    pab = props.get("PublicAccessBlockConfiguration")
    block: dict[str, object] | None = None
    sprops = b.props_map(props, own)
    if isinstance(pab, LMap):
        block = {}
        for flag in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"):
            if flag in pab:
                block[flag] = b.flag(pab[flag])
                sprops["PublicAccessBlockConfiguration." + flag] = b.prop(pab, flag, own)
    notes = []
    ncfg = d(props.get("NotificationConfiguration"))
    for key, kind in (
        ("LambdaConfigurations", "lambda"),
        ("QueueConfigurations", "sqs"),
        ("TopicConfigurations", "sns"),
    ):
        items = ncfg.get(key)
        for item in items if isinstance(items, list) else []:
            target = d(item).get("Function") or d(item).get("Queue") or d(item).get("Topic")
            tid = ref_id(target)
            notes.append((kind, tid if tid else b.text(target)))
            if kind == "lambda" and tid and b.resource_types.get(tid) in FUNCTION_TYPES:
                b.triggers.append(Trigger(TriggerKind.S3, tid, b.src(item), rid))
    owner = d(d(props.get("OwnershipControls")).get("Rules"))
    b.add_store(
        rid,
        kind=StoreKind.S3,
        source=own,
        name=b.text(props["BucketName"]) if "BucketName" in props else None,
        kms_key=kms,
        public_access_block=block,
        acl=b.text(props["AccessControl"]) if "AccessControl" in props else None,
        ownership=b.text(owner.get("ObjectOwnership")) if "ObjectOwnership" in owner else None,
        notifications=tuple(notes),
        props=sprops,
    )


def store_policy(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    own = b.src(res)
    targets: list[object] = []
    for key in ("Bucket", "Queues", "Topics"):
        value = props.get(key)
        if isinstance(value, list):
            targets.extend(value)
        elif value is not None:
            targets.append(value)
    policy = parse_policy(
        props.get("PolicyDocument"),
        rid,
        b.rel,
        b.prop(props, "PolicyDocument", own).line,
        origin="resource-policy",
    )
    b.store_policies.append((targets, policy))


def _simple_store(kind: StoreKind, name_key: str, kms: Callable[[LMap], object]) -> Handler:
    def handle(b: Builder, rid: str, props: LMap, res: LMap) -> None:
        own = b.src(res)
        key = kms(props)
        b.add_store(
            rid,
            kind=kind,
            source=own,
            name=b.text(props[name_key]) if name_key in props else None,
            kms_key=b.text(key) if key is not None else None,
            props=b.props_map(props, own),
        )

    return handle


def _dynamodb_kms(props: LMap) -> object:
    sse = d(props.get("SSESpecification"))
    return sse.get("KMSMasterKeyId") if sse.get("SSEEnabled") is True else None


# --- logging, monitoring, identity -------------------------------------------------------------


def log_group(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    own = b.src(res)
    name = props.get("LogGroupName")
    b.log_groups.append(
        LogGroup(
            rid,
            own,
            b.text(name) if name is not None else None,
            b.number(props.get("RetentionInDays")),
            None,
            b.text(props["KmsKeyId"]) if "KmsKeyId" in props else None,
            b.props_map(props, own),
        )
    )


def alarm(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    dims: dict[str, object] = {}
    blocks = [props] + [
        d(d(m).get("MetricStat")).get("Metric")
        for m in props.get("Metrics") or []
        if isinstance(props.get("Metrics"), list)
    ]
    metric = props.get("MetricName")
    namespace = props.get("Namespace")
    for block in blocks:
        block = d(block)
        metric = metric or block.get("MetricName")
        namespace = namespace or block.get("Namespace")
        dim_list = block.get("Dimensions")
        for dim in dim_list if isinstance(dim_list, list) else []:
            name = d(dim).get("Name")
            if isinstance(name, str):
                value = d(dim).get("Value")
                dims[name] = ref_id(value) or (value if isinstance(value, str) else None)
    b.alarms.append(
        Alarm(
            rid,
            b.src(res),
            b.text(namespace) if namespace is not None else None,
            b.text(metric) if metric is not None else None,
            dims,
        )
    )


def user_pool(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    own = b.src(res)
    policies = d(props.get("Policies"))
    pw = d(policies.get("PasswordPolicy"))
    upprops = b.props_map(props, own)
    for k in pw:
        upprops["PasswordPolicy." + k] = b.prop(pw, k, own)
    attrs = []
    schema = props.get("Schema")
    for a in schema if isinstance(schema, list) else []:
        name = d(a).get("Name")
        if isinstance(name, str):
            attrs.append((name, d(a).get("Mutable", True) is not False, b.src(a)))
    b.user_pools.append(
        UserPool(
            rid,
            own,
            dict(pw) if "PasswordPolicy" in policies else {},
            b.text(props["MfaConfiguration"]) if "MfaConfiguration" in props else None,
            tuple(attrs),
            (),
            upprops,
        )
    )


def user_pool_client(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    pool = ref_id(props.get("UserPoolId"))
    writes = props.get("WriteAttributes")
    if pool is None:
        return
    if not isinstance(writes, list):
        b.client_writes.append((pool, rid, "*", b.src(res)))
        return
    where = b.prop(props, "WriteAttributes", b.src(res))
    for attr in writes:
        if isinstance(attr, str):
            b.client_writes.append(
                (pool, rid, attr, SourceRef(b.rel, line_of(attr, where.line), line_of(attr, where.line)))
            )


def identity_pool(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    own = b.src(res)
    b.identity_pools.append(
        IdentityPool(rid, own, b.flag(props.get("AllowUnauthenticatedIdentities")), b.props_map(props, own))
    )


def trail(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    b.trails.append(Trail(rid, b.src(res)))


def budget(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    b.budgets.append(Budget(rid, b.src(res)))


def _custom_domain(b: Builder, draft: dict[str, Any]) -> CustomDomain:
    return CustomDomain(
        draft["id"],
        draft["name"],
        draft["source"],
        draft["security_policy"],
        tuple(draft["apis"]),
        draft["props"],
    )


HANDLERS: dict[str, Handler] = {
    "AWS::Lambda::Function": lambda_function,
    "AWS::Lambda::Url": lambda_url,
    "AWS::Lambda::Permission": lambda_permission,
    "AWS::Lambda::EventSourceMapping": event_source_mapping,
    "AWS::Lambda::EventInvokeConfig": event_invoke_config,
    "AWS::Events::Rule": events_rule,
    "AWS::SNS::Subscription": sns_subscription,
    "AWS::Logs::SubscriptionFilter": log_subscription,
    "AWS::IAM::Role": iam_role,
    "AWS::IAM::Policy": iam_policy,
    "AWS::IAM::ManagedPolicy": iam_policy,
    "AWS::IAM::RolePolicy": iam_policy,
    "AWS::ApiGateway::RestApi": rest_api,
    "AWS::ApiGateway::Method": rest_method,
    "AWS::ApiGateway::Stage": rest_stage,
    "AWS::ApiGateway::Deployment": rest_deployment,
    "AWS::ApiGateway::UsagePlan": usage_plan,
    "AWS::ApiGateway::DomainName": rest_domain,
    "AWS::ApiGateway::BasePathMapping": base_path_mapping,
    "AWS::ApiGatewayV2::Api": http_api,
    "AWS::ApiGatewayV2::Route": http_route,
    "AWS::ApiGatewayV2::Stage": http_stage,
    "AWS::ApiGatewayV2::DomainName": rest_domain,
    "AWS::ApiGatewayV2::ApiMapping": base_path_mapping,
    "AWS::WAFv2::WebACLAssociation": waf_association,
    "AWS::WAFRegional::WebACLAssociation": waf_association,
    "AWS::S3::Bucket": s3_bucket,
    "AWS::S3::BucketPolicy": store_policy,
    "AWS::SQS::QueuePolicy": store_policy,
    "AWS::SNS::TopicPolicy": store_policy,
    "AWS::DynamoDB::Table": _simple_store(StoreKind.DYNAMODB, "TableName", _dynamodb_kms),
    "AWS::DynamoDB::GlobalTable": _simple_store(StoreKind.DYNAMODB, "TableName", _dynamodb_kms),
    "AWS::SQS::Queue": _simple_store(StoreKind.SQS, "QueueName", lambda p: p.get("KmsMasterKeyId")),
    "AWS::SNS::Topic": _simple_store(StoreKind.SNS, "TopicName", lambda p: p.get("KmsMasterKeyId")),
    "AWS::SecretsManager::Secret": _simple_store(StoreKind.SECRET, "Name", lambda p: p.get("KmsKeyId")),
    "AWS::Kinesis::Stream": _simple_store(
        StoreKind.KINESIS, "Name", lambda p: d(p.get("StreamEncryption")).get("KeyId")
    ),
    "AWS::Logs::LogGroup": log_group,
    "AWS::CloudWatch::Alarm": alarm,
    "AWS::Cognito::UserPool": user_pool,
    "AWS::Cognito::UserPoolClient": user_pool_client,
    "AWS::Cognito::IdentityPool": identity_pool,
    "AWS::CloudTrail::Trail": trail,
    "AWS::Budgets::Budget": budget,
}
