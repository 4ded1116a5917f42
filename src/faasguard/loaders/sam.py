"""The SAM transform's meaning, read directly into the model (no translation is executed).

`Globals`, implicit `ServerlessRestApi` / `ServerlessHttpApi`, function `Events`, the implicit
execution role with `Policies` (policy templates expanded from aws-sam-translator's own data),
`Auth`, `FunctionUrlConfig`, `DeadLetterQueue`, `EventInvokeConfig` and `Connector`s.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from typing import Any

from faasguard.loaders.build import ApiDraft, Builder, RouteDraft
from faasguard.loaders.cfn_resources import (
    FUNCTION_TYPES,
    d,
    http_stage_settings,
    new_function,
    rest_stage_settings,
)
from faasguard.loaders.intrinsics import Resolver, ref_id
from faasguard.loaders.nodes import LList, LMap, LStr, line_of
from faasguard.loaders.policy_doc import parse_policy, str_list
from faasguard.model import (
    ApiKind,
    Auth,
    AuthKind,
    FunctionUrl,
    ManagedPolicyRef,
    Permission,
    Policy,
    SourceRef,
    Statement,
    StoreKind,
    Trigger,
    TriggerKind,
    UsagePlan,
)

IMPLICIT_REST = "ServerlessRestApi"
IMPLICIT_HTTP = "ServerlessHttpApi"
_AWS_MANAGED = "arn:aws:iam::aws:policy/"


@cache
def policy_templates() -> dict[str, Any]:
    """SAM's policy templates, read from the installed aws-sam-translator (not hand-copied)."""
    import importlib.resources as resources

    data = resources.files("samtranslator") / "policy_templates_data" / "policy_templates.json"
    templates: dict[str, Any] = json.loads(data.read_text(encoding="utf-8"))["Templates"]
    return templates


@cache
def managed_policy_arns() -> dict[str, str]:
    """AWS managed policy name -> ARN (many live under service-role/ or job-function/)."""
    import importlib.resources as resources

    data = resources.files("samtranslator") / "internal" / "data" / "aws_managed_policies.json"
    arns: dict[str, str] = json.loads(data.read_text(encoding="utf-8")).get("aws", {})
    return arns


def managed_arn(name: str) -> str:
    return name if name.startswith("arn:") else managed_policy_arns().get(name, _AWS_MANAGED + name)


@cache
def connector_profiles() -> dict[str, Any]:
    import importlib.resources as resources

    data = resources.files("samtranslator") / "model" / "connector_profiles" / "profiles.json"
    profiles: dict[str, Any] = json.loads(data.read_text(encoding="utf-8"))["Permissions"]
    return profiles


def merge_globals(glob: object, own: LMap) -> LMap:
    """SAM's Globals rule: maps merge, lists concatenate (globals first), scalars are overridden."""
    if not isinstance(glob, LMap):
        return own
    out = LMap(own.line, own.end_line)
    for k, v in glob.items():
        out[k] = v
        out.key_lines[k] = glob.key_lines.get(k, glob.line)
    for k, v in own.items():
        if k in out and isinstance(out[k], LMap) and isinstance(v, LMap):
            out[k] = merge_globals(out[k], v)
        elif k in out and isinstance(out[k], list) and isinstance(v, list):
            merged = LList(line_of(v), getattr(v, "end_line", 0))
            merged.extend(out[k])
            merged.extend(v)
            out[k] = merged
        else:
            out[k] = v
        out.key_lines[k] = own.key_lines.get(k, own.line)
    return out


# --- functions ---------------------------------------------------------------------------------


