"""The inventory of a live account as the application model: one `Application` per region.

Every element's `SourceRef.path` is its ARN (line 1: an ARN has no lines), so findings point at
the deployed resource. Ids are the names people know the resources by: function, role, bucket,
queue, topic, table, secret and log group names; API ids for APIs (their names in messages).

What could not be read is never taken for "nothing there": values become `Unknown` where the
model allows it, and `LiveApp.unread` tells the drift comparison what it cannot judge.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from faasguard.audit.inventory import Inventory, Record, RegionInventory
from faasguard.loaders.policy_doc import parse_policy
from faasguard.model import (
    Alarm,
    Api,
    ApiKind,
    Application,
    Auth,
    AuthKind,
    Budget,
    CustomDomain,
    DataStore,
    EnvVar,
    Function,
    FunctionUrl,
    Layer,
    LogGroup,
    ManagedPolicyRef,
    Permission,
    Policy,
    Role,
    Route,
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

LIVE_KIND = "live"
STACK_TAG = "aws:cloudformation:stack-name"
LOGICAL_TAG = "aws:cloudformation:logical-id"


@dataclass(frozen=True, slots=True)
class UrlConfig:
    """One Function URL (the function's own, or an alias's)."""

    qualifier: str | None
    auth_type: str
    source: SourceRef


@dataclass
class LiveApp:
    """A region of the account as an application, with what the comparison needs beside it."""

    app: Application
    region: str
    account: str
    # CloudFormation tags per element: ("function"|"api"|"bucket"|..., id) -> tags.
    tags: dict[tuple[str, str], Mapping[str, str]] = field(default_factory=dict)
    # Every Function URL per function (the model keeps one per function).
    urls: dict[str, list[UrlConfig]] = field(default_factory=dict)
    # Authorizer names per API id.
    authorizers: dict[str, set[str]] = field(default_factory=dict)
    # What could not be read: "functions", "function:<id>:urls", "api:<id>:routes", "role:<id>", ...
    unread: set[str] = field(default_factory=set)

    def stack_of(self, kind: str, rid: str) -> tuple[str | None, str | None]:
        tags = self.tags.get((kind, rid), {})
        return tags.get(STACK_TAG), tags.get(LOGICAL_TAG)


def build(inv: Inventory) -> list[LiveApp]:
    """One LiveApp per audited region that holds anything at all, in region order."""
    out = []
    for region in sorted(inv.regions):
        live = _Region(inv, inv.regions[region]).build()
        if live.app.resource_count or live.unread:
            out.append(live)
    return out


_AUTH_KINDS = {
    "NONE": AuthKind.NONE,
    "AWS_IAM": AuthKind.IAM,
    "COGNITO_USER_POOLS": AuthKind.COGNITO,
    "CUSTOM": AuthKind.LAMBDA,
    "JWT": AuthKind.JWT,
}
_FUNCTION_IN_URI = re.compile(r":function:([A-Za-z0-9_-]+)")
_ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
_AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
# Service principals whose permission on a function means the service invokes it (asynchronously,
# for all but Cognito): the resource policy is the live account's record of its event sources.
_PRINCIPAL_TRIGGERS = {
    "s3.amazonaws.com": TriggerKind.S3,
    "sns.amazonaws.com": TriggerKind.SNS,
    "events.amazonaws.com": TriggerKind.EVENTBRIDGE,
    "scheduler.amazonaws.com": TriggerKind.SCHEDULE,
    "iot.amazonaws.com": TriggerKind.IOT,
    "cognito-idp.amazonaws.com": TriggerKind.COGNITO,
    "elasticloadbalancing.amazonaws.com": TriggerKind.ALB,
}


def function_of_uri(uri: object) -> str | None:
    """The function name an integration URI names, when it names one."""
    if not isinstance(uri, str):
        return None
    match = _FUNCTION_IN_URI.search(uri)
    return match.group(1) if match else None


def _ref(arn: str) -> SourceRef:
    return SourceRef(arn, 1, 1)


class _Region:
    def __init__(self, inv: Inventory, ri: RegionInventory) -> None:
        self.inv = inv
        self.ri = ri
        self.region = ri.region
        self.live = LiveApp(Application(root="", kind=LIVE_KIND, source=_ref("")), ri.region, inv.account)
        self.types: dict[str, str] = {}
        self.functions: dict[str, Function] = {}
        self.triggers: list[Trigger] = []
        self.routes: list[Route] = []
        self.apis: list[Api] = []
        self.permissions: list[Permission] = []
        self.log_groups: list[LogGroup] = []

    @property
    def base(self) -> str:
        return f"arn:{self.inv.partition}:apigateway:{self.region}::"

    def build(self) -> LiveApp:
        ri = self.ri
        # Workers fill the lists in the order calls return: sort for a stable model and report.
        ri.functions.sort(key=lambda r: str(r["config"].get("FunctionName")))
        ri.rest_apis.sort(key=lambda r: str(r["api"].get("id")))
        ri.http_apis.sort(key=lambda r: str(r["api"].get("ApiId")))
        ri.buckets.sort(key=lambda r: str(r["name"]))
        ri.queues.sort(key=lambda r: str(r["name"]))
        ri.topics.sort(key=lambda r: str(r["arn"]))
        ri.tables.sort(key=lambda r: str(r.get("TableName")))
        ri.secrets.sort(key=lambda r: str(r["secret"].get("Name")))
        ri.user_pools.sort(key=lambda r: str(r["pool"].get("Id")))
        self.live.unread.update(ri.unread)
        domains = self._domains()
        for rec in ri.functions:
            self._function(rec)
        self._log_groups()
        self._event_sources()
        for rec in ri.rest_apis:
            self._rest_api(rec, domains)
        for rec in ri.http_apis:
            self._http_api(rec, domains)
        stores = self._stores()
        roles = self._roles()
        account = f"arn:{self.inv.partition}:iam::{self.inv.account}:root"
        app = Application(
            root=f"aws/{self.inv.account}/{self.region}",
            kind=LIVE_KIND,
            source=_ref(account),
            functions=tuple(self.functions.values()),
            triggers=tuple(self.triggers),
            routes=tuple(self.routes),
            apis=tuple(self.apis),
            usage_plans=tuple(self._usage_plans()),
            roles=roles,
            permissions=tuple(self.permissions),
            stores=stores,
            log_groups=tuple(self.log_groups),
            user_pools=tuple(self._user_pools()),
            alarms=tuple(self._alarms()),
            trails=tuple(_ref_items(ri.trails, "Name", "TrailARN", Trail)),
            budgets=tuple(self._budgets()),
            resource_count=len(self.types),
            resource_types=dict(self.types),
        )
        self.live.app = app
        return self.live

    # --- functions -----------------------------------------------------------------------------

    def _function(self, rec: Record) -> None:
        config: Record = rec["config"]
        name = str(config["FunctionName"])
        arn = str(config["FunctionArn"])
        src = _ref(arn)
        unread: set[str] = rec.get("unread", set())
        self.live.unread.update(f"function:{name}:{part}" for part in unread)
        self.live.tags[("function", name)] = rec.get("tags") or {}
        self.types[name] = "AWS::Lambda::Function"
        env = (config.get("Environment") or {}).get("Variables") or {}
        urls = [
            UrlConfig(_qualifier(u.get("FunctionArn")), str(u.get("AuthType", "")), src)
            for u in rec.get("urls") or []
        ]
        self.live.urls[name] = urls
        url = None
        if urls:  # the model holds one: the least protected
            worst = min(urls, key=lambda u: (u.auth_type != "NONE", u.qualifier is not None))
            cors = next(
                (
                    u.get("Cors")
                    for u in rec.get("urls") or []
                    if _qualifier(u.get("FunctionArn")) == worst.qualifier
                ),
                None,
            )
            origins = tuple(str(o) for o in (cors or {}).get("AllowOrigins") or [])
            url = FunctionUrl(worst.auth_type, src, origins)
            self.triggers.append(
                Trigger(TriggerKind.FUNCTION_URL, name, src, name, public=worst.auth_type == "NONE")
            )
        logging = config.get("LoggingConfig") or {}
        custom_group = logging.get("LogGroup")
        props: dict[str, SourceRef] = {}
        if custom_group and custom_group != f"/aws/lambda/{name}":
            props["LoggingConfig"] = src
        provisioned = rec.get("provisioned") or []
        self.functions[name] = Function(
            id=name,
            source=src,
            name=name,
            runtime=config.get("Runtime"),
            package_type=str(config.get("PackageType") or "Zip"),
            architecture=str((config.get("Architectures") or ["x86_64"])[0]),
            handler=config.get("Handler"),
            environment=tuple(EnvVar(str(k), v, src) for k, v in sorted(env.items())),
            timeout=int(config.get("Timeout") or 3),
            memory=int(config.get("MemorySize") or 128),
            reserved_concurrency=_unknown("reserved concurrency could not be read")
            if "concurrency" in unread
            else rec.get("concurrency"),
            provisioned_concurrency=_unknown("provisioned concurrency could not be read")
            if "provisioned" in unread
            else (
                max(int(p.get("RequestedProvisionedConcurrentExecutions") or 0) for p in provisioned)
                if provisioned
                else None
            ),
            tracing=(config.get("TracingConfig") or {}).get("Mode") == "Active",
            dlq=(config.get("DeadLetterConfig") or {}).get("TargetArn"),
            on_failure=_on_failure(rec, unread),
            vpc=bool((config.get("VpcConfig") or {}).get("SubnetIds")),
            url=url,
            layers=tuple(Layer(str(layer.get("Arn")), src) for layer in config.get("Layers") or []),
            role=str(config["Role"]).rsplit("/", 1)[-1] if config.get("Role") else None,
            kms_key=config.get("KMSKeyArn"),
            log_group=custom_group if custom_group and custom_group != f"/aws/lambda/{name}" else None,
            props=props,
        )
        self._permissions(name, arn, rec.get("policy"), "policy" in unread)

    def _permissions(self, name: str, arn: str, policy: object, unread: bool) -> None:
        if unread or not isinstance(policy, dict):
            return
        statements = policy.get("Statement") or []
        for i, st in enumerate(statements if isinstance(statements, list) else [statements]):
            if not isinstance(st, dict) or st.get("Effect", "Allow") != "Allow":
                continue
            cond = _conditions(st.get("Condition"))
            action = st.get("Action")
            principal = _principal(st.get("Principal"))
            perm = Permission(
                id=str(st.get("Sid") or f"{name}-statement-{i + 1}"),
                function=name,
                action=str(action[0] if isinstance(action, list) and action else action),
                principal=principal,
                source=_ref(arn),
                source_arn=cond.get("aws:sourcearn"),
                source_account=cond.get("aws:sourceaccount"),
                function_url_auth_type=cond.get("lambda:functionurlauthtype")
                or st.get("FunctionUrlAuthType"),
            )
            self.permissions.append(perm)
            kind = _PRINCIPAL_TRIGGERS.get(principal)
            if kind is None and principal.startswith("logs.") and principal.endswith(".amazonaws.com"):
                kind = TriggerKind.CLOUDWATCH_LOGS
            if kind is not None:
                self.triggers.append(Trigger(kind, name, _ref(arn), perm.source_arn))

    def _event_sources(self) -> None:
        for esm in self.ri.event_source_mappings:
            fn = _name_of_function_arn(esm.get("FunctionArn"))
            if fn is None or fn not in self.functions:
                continue
            source = str(esm.get("EventSourceArn") or "")
            kind = next(
                (k for svc, k in _ESM_KINDS if f":{svc}:" in source),
                TriggerKind.OTHER,
            )
            arn = esm.get("EventSourceMappingArn") or (
                f"arn:{self.inv.partition}:lambda:{self.region}:{self.inv.account}:"
                f"event-source-mapping:{esm.get('UUID')}"
            )
            self.triggers.append(Trigger(kind, fn, _ref(str(arn)), source or None))

    def _log_groups(self) -> None:
        if "log_groups" in self.ri.unread:
            for fn in self.functions.values():  # cannot say: a group whose retention is unknown
                self.log_groups.append(
                    LogGroup(
                        f"/aws/lambda/{fn.id}",
                        fn.source,
                        f"/aws/lambda/{fn.id}",
                        _unknown("log groups could not be read"),
                        fn.id,
                    )
                )
            return
        by_group = {f.log_group: f.id for f in self.functions.values() if f.log_group}
        for group in self.ri.log_groups:
            name = str(group.get("logGroupName", ""))
            arn = str(group.get("arn", "")).removesuffix(":*")
            owner = by_group.get(name)
            if owner is None and name.startswith("/aws/lambda/") and name[12:] in self.functions:
                owner = name[12:]
            self.types[name] = "AWS::Logs::LogGroup"
            self.log_groups.append(
                LogGroup(name, _ref(arn), name, group.get("retentionInDays"), owner, group.get("kmsKeyId"))
            )

    # --- APIs ----------------------------------------------------------------------------------

    def _domains(self) -> dict[str, list[CustomDomain]]:
        by_api: dict[str, list[CustomDomain]] = {}
        for rec in self.ri.domains.values():
            name = str(rec["name"])
            domain = CustomDomain(
                name, name, _ref(str(rec["arn"])), rec.get("security_policy"), tuple(sorted(rec["apis"]))
            )
            rest = "rest" in rec.get("families", ())
            self.types[name] = "AWS::ApiGateway::DomainName" if rest else "AWS::ApiGatewayV2::DomainName"
            for api in domain.apis:
                by_api.setdefault(api, []).append(domain)
        return by_api

    def _rest_api(self, rec: Record, domains: Mapping[str, list[CustomDomain]]) -> None:
        api: Record = rec["api"]
        api_id = str(api["id"])
        where = f"{self.base}/restapis/{api_id}"
        self.types[api_id] = "AWS::ApiGateway::RestApi"
        self.live.tags[("api", api_id)] = api.get("tags") or {}
        self.live.unread.update(f"api:{api_id}:{part}" for part in rec.get("unread", ()))
        names = {str(a.get("id")): str(a.get("name")) for a in rec.get("authorizers") or []}
        self.live.authorizers[api_id] = set(names.values())
        policy = _policy_text(api.get("policy"))
        resource_policy = parse_policy(policy, "ResourcePolicy", where, 1) if policy is not None else None
        endpoint = str(((api.get("endpointConfiguration") or {}).get("types") or ["EDGE"])[0])
        restricted = endpoint == "PRIVATE" or (
            resource_policy is not None and _restricts_callers(resource_policy)
        )
        deployed = _exported_routes(rec.get("exports") or {})
        for resource in rec.get("resources") or []:
            path = str(resource.get("path", "/"))
            for method, body in sorted((resource.get("resourceMethods") or {}).items()):
                method = method.upper()
                if deployed is not None and (method, path) not in deployed:
                    continue  # in the working copy, but in no stage's deployment: not reachable
                body = body or {}
                kind = _AUTH_KINDS.get(str(body.get("authorizationType", "NONE")), AuthKind.UNKNOWN)
                authorizer = names.get(str(body.get("authorizerId"))) if body.get("authorizerId") else None
                key_required = bool(body.get("apiKeyRequired"))
                fn = function_of_uri((body.get("methodIntegration") or {}).get("uri"))
                src = _ref(f"{where}/resources/{resource.get('id')}/methods/{method}")
                preflight = method == "OPTIONS"
                self._route(
                    Route(
                        api_id,
                        method,
                        path,
                        src,
                        fn if fn in self.functions else None,
                        Auth(kind, authorizer, key_required, tuple(body.get("authorizationScopes") or ())),
                        public=not restricted and not preflight,
                        preflight=preflight,
                    ),
                    TriggerKind.REST_API,
                )
        stages = tuple(self._rest_stage(where, s) for s in rec.get("stages") or [])
        self.apis.append(
            Api(
                api_id,
                ApiKind.REST,
                _ref(where),
                name=api.get("name"),
                endpoint_type=endpoint,
                stages=stages,
                resource_policy=resource_policy,
                disable_execute_api_endpoint=bool(api.get("disableExecuteApiEndpoint")),
                domains=tuple(domains.get(api_id, ())),
            )
        )

    def _rest_stage(self, where: str, stage: Record) -> Stage:
        name = str(stage.get("stageName"))
        src = _ref(f"{where}/stages/{name}")
        throttle = None
        route_throttles: dict[str, Throttle] = {}
        for key, settings in (stage.get("methodSettings") or {}).items():
            t = _throttle(settings, "throttlingRateLimit", "throttlingBurstLimit", src)
            if t is None:
                continue
            resource, _, method = str(key).rpartition("/")
            if key == "*/*":
                throttle = t
            else:
                route_throttles[f"{method} /{resource}"] = t
        return Stage(
            name,
            src,
            tracing=bool(stage.get("tracingEnabled")),
            access_logging=bool((stage.get("accessLogSettings") or {}).get("destinationArn")),
            throttle=throttle,
            route_throttles=route_throttles,
            waf=bool(stage.get("webAclArn")),
        )

    def _http_api(self, rec: Record, domains: Mapping[str, list[CustomDomain]]) -> None:
        api: Record = rec["api"]
        api_id = str(api["ApiId"])
        where = f"{self.base}/apis/{api_id}"
        websocket = api.get("ProtocolType") == "WEBSOCKET"
        self.types[api_id] = "AWS::ApiGatewayV2::Api"
        self.live.tags[("api", api_id)] = api.get("Tags") or {}
        self.live.unread.update(f"api:{api_id}:{part}" for part in rec.get("unread", ()))
        names = {str(a.get("AuthorizerId")): str(a.get("Name")) for a in rec.get("authorizers") or []}
        self.live.authorizers[api_id] = set(names.values())
        targets = {
            f"integrations/{i.get('IntegrationId')}": function_of_uri(i.get("IntegrationUri"))
            for i in rec.get("integrations") or []
        }
        for route in rec.get("routes") or []:
            key = str(route.get("RouteKey", ""))
            method, path = key.split(" ", 1) if " " in key else ("ANY", key)
            kind = _AUTH_KINDS.get(str(route.get("AuthorizationType", "NONE")), AuthKind.UNKNOWN)
            authorizer = names.get(str(route.get("AuthorizerId"))) if route.get("AuthorizerId") else None
            fn = targets.get(str(route.get("Target")))
            preflight = method.upper() == "OPTIONS"
            self._route(
                Route(
                    api_id,
                    method.upper(),
                    path,
                    _ref(f"{where}/routes/{route.get('RouteId')}"),
                    fn if fn in self.functions else None,
                    Auth(
                        kind,
                        authorizer,
                        bool(route.get("ApiKeyRequired")),
                        tuple(route.get("AuthorizationScopes") or ()),
                    ),
                    public=not preflight,
                    preflight=preflight,
                ),
                TriggerKind.WEBSOCKET if websocket else TriggerKind.HTTP_API,
            )
        stages = tuple(self._http_stage(where, s) for s in rec.get("stages") or [])
        self.apis.append(
            Api(
                api_id,
                ApiKind.WEBSOCKET if websocket else ApiKind.HTTP,
                _ref(where),
                name=api.get("Name"),
                endpoint_type="REGIONAL",
                stages=stages,
                disable_execute_api_endpoint=bool(api.get("DisableExecuteApiEndpoint")),
                domains=tuple(domains.get(api_id, ())),
            )
        )

    def _http_stage(self, where: str, stage: Record) -> Stage:
        name = str(stage.get("StageName"))
        src = _ref(f"{where}/stages/{name}")
        route_throttles: dict[str, Throttle] = {}
        for key, settings in (stage.get("RouteSettings") or {}).items():
            t = _throttle(settings, "ThrottlingRateLimit", "ThrottlingBurstLimit", src)
            if t is not None:
                route_throttles[str(key)] = t
        return Stage(
            name,
            src,
            tracing=False,
            access_logging=bool((stage.get("AccessLogSettings") or {}).get("DestinationArn")),
            throttle=_throttle(
                stage.get("DefaultRouteSettings"), "ThrottlingRateLimit", "ThrottlingBurstLimit", src
            ),
            route_throttles=route_throttles,
        )

    def _route(self, route: Route, kind: TriggerKind) -> None:
        self.routes.append(route)
        if route.function is not None:
            self.triggers.append(
                Trigger(
                    kind,
                    route.function,
                    route.source,
                    route.api,
                    public=route.public,
                    details={"route": route.label},
                )
            )

    def _usage_plans(self) -> Iterable[UsagePlan]:
        for plan in self.ri.usage_plans:
            src = _ref(f"{self.base}/usageplans/{plan.get('id')}")
            stages = tuple((str(s.get("apiId")), str(s.get("stage"))) for s in plan.get("apiStages") or [])
            quota = (plan.get("quota") or {}).get("limit")
            yield UsagePlan(
                str(plan.get("id")),
                src,
                stages,
                _throttle(plan.get("throttle"), "rateLimit", "burstLimit", src),
                int(quota) if isinstance(quota, int) else None,
            )

    # --- IAM -----------------------------------------------------------------------------------

    def _roles(self) -> tuple[Role, ...]:
        used = sorted({f.role for f in self.functions.values() if isinstance(f.role, str)})
        out = []
        for name in used:
            rec = self.inv.roles.get(name)
            if rec is None:
                self.live.unread.add(f"role:{name}")
                continue
            if rec.get("unread"):
                self.live.unread.add(f"role:{name}")
            role: Record = rec["role"]
            arn = str(role.get("Arn", ""))
            trust_doc = _policy_text(role.get("AssumeRolePolicyDocument"))
            policies: list[Policy] = [
                parse_policy(p["document"], str(p["name"]), arn, 1) for p in rec.get("inline") or []
            ]
            managed: list[ManagedPolicyRef] = []
            for attached in rec.get("attached") or []:
                parn = str(attached["arn"])
                if parn.split(":")[4:5] == ["aws"]:
                    managed.append(ManagedPolicyRef(parn, _ref(parn)))
                elif attached.get("document") is not None:
                    policies.append(
                        parse_policy(
                            attached["document"], str(attached.get("name")), parn, 1, origin="managed"
                        )
                    )
                else:
                    policies.append(
                        Policy(str(attached.get("name")), _ref(parn), origin="managed", unresolved=True)
                    )
            boundary = (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
            self.types.setdefault(name, "AWS::IAM::Role")
            out.append(
                Role(
                    name,
                    _ref(arn),
                    name=name,
                    trust=parse_policy(trust_doc, "AssumeRolePolicyDocument", arn, 1, origin="trust")
                    if trust_doc is not None
                    else None,
                    policies=tuple(policies),
                    managed=tuple(managed),
                    boundary=str(boundary) if boundary else None,
                )
            )
        return tuple(out)

    # --- stores --------------------------------------------------------------------------------

    def _stores(self) -> tuple[DataStore, ...]:
        out: list[DataStore] = []
        for b in self.ri.buckets:
            out.append(self._bucket(b))
        for q in self.ri.queues:
            attrs: Record = q["attributes"]
            src = _ref(str(attrs.get("QueueArn") or q["arn"]))
            props = (
                {"SqsManagedSseEnabled": src}
                if str(attrs.get("SqsManagedSseEnabled")).lower() == "true"
                else {}
            )
            self.types[q["name"]] = "AWS::SQS::Queue"
            out.append(
                DataStore(
                    q["name"],
                    StoreKind.SQS,
                    src,
                    name=q["name"],
                    kms_key=attrs.get("KmsMasterKeyId") or None,
                    policy=_store_policy(attrs.get("Policy"), src.path),
                    props=props,
                )
            )
        for t in self.ri.topics:
            attrs = t["attributes"]
            name = str(t["arn"]).rsplit(":", 1)[-1]
            self.types[name] = "AWS::SNS::Topic"
            out.append(
                DataStore(
                    name,
                    StoreKind.SNS,
                    _ref(t["arn"]),
                    name=name,
                    kms_key=attrs.get("KmsMasterKeyId") or None,
                    policy=_store_policy(attrs.get("Policy"), t["arn"]),
                )
            )
        for table in self.ri.tables:
            name = str(table.get("TableName"))
            sse = table.get("SSEDescription") or {}
            key: str | Unknown | None = None
            if sse.get("SSEType") == "KMS":
                key = Unknown("whether the table's KMS key is customer-managed needs kms:DescribeKey")
            self.types[name] = "AWS::DynamoDB::Table"
            out.append(
                DataStore(name, StoreKind.DYNAMODB, _ref(str(table.get("TableArn"))), name=name, kms_key=key)
            )
        for s in self.ri.secrets:
            secret: Record = s["secret"]
            name = str(secret.get("Name"))
            arn = str(secret.get("ARN"))
            self.types[name] = "AWS::SecretsManager::Secret"
            out.append(
                DataStore(
                    name,
                    StoreKind.SECRET,
                    _ref(arn),
                    name=name,
                    kms_key=secret.get("KmsKeyId") or None,
                    policy=_store_policy(s.get("policy"), arn),
                )
            )
        return tuple(out)

    def _bucket(self, b: Record) -> DataStore:
        name = str(b["name"])
        src = _ref(str(b["arn"]))
        unread: set[str] = b.get("unread", set())
        self.live.unread.update(f"bucket:{name}:{part}" for part in unread)
        self.live.tags[("bucket", name)] = b.get("tags") or {}
        self.types[name] = "AWS::S3::Bucket"
        kms = None
        for rule in b.get("encryption") or []:
            default = rule.get("ApplyServerSideEncryptionByDefault") or {}
            if str(default.get("SSEAlgorithm", "")).startswith("aws:kms") and default.get("KMSMasterKeyID"):
                kms = str(default["KMSMasterKeyID"])
        flags = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
        block: dict[str, bool | Unknown] | None
        if "public_access_block" in unread:
            block = {f: Unknown("Block Public Access could not be read") for f in flags}
        else:
            pab = b.get("public_access_block")
            block = {f: bool(pab.get(f)) for f in flags} if isinstance(pab, dict) else None
        notes: list[tuple[str, str]] = []
        cfg: Record = b.get("notifications") or {}
        for key, kind, field_name in (
            ("LambdaFunctionConfigurations", "lambda", "LambdaFunctionArn"),
            ("QueueConfigurations", "sqs", "QueueArn"),
            ("TopicConfigurations", "sns", "TopicArn"),
        ):
            for item in cfg.get(key) or []:
                target = str(item.get(field_name, ""))
                fn = _name_of_function_arn(target) if kind == "lambda" else None
                notes.append((kind, fn or target))
                if fn is not None and fn in self.functions:
                    self.triggers.append(Trigger(TriggerKind.S3, fn, src, name))
        props = {"WebsiteConfiguration": src} if b.get("website") else {}
        return DataStore(
            name,
            StoreKind.S3,
            src,
            name=name,
            kms_key=kms,
            policy=_store_policy(b.get("policy"), src.path),
            public_access_block=block,
            acl=_canned_acl(b.get("grants") or []),
            ownership=b.get("ownership"),
            notifications=tuple(notes),
            props=props,
        )

    # --- the rest ------------------------------------------------------------------------------

    def _user_pools(self) -> Iterable[UserPool]:
        for rec in self.ri.user_pools:
            pool: Record = rec["pool"]
            pid = str(pool.get("Id"))
            src = _ref(
                str(
                    pool.get("Arn")
                    or f"arn:{self.inv.partition}:cognito-idp:{self.region}:{self.inv.account}:userpool/{pid}"
                )
            )
            self.types[pid] = "AWS::Cognito::UserPool"
            custom = tuple(
                (str(a.get("Name")), bool(a.get("Mutable", True)), src)
                for a in pool.get("SchemaAttributes") or []
                if str(a.get("Name", "")).startswith("custom:")
            )
            writes: list[tuple[str, str, SourceRef]] = []
            for client in rec.get("clients") or []:
                cid = str(client.get("ClientId"))
                attrs = client.get("WriteAttributes")
                if attrs is None:
                    writes.append((cid, "*", src))
                else:
                    writes.extend((cid, str(a), src) for a in attrs)
            yield UserPool(
                pid,
                src,
                password_policy=dict((pool.get("Policies") or {}).get("PasswordPolicy") or {}),
                mfa=pool.get("MfaConfiguration"),
                custom_attributes=custom,
                client_write_attributes=tuple(writes),
            )

    def _alarms(self) -> Iterable[Alarm]:
        if "alarms" in self.ri.unread:  # cannot say which functions are watched: assume all
            yield Alarm("(alarms could not be read)", _ref(""), _unknown("alarms could not be read"))
            return
        for alarm in self.ri.alarms:
            yield Alarm(
                str(alarm.get("AlarmName")),
                _ref(str(alarm.get("AlarmArn"))),
                alarm.get("Namespace"),
                alarm.get("MetricName"),
                {str(d.get("Name")): d.get("Value") for d in alarm.get("Dimensions") or []},
            )

    def _budgets(self) -> Iterable[Budget]:
        if self.inv.budgets is None:  # could not be read: not "no budget"
            yield Budget("(budgets could not be read)", _ref(""))
            return
        for budget in self.inv.budgets:
            name = str(budget.get("BudgetName"))
            yield Budget(name, _ref(f"arn:{self.inv.partition}:budgets::{self.inv.account}:budget/{name}"))


_ESM_KINDS = (
    ("sqs", TriggerKind.SQS),
    ("kinesis", TriggerKind.KINESIS),
    ("dynamodb", TriggerKind.DYNAMODB_STREAM),
    ("kafka", TriggerKind.KAFKA),
    ("mq", TriggerKind.MQ),
)


def _unknown(reason: str) -> Unknown:
    return Unknown(reason)


def _qualifier(arn: object) -> str | None:
    """'live' for arn:...:function:name:live; None for the unqualified function."""
    parts = str(arn or "").split(":")
    return parts[7] if len(parts) > 7 and parts[7] not in ("", "$LATEST") else None


def _name_of_function_arn(arn: object) -> str | None:
    parts = str(arn or "").split(":")
    return parts[6] if len(parts) > 6 and parts[5] == "function" else None


def _on_failure(rec: Record, unread: set[str]) -> str | Unknown | None:
    if "invoke_configs" in unread:
        return Unknown("event invoke configuration could not be read")
    for cfg in rec.get("invoke_configs") or []:
        if _qualifier(cfg.get("FunctionArn")) is not None:
            continue
        dest = ((cfg.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
        if dest:
            return str(dest)
    return None


def _principal(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("Service", "AWS", "Federated", "CanonicalUser"):
            found = value.get(key)
            if isinstance(found, list) and found:
                found = found[0]
            if isinstance(found, str):
                return found
    return "?"


def _conditions(value: object) -> dict[str, str]:
    """Condition keys (lower case) of a Lambda permission: SourceArn, SourceAccount, URL auth type."""
    out: dict[str, str] = {}
    if not isinstance(value, dict):
        return out
    for body in value.values():
        if isinstance(body, dict):
            for key, found in body.items():
                if isinstance(found, list) and found:
                    found = found[0]
                if isinstance(found, str):
                    out[str(key).lower()] = found
    return out


def _policy_text(value: object) -> Any:
    """A policy that may come as a dict, JSON text, or JSON text with escaped quotes (API Gateway)."""
    if value is None or isinstance(value, dict):
        return value
    if isinstance(value, str):
        for text in (value, value.replace('\\"', '"')):
            try:
                return json.loads(text)
            except ValueError:
                continue
    return None


def _store_policy(value: object, arn: str) -> Policy | None:
    doc = _policy_text(value)
    return parse_policy(doc, "Policy", arn, 1) if doc is not None else None


_RESTRICTING_KEYS = ("aws:sourcevpce", "aws:sourcevpc", "aws:sourceip", "aws:vpcsourceip")


def _restricts_callers(policy: Policy) -> bool:
    """True when a resource policy limits callers to a VPC endpoint, VPC or address range."""
    return any(
        str(k).lower() in _RESTRICTING_KEYS
        for st in policy.statements
        for body in st.conditions.values()
        for k in body
    )


def _canned_acl(grants: list[Record]) -> str | None:
    everyone = {str(g.get("Permission")) for g in grants if (g.get("Grantee") or {}).get("URI") == _ALL_USERS}
    if everyone & {"WRITE", "FULL_CONTROL"}:
        return "PublicReadWrite"
    if everyone & {"READ"}:
        return "PublicRead"
    authenticated = {
        str(g.get("Permission"))
        for g in grants
        if (g.get("Grantee") or {}).get("URI") == _AUTHENTICATED_USERS
    }
    return "AuthenticatedRead" if authenticated & {"READ", "WRITE", "FULL_CONTROL"} else None


def _throttle(settings: object, rate_key: str, burst_key: str, src: SourceRef) -> Throttle | None:
    if not isinstance(settings, dict):
        return None
    rate = settings.get(rate_key)
    burst = settings.get(burst_key)
    if rate is None and burst is None:
        return None
    return Throttle(
        float(rate) if isinstance(rate, (int, float)) else None,
        int(burst) if isinstance(burst, int) else None,
        src,
    )


def _exported_routes(exports: Mapping[str, Any]) -> set[tuple[str, str]] | None:
    """(METHOD, path) of every route some stage's exported OpenAPI lists; None when none exported."""
    found: set[tuple[str, str]] = set()
    seen = False
    for doc in exports.values():
        if not isinstance(doc, dict) or not isinstance(doc.get("paths"), dict):
            continue
        seen = True
        for path, item in doc["paths"].items():
            for method in item if isinstance(item, dict) else ():
                m = str(method).upper()
                if m == "X-AMAZON-APIGATEWAY-ANY-METHOD":
                    m = "ANY"
                if not m.startswith("X-") and m not in ("PARAMETERS", "SUMMARY", "DESCRIPTION", "SERVERS"):
                    found.add((m, str(path)))
    return found if seen else None


def _ref_items(items: list[Record], id_key: str, arn_key: str, cls: type[Trail]) -> Iterable[Trail]:
    for item in items:
        yield cls(str(item.get(id_key)), _ref(str(item.get(arn_key))))