def sam_function(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    props = merge_globals(d(b.globals.get("Function")), props)
    fields = new_function(b, rid, res, props, sam=True)
    own: SourceRef = fields["source"]
    role = props.get("Role")
    if role is not None:
        rid_role = b.target_id(role, ("AWS::IAM::Role",))
        fields["role"] = (
            rid_role
            if rid_role
            else b.unknown("execution role defined outside the template", b.prop(props, "Role", own))
        )
    else:
        fields["role"] = _implicit_role(b, rid, props, own)
    url_cfg = props.get("FunctionUrlConfig")
    if isinstance(url_cfg, LMap):
        _function_url(b, rid, url_cfg, b.prop(props, "FunctionUrlConfig", own))
    invoke = d(props.get("EventInvokeConfig"))
    dest = d(d(invoke.get("DestinationConfig")).get("OnFailure"))
    if dest:
        target = dest.get("Destination")
        fields["on_failure"] = b.text(target) if target is not None else b.text(dest.get("Type", "?"))
        fields["props"]["EventInvokeConfig"] = b.prop(props, "EventInvokeConfig", own)
    events = props.get("Events")
    if isinstance(events, LMap):
        for name, event in events.items():
            if isinstance(event, LMap):
                _event(b, rid, str(name), event)


def _implicit_role(b: Builder, fid: str, props: LMap, own: SourceRef) -> str:
    rid = fid + "Role"
    where = b.prop(props, "Policies", own)
    draft = b.role(rid, where, implicit=True)
    draft.trust = Policy(
        "AssumeRolePolicyDocument",
        own,
        (
            Statement(
                "Allow", own, actions=("sts:AssumeRole",), principals={"Service": ("lambda.amazonaws.com",)}
            ),
        ),
        origin="trust",
    )
    # Durable functions get their own basic policy (it includes the basic logging rights).
    basic = (
        "AWSLambdaBasicDurableExecutionRolePolicy"
        if "DurableConfig" in props
        else "AWSLambdaBasicExecutionRole"
    )
    draft.managed.append(ManagedPolicyRef(_AWS_MANAGED + "service-role/" + basic, own))
    tracing = props.get("Tracing")
    if isinstance(tracing, str) and tracing != "Disabled":  # SAM adds X-Ray rights for PassThrough too
        draft.managed.append(
            ManagedPolicyRef(_AWS_MANAGED + "AWSXrayWriteOnlyAccess", b.prop(props, "Tracing", own))
        )
    if isinstance(props.get("VpcConfig"), LMap):
        draft.managed.append(
            ManagedPolicyRef(
                _AWS_MANAGED + "service-role/AWSLambdaVPCAccessExecutionRole", b.prop(props, "VpcConfig", own)
            )
        )
    if "PermissionsBoundary" in props:
        draft.boundary = b.text(props["PermissionsBoundary"])
    policies = props.get("Policies")
    items = policies if isinstance(policies, list) else ([policies] if policies is not None else [])
    for i, item in enumerate(items):
        _sam_policy(b, draft, fid, i, item, line_of(item, where.line))
    dlq = d(props.get("DeadLetterQueue"))
    if dlq.get("TargetArn") is not None:
        action = "sns:Publish" if dlq.get("Type") == "SNS" else "sqs:SendMessage"
        src = b.prop(props, "DeadLetterQueue", own)
        draft.policies.append(
            Policy(
                f"{fid}DeadLetterQueuePolicy",
                src,
                (Statement("Allow", src, actions=(action,), resources=(b.text(dlq["TargetArn"]),)),),
                origin="sam",
            )
        )
    for kind in ("OnSuccess", "OnFailure"):
        dest = d(d(d(props.get("EventInvokeConfig")).get("DestinationConfig")).get(kind))
        dest_action = {
            "SQS": "sqs:SendMessage",
            "SNS": "sns:Publish",
            "Lambda": "lambda:InvokeFunction",
            "EventBridge": "events:PutEvents",
        }.get(str(dest.get("Type")))
        if dest_action and dest.get("Destination") is not None:
            src = b.prop(props, "EventInvokeConfig", own)
            draft.policies.append(
                Policy(
                    f"{fid}EventInvokeConfig{kind}Policy",
                    src,
                    (
                        Statement(
                            "Allow", src, actions=(dest_action,), resources=(b.text(dest["Destination"]),)
                        ),
                    ),
                    origin="sam",
                )
            )
    return rid


def _sam_policy(b: Builder, draft: Any, fid: str, index: int, item: object, line: int) -> None:
    where = SourceRef(b.rel, line, line)
    if isinstance(item, str):
        draft.managed.append(ManagedPolicyRef(managed_arn(item), where))
        return
    if not isinstance(item, dict):
        mid = b.target_id(item, ("AWS::IAM::ManagedPolicy",))
        if mid is not None:
            b.managed_attachments.append((mid, [LStr("${" + draft.id + "}", line)]))
        else:
            draft.managed.append(ManagedPolicyRef(b.text(item), where))
        return
    if "Statement" in item:
        draft.policies.append(parse_policy(item, f"{fid}RolePolicy{index}", b.rel, line))
        return
    templates = policy_templates()
    for name, params in item.items():
        template = templates.get(name)
        if template is None:
            draft.policies.append(
                Policy(f"{fid}Policy{index}", where, origin=f"sam-template:{name}", unresolved=True)
            )
            b.unknown(f"unknown SAM policy template {name}", where)
            continue
        values = dict(params) if isinstance(params, dict) else {}
        # Template statements have no lines of their own: point them at the template's use.
        statements = tuple(
            Statement(**{**_fields(s), "source": where, "props": {}})
            for s in _template_statements(name, values)
        )
        draft.policies.append(
            Policy(f"{fid}Policy{index}{name}", where, statements, origin=f"sam-template:{name}")
        )


def _template_statements(name: str, values: dict[str, object]) -> tuple[Statement, ...]:
    """A policy template's statements for these parameter values (cached: monorepos repeat them)."""
    items = tuple(sorted(values.items()))
    try:
        hash(items)
    except TypeError:  # a parameter given as a mapping or list: expand without the cache
        return _expand_template.__wrapped__(name, items)
    return _expand_template(name, items)


@lru_cache(maxsize=4096)
def _expand_template(name: str, items: tuple[tuple[str, object], ...]) -> tuple[Statement, ...]:
    resolver = Resolver("<policy template>", dict(items), {}, {}, {})
    definition = resolver.resolve(policy_templates()[name]["Definition"])
    return parse_policy(definition, name, "<policy template>", 0).statements


def _fields(st: Statement) -> dict[str, Any]:
    return {f: getattr(st, f) for f in Statement.__dataclass_fields__}


def _function_url(b: Builder, fid: str, cfg: LMap, where: SourceRef) -> None:
    origins = d(cfg.get("Cors")).get("AllowOrigins")
    auth = b.text(cfg.get("AuthType", b.unknown("Function URL AuthType")))
    url = FunctionUrl(
        auth, where, str_list(origins) if isinstance(origins, list) else (), b.props_map(cfg, where)
    )
    b.pending_urls.append((fid, url))
    if auth == "NONE":  # SAM adds the public invoke permission the URL needs
        b.permissions.append(
            Permission(
                f"{fid}UrlPublicPermissions",
                fid,
                "lambda:InvokeFunctionUrl",
                "*",
                where,
                function_url_auth_type="NONE",
                implicit=True,
            )
        )


# --- events ------------------------------------------------------------------------------------

_SIMPLE_EVENTS = {
    "S3": (TriggerKind.S3, "Bucket"),
    "SQS": (TriggerKind.SQS, "Queue"),
    "SNS": (TriggerKind.SNS, "Topic"),
    "Kinesis": (TriggerKind.KINESIS, "Stream"),
    "DynamoDB": (TriggerKind.DYNAMODB_STREAM, "Stream"),
    "EventBridgeRule": (TriggerKind.EVENTBRIDGE, "EventBusName"),
    "CloudWatchEvent": (TriggerKind.EVENTBRIDGE, "EventBusName"),
    "Schedule": (TriggerKind.SCHEDULE, "Schedule"),
    "ScheduleV2": (TriggerKind.SCHEDULE, "ScheduleExpression"),
    "CloudWatchLogs": (TriggerKind.CLOUDWATCH_LOGS, "LogGroupName"),
    "Cognito": (TriggerKind.COGNITO, "UserPool"),
    "IoTRule": (TriggerKind.IOT, "Sql"),
    "AlexaSkill": (TriggerKind.ALEXA, "SkillId"),
    "MSK": (TriggerKind.KAFKA, "Stream"),
    "SelfManagedKafka": (TriggerKind.KAFKA, "Topics"),
    "MQ": (TriggerKind.MQ, "Broker"),
    "DocumentDB": (TriggerKind.OTHER, "Cluster"),
}

_POLLER_MANAGED = {
    "SQS": "service-role/AWSLambdaSQSQueueExecutionRole",
    "Kinesis": "service-role/AWSLambdaKinesisExecutionRole",
    "DynamoDB": "service-role/AWSLambdaDynamoDBExecutionRole",
    "MSK": "service-role/AWSLambdaMSKExecutionRole",
}


# Pollers whose rights SAM writes as statements (the rest get a managed policy, above).
_POLLER_ACTIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "DocumentDB": (
        (
            "ec2:CreateNetworkInterface",
            "ec2:DeleteNetworkInterface",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeSubnets",
            "ec2:DescribeVpcs",
            "rds:DescribeDBClusterParameters",
            "rds:DescribeDBClusters",
            "rds:DescribeDBSubnetGroups",
        ),
        None,
    ),
    "MQ": (("mq:DescribeBroker",), "Broker"),
    "SelfManagedKafka": ((), None),
}


# Access configurations whose URI is a Secrets Manager secret the poller reads.
_SECRET_AUTH_TYPES = (
    "BASIC_AUTH",
    "SASL_SCRAM_256_AUTH",
    "SASL_SCRAM_512_AUTH",
    "CLIENT_CERTIFICATE_TLS_AUTH",
)


def _poller_statements(b: Builder, etype: str, props: LMap, where: SourceRef) -> tuple[Statement, ...]:
    actions, target_key = _POLLER_ACTIONS[etype]
    statements = []
    if actions:
        resource = b.text(props[target_key]) if target_key and target_key in props else "*"
        statements.append(Statement("Allow", where, actions=actions, resources=(resource,)))
    configs = props.get("SourceAccessConfigurations")
    secrets = [
        b.text(c.get("URI"))
        for c in (configs if isinstance(configs, list) else [])
        if isinstance(c, LMap) and c.get("Type") in _SECRET_AUTH_TYPES and c.get("URI") is not None
    ]
    if secrets:
        statements.append(
            Statement("Allow", where, actions=("secretsmanager:GetSecretValue",), resources=tuple(secrets))
        )
    return tuple(statements)


# Push sources: SAM adds a resource-based permission for the service to invoke the function.
_PUSH_PRINCIPALS = {
    "S3": "s3.amazonaws.com",
    "SNS": "sns.amazonaws.com",
    "EventBridgeRule": "events.amazonaws.com",
    "CloudWatchEvent": "events.amazonaws.com",
    "Schedule": "events.amazonaws.com",
    "CloudWatchLogs": "logs.amazonaws.com",
    "IoTRule": "iot.amazonaws.com",
    "Cognito": "cognito-idp.amazonaws.com",
    "AlexaSkill": "alexa-appkit.amazon.com",
}


def _event(b: Builder, fid: str, name: str, event: LMap) -> None:
    etype = event.get("Type")
    props = d(event.get("Properties"))
    where = b.src(event)
    if etype in ("Api", "HttpApi"):
        _api_event(b, fid, name, props, where, http=etype == "HttpApi")
        return
    if not isinstance(etype, str) or etype not in _SIMPLE_EVENTS:
        b.triggers.append(Trigger(TriggerKind.OTHER, fid, where, None, details={"event": name}))
        return
    kind, key = _SIMPLE_EVENTS[etype]
    target = props.get(key)
    tid = ref_id(target)
    failure = d(d(props.get("DestinationConfig")).get("OnFailure")).get("Destination")
    b.triggers.append(
        Trigger(
            kind,
            fid,
            where,
            tid if tid else (b.text(target) if target is not None else None),
            details={"event": name, "type": etype},
            on_failure=b.text(failure) if failure is not None else None,
        )
    )
    role_id = fid + "Role"
    implicit_role = b.roles[role_id] if role_id in b.roles and b.roles[role_id].implicit else None
    if etype in _POLLER_MANAGED and implicit_role is not None:
        implicit_role.managed.append(ManagedPolicyRef(_AWS_MANAGED + _POLLER_MANAGED[etype], where))
    if implicit_role is not None and etype in _POLLER_ACTIONS:
        statements = _poller_statements(b, etype, props, where)
        implicit_role.policies.append(Policy(f"{fid}{name}PollerPolicy", where, statements, origin="sam"))
    on_failure = d(d(props.get("DestinationConfig")).get("OnFailure"))
    if implicit_role is not None and on_failure.get("Destination") is not None:
        action = "sns:publish" if on_failure.get("Type") == "SNS" else "sqs:SendMessage"
        implicit_role.policies.append(
            Policy(
                f"{fid}{name}DestinationPolicy",
                where,
                (
                    Statement(
                        "Allow", where, actions=(action,), resources=(b.text(on_failure["Destination"]),)
                    ),
                ),
                origin="sam",
            )
        )
    if etype == "S3" and tid and tid in b.stores:
        store = b.stores[tid]
        store["notifications"] = (*store.get("notifications", ()), ("lambda", fid))
    if etype in _PUSH_PRINCIPALS:
        principal = _PUSH_PRINCIPALS[etype]
        b.permissions.append(
            Permission(
                f"{fid}{name}Permission",
                fid,
                "lambda:InvokeFunction",
                principal,
                where,
                source_arn=b.text(target) if target is not None else "${event}",
                implicit=True,
            )
        )


def _route_auth(b: Builder, api: ApiDraft, auth: LMap) -> Auth | None:
    """A SAM event's Auth block; None when it defers to the API's default."""
    authorizer = auth.get("Authorizer")
    scopes = tuple(str(s) for s in auth.get("AuthorizationScopes") or [] if isinstance(s, str))
    if authorizer is None:
        return None
    if authorizer == "NONE":
        return Auth(AuthKind.NONE)
    if authorizer == "AWS_IAM":
        return Auth(AuthKind.IAM, "AWS_IAM")
    if isinstance(authorizer, str) and authorizer in api.authorizers:
        base = api.authorizers[authorizer]
        return Auth(base.kind, authorizer, False, scopes)
    return Auth(AuthKind.UNKNOWN, str(authorizer) if isinstance(authorizer, str) else None)


def _api_event(b: Builder, fid: str | None, name: str, props: LMap, where: SourceRef, http: bool) -> None:
    """An `Api` (REST) or `HttpApi` event: a route on the named or implicit API, and for a function
    (None: a state machine) the trigger and the invoke permission SAM adds."""
    kind = TriggerKind.HTTP_API if http else TriggerKind.REST_API
    api_ref = props.get("ApiId" if http else "RestApiId")
    if api_ref is None:
        api_id = IMPLICIT_HTTP if http else IMPLICIT_REST
        (implicit_http_api if http else implicit_rest_api)(b, where)
    else:
        found = ref_id(api_ref)
        if found is None or found not in b.apis:
            if fid is not None:
                outside = b.unknown("API defined outside the template")
                b.triggers.append(
                    Trigger(kind, fid, where, b.text(api_ref), public=outside, details={"event": name})
                )
            return
        api_id = found
    api = b.apis[api_id]
    if http and "Path" not in props and "Method" not in props:
        method, path = "ANY", "$default"
    else:
        method = str(props.get("Method", "ANY")).upper()
        path = str(props.get("Path", "/"))
    auth_block = d(props.get("Auth"))
    auth = _route_auth(b, api, auth_block)
    if method == "OPTIONS" and auth is None:
        auth = Auth(AuthKind.NONE)
    key_required = auth_block.get("ApiKeyRequired")
    if api.user_definition:
        _definition_event(b, api_id, method, path, auth, auth_block)
    else:
        b.routes.append(
            RouteDraft(
                api_id,
                method,
                path,
                where,
                fid,
                auth,
                False if http else (key_required if isinstance(key_required, bool) else None),
                _auth_props(b, props, auth_block, where),
            )
        )
    if fid is None:
        return
    b.triggers.append(Trigger(kind, fid, where, api_id, details={"event": name, "route": f"{method} {path}"}))
    b.permissions.append(
        Permission(
            f"{fid}{name}Permission",
            fid,
            "lambda:InvokeFunction",
            "apigateway.amazonaws.com",
            where,
            source_arn=f"arn:aws:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api_id}}}/*",
            implicit=True,
        )
    )


def _definition_event(
    b: Builder, api_id: str, method: str, path: str, auth: Auth | None, auth_block: LMap
) -> None:
    """An event on an API with its own definition: the definition decides the route, and the
    event's Auth counts only with `OverrideApiAuth` (SAM's behaviour without MergeDefinitions)."""
    if auth is not None and auth_block.get("OverrideApiAuth") is True:
        b.route_overrides[(api_id, method, path)] = auth


def _auth_props(b: Builder, props: LMap, auth: LMap, where: SourceRef) -> dict[str, SourceRef]:
    out = b.props_map(props, where)
    if "Authorizer" in auth.key_lines:
        out["Auth.Authorizer"] = b.prop(auth, "Authorizer", where)
    if "ApiKeyRequired" in auth.key_lines:
        out["Auth.ApiKeyRequired"] = b.prop(auth, "ApiKeyRequired", where)
    return out


# --- APIs --------------------------------------------------------------------------------------


def implicit_rest_api(b: Builder, where: SourceRef) -> None:
    if IMPLICIT_REST not in b.apis:
        glob = d(b.globals.get("Api"))
        gwhere = b.src(glob) if glob else where
        _rest_api(b, IMPLICIT_REST, glob, gwhere, implicit=True, default_stage="Prod")


def implicit_http_api(b: Builder, where: SourceRef) -> None:
    if IMPLICIT_HTTP not in b.apis:
        glob = d(b.globals.get("HttpApi"))
        gwhere = b.src(glob) if glob else where
        _http_api(b, IMPLICIT_HTTP, glob, gwhere, implicit=True)


def sam_api(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    props = merge_globals(d(b.globals.get("Api")), props)
    _rest_api(b, rid, props, b.src(res), implicit=False, default_stage=None)


def sam_http_api(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    props = merge_globals(d(b.globals.get("HttpApi")), props)
    _http_api(b, rid, props, b.src(res), implicit=False)


def _authorizers(b: Builder, api_id: str, auth: LMap) -> dict[str, Auth]:
    out: dict[str, Auth] = {}
    defs = auth.get("Authorizers")
    for name, spec in defs.items() if isinstance(defs, LMap) else []:
        spec = d(spec)
        authorizer_fn = b.target_id(spec.get("FunctionArn"), FUNCTION_TYPES)
        if authorizer_fn is not None:  # SAM lets API Gateway invoke the authorizer function
            b.permissions.append(
                Permission(
                    f"{api_id}{name}AuthorizerPermission",
                    authorizer_fn,
                    "lambda:InvokeFunction",
                    "apigateway.amazonaws.com",
                    b.src(spec),
                    source_arn=f"arn:aws:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api_id}}}/*",
                    implicit=True,
                )
            )
        if "UserPoolArn" in spec:
            kind = AuthKind.COGNITO
        elif "JwtConfiguration" in spec:
            kind = AuthKind.JWT
        elif "FunctionArn" in spec:
            kind = AuthKind.LAMBDA
        else:
            kind = AuthKind.UNKNOWN
        out[str(name)] = Auth(kind, str(name))
    if auth.get("EnableIamAuthorizer") is True:
        out["AWS_IAM"] = Auth(AuthKind.IAM, "AWS_IAM")
    return out


def _default_auth(api: ApiDraft, auth: LMap) -> Auth | None:
    default = auth.get("DefaultAuthorizer")
    if default == "AWS_IAM":
        return Auth(AuthKind.IAM, "AWS_IAM")
    if isinstance(default, str):
        base = api.authorizers.get(default)
        return Auth(base.kind if base else AuthKind.UNKNOWN, default)
    return None


def _resource_policy(b: Builder, auth: LMap, where: SourceRef) -> Policy | None:
    rp = auth.get("ResourcePolicy")
    if not isinstance(rp, LMap):
        return None
    statements: list[Statement] = []
    src = b.src(rp)
    custom = rp.get("CustomStatements")
    if custom is not None:
        doc = LMap(src.line, src.end_line or src.line)
        doc["Statement"] = custom if isinstance(custom, list) else [custom]
        statements.extend(parse_policy(doc, "CustomStatements", b.rel, src.line).statements)
    for key, cond_key in (
        ("IpRangeWhitelist", "aws:SourceIp"),
        ("SourceVpcWhitelist", "aws:SourceVpce"),
        ("IntrinsicVpcWhitelist", "aws:SourceVpc"),
        ("IntrinsicVpceWhitelist", "aws:SourceVpce"),
    ):
        if key in rp:
            statements.append(
                Statement(
                    "Deny",
                    b.prop(rp, key, src),
                    actions=("execute-api:Invoke",),
                    resources=("execute-api:/*",),
                    principals={"*": ("*",)},
                    conditions={
                        "NotIpAddress" if "Ip" in key else "StringNotEquals": {cond_key: str_list(rp[key])}
                    },
                )
            )
    return Policy("ResourcePolicy", src, tuple(statements), origin="resource-policy")


def _rest_api(
    b: Builder, rid: str, props: LMap, own: SourceRef, implicit: bool, default_stage: str | None
) -> None:
    endpoint = props.get("EndpointConfiguration")
    etype: object = "EDGE"
    if isinstance(endpoint, str):
        etype = endpoint
    elif isinstance(endpoint, LMap) and "Type" in endpoint:
        etype = b.text(endpoint["Type"])
    api = ApiDraft(
        rid,
        ApiKind.REST,
        own,
        name=b.text(props["Name"]) if "Name" in props else None,
        endpoint_type=etype,
        implicit=implicit,
        disable_execute_api_endpoint=b.flag(props.get("DisableExecuteApiEndpoint")),
        props=b.props_map(props, own),
    )
    auth = d(props.get("Auth"))
    api.authorizers = _authorizers(b, rid, auth)
    api.default_auth = _default_auth(api, auth)
    api.api_key_required = auth.get("ApiKeyRequired") is True
    api.resource_policy = _resource_policy(b, auth, own)
    stage_name = props.get("StageName", default_stage or "Prod")
    stage = rest_stage_settings(b, props, own, stage_name)
    api.stages[str(stage_name)] = stage
    plan = d(auth.get("UsagePlan"))
    if plan and plan.get("CreateUsagePlan") in ("PER_API", "SHARED"):
        from faasguard.loaders.cfn_resources import _throttle

        quota = d(plan.get("Quota")).get("Limit")
        b.usage_plans.append(
            UsagePlan(
                f"{rid}UsagePlan",
                b.src(plan),
                ((rid, b.text(stage_name)),),
                _throttle(b, plan.get("Throttle"), "RateLimit", "BurstLimit", b.src(plan)),
                b.number(quota),
            )
        )
    _sam_domain(b, rid, props, own)
    api.user_definition = _user_definition(props)
    b.apis[rid] = api
    _spec(b, rid, props)


def _http_api(b: Builder, rid: str, props: LMap, own: SourceRef, implicit: bool) -> None:
    api = ApiDraft(
        rid,
        ApiKind.HTTP,
        own,
        name=b.text(props["Name"]) if "Name" in props else None,
        endpoint_type="REGIONAL",
        implicit=implicit,
        disable_execute_api_endpoint=b.flag(props.get("DisableExecuteApiEndpoint")),
        props=b.props_map(props, own),
    )
    auth = d(props.get("Auth"))
    api.authorizers = _authorizers(b, rid, auth)
    api.default_auth = _default_auth(api, auth)
    stage_name = props.get("StageName", "$default")
    api.stages[str(stage_name)] = http_stage_settings(b, props, own, stage_name)
    _sam_domain(b, rid, props, own)
    api.user_definition = _user_definition(props)
    b.apis[rid] = api
    _spec(b, rid, props)


def _user_definition(props: LMap) -> bool:
    """The API brings its own OpenAPI definition, which SAM leaves as it is (no MergeDefinitions)."""
    own = "DefinitionBody" in props or "DefinitionUri" in props
    return own and props.get("MergeDefinitions") is not True


def _sam_domain(b: Builder, rid: str, props: LMap, own: SourceRef) -> None:
    domain = props.get("Domain")
    if not isinstance(domain, LMap):
        return
    where = b.src(domain)
    dom_props = b.props_map(domain, where)
    b.domain_drafts[f"{rid}Domain"] = {
        "id": f"{rid}Domain",
        "name": b.text(domain.get("DomainName", "?")),
        "source": where,
        "security_policy": b.text(domain["SecurityPolicy"]) if "SecurityPolicy" in domain else None,
        "apis": [rid],
        "props": dom_props,
    }


def _spec(b: Builder, rid: str, props: LMap) -> None:
    body = props.get("DefinitionBody")
    if isinstance(body, LMap):
        if "Fn::Transform" in body:  # AWS::Include of a local file
            params = d(d(body["Fn::Transform"]).get("Parameters"))
            location = params.get("Location")
            if isinstance(location, str):
                b.pending_spec_files.append((rid, location))
            return
        b.apis[rid].spec = "inline"
        b.pending_specs.append((rid, body, b.rel))
        return
    uri = props.get("DefinitionUri")
    if isinstance(uri, str):
        b.pending_spec_files.append((rid, uri))


# --- tables and connectors ---------------------------------------------------------------------


def simple_table(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    props = merge_globals(d(b.globals.get("SimpleTable")), props)
    own = b.src(res)
    sse = d(props.get("SSESpecification"))
    b.add_store(
        rid,
        kind=StoreKind.DYNAMODB,
        source=own,
        name=b.text(props["TableName"]) if "TableName" in props else None,
        kms_key=None if not sse.get("SSEEnabled") else b.text(sse.get("KMSMasterKeyId", "aws/dynamodb")),
        props=b.props_map(props, own),
    )


_SAM_TO_CFN = {
    "AWS::Serverless::Function": "AWS::Lambda::Function",
    "AWS::Serverless::SimpleTable": "AWS::DynamoDB::Table",
    "AWS::Serverless::Api": "AWS::ApiGateway::RestApi",
    "AWS::Serverless::HttpApi": "AWS::ApiGatewayV2::Api",
    "AWS::Serverless::StateMachine": "AWS::StepFunctions::StateMachine",
}


def connector(b: Builder, rid: str, props: LMap, res: LMap, source_id: str | None = None) -> None:
    """A SAM Connector grants its source function the profile's actions on each destination."""
    src_block = d(props.get("Source"))
    sid = source_id or (src_block.get("Id") if isinstance(src_block.get("Id"), str) else None)
    if sid is None or b.resource_types.get(sid) not in FUNCTION_TYPES:
        return
    dests = props.get("Destination")
    dest_list = dests if isinstance(dests, list) else [dests]
    perms = [p for p in props.get("Permissions") or [] if isinstance(p, str)]
    where = b.src(res)
    role_id = b.functions.get(sid, {}).get("role")
    if not isinstance(role_id, str) or role_id not in b.roles:
        return
    profiles = connector_profiles().get("AWS::Lambda::Function", {})
    for dest in dest_list:
        did = d(dest).get("Id")
        dtype = _SAM_TO_CFN.get(b.resource_types.get(str(did), ""), b.resource_types.get(str(did), ""))
        profile = d_plain(profiles.get(dtype))
        categories = d_plain(d_plain(profile.get("Properties")).get("AccessCategories"))
        statements: list[Statement] = []
        for perm in perms:
            for st in d_plain(categories.get(perm)).get("Statement", []):
                resources = tuple(
                    str(r)
                    .replace("%{Destination.Arn}", "${" + str(did) + ".Arn}")
                    .replace("%{Destination.Name}", "${" + str(did) + "}")
                    for r in (st.get("Resource") or [])
                )
                statements.append(
                    Statement("Allow", where, actions=tuple(st.get("Action") or ()), resources=resources)
                )
        if statements:
            b.roles[role_id].policies.append(
                Policy(f"{rid}Policy", where, tuple(statements), origin="connector")
            )


def d_plain(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def state_machine(b: Builder, rid: str, props: LMap, res: LMap) -> None:
    """A state machine's Api / HttpApi events are routes too (they reach no function)."""
    events = props.get("Events")
    for name, event in events.items() if isinstance(events, LMap) else []:
        etype = d(event).get("Type")
        if etype in ("Api", "HttpApi"):
            _api_event(
                b, None, str(name), d(d(event).get("Properties")), b.src(event), http=etype == "HttpApi"
            )


SAM_HANDLERS = {
    "AWS::Serverless::Function": sam_function,
    "AWS::Serverless::Api": sam_api,
    "AWS::Serverless::HttpApi": sam_http_api,
    "AWS::Serverless::SimpleTable": simple_table,
    "AWS::Serverless::Connector": connector,
    "AWS::Serverless::StateMachine": state_machine,
}
