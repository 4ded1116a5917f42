"""Application model: frozen, typed, format-neutral.

Every loader (CloudFormation/SAM/CDK, Serverless, Terraform, live account) builds these objects;
every rule reads only these. Each element carries the `SourceRef` of its definition, and `props`
maps a field name to the tightest location of the property that set it, so a finding can point
at the offending line. Values that cannot be known statically are `Unknown`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType

from faasguard.model.source import SourceRef, Unknown

EMPTY_PROPS: Mapping[str, SourceRef] = MappingProxyType({})

Str = str | Unknown
Int = int | Unknown
Bool = bool | Unknown


def _loc(own: SourceRef, props: Mapping[str, SourceRef], *names: str) -> SourceRef:
    for name in names:
        ref = props.get(name)
        if ref is not None:
            return ref
    return own


class TriggerKind(StrEnum):
    REST_API = "rest-api"
    HTTP_API = "http-api"
    WEBSOCKET = "websocket"
    FUNCTION_URL = "function-url"
    ALB = "alb"
    S3 = "s3"
    SQS = "sqs"
    SNS = "sns"
    DYNAMODB_STREAM = "dynamodb-stream"
    KINESIS = "kinesis"
    KAFKA = "kafka"
    MQ = "mq"
    EVENTBRIDGE = "eventbridge"
    SCHEDULE = "schedule"
    CLOUDWATCH_LOGS = "cloudwatch-logs"
    COGNITO = "cognito"
    IOT = "iot"
    ALEXA = "alexa"
    OTHER = "other"

    @property
    def is_http(self) -> bool:
        return self in (
            TriggerKind.REST_API,
            TriggerKind.HTTP_API,
            TriggerKind.WEBSOCKET,
            TriggerKind.FUNCTION_URL,
            TriggerKind.ALB,
        )

    @property
    def is_async(self) -> bool:
        """Lambda invokes these asynchronously: failures need a DLQ or on-failure destination."""
        return self in (
            TriggerKind.S3,
            TriggerKind.SNS,
            TriggerKind.EVENTBRIDGE,
            TriggerKind.SCHEDULE,
            TriggerKind.CLOUDWATCH_LOGS,
            TriggerKind.IOT,
        )


class AuthKind(StrEnum):
    NONE = "none"
    IAM = "iam"
    COGNITO = "cognito"
    LAMBDA = "lambda"
    JWT = "jwt"
    UNKNOWN = "unknown"


class ApiKind(StrEnum):
    REST = "rest"
    HTTP = "http"
    WEBSOCKET = "websocket"


class StoreKind(StrEnum):
    S3 = "s3"
    DYNAMODB = "dynamodb"
    SQS = "sqs"
    SNS = "sns"
    SECRET = "secretsmanager"
    KINESIS = "kinesis"
    SSM_PARAMETER = "ssm-parameter"
    RDS = "rds"
    OPENSEARCH = "opensearch"
    EFS = "efs"


@dataclass(frozen=True, slots=True)
class EnvVar:
    name: str
    value: object  # str | int | Unknown | None after resolution
    source: SourceRef


@dataclass(frozen=True, slots=True)
class Layer:
    """A function's reference to a layer (an ARN, or a layer the application defines)."""

    arn: Str
    source: SourceRef
    layer_id: str | None = None  # the application's own LayerVersion it references, if any
    content_dir: str | None = None  # that layer's local content folder, relative to the scan root


@dataclass(frozen=True, slots=True)
class LayerVersion:
    """A layer the application defines and builds itself (SAM/CloudFormation LayerVersion, a
    Serverless `layers:` entry, a Terraform aws_lambda_layer_version)."""

    id: str  # logical id / Terraform address
    source: SourceRef
    name: Str | None = None
    # The local folder the layer is built from (python/, nodejs/node_modules/ or the manifest
    # the build installs), relative to the scan root, POSIX; None when its content is not in the
    # repository (an S3 object, a prebuilt zip).
    content_dir: str | None = None
    build_method: str | None = None  # SAM Metadata.BuildMethod (python3.12, nodejs20.x, makefile)
    runtimes: tuple[Str, ...] = ()  # CompatibleRuntimes
    props: Mapping[str, SourceRef] = field(default_factory=dict)

    def loc(self, *names: str) -> SourceRef:
        return _loc(self.source, self.props, *names)


@dataclass(frozen=True, slots=True)
class FunctionUrl:
    auth_type: Str  # "NONE" | "AWS_IAM"
    source: SourceRef
    cors_origins: tuple[Str, ...] = ()
    props: Mapping[str, SourceRef] = field(default_factory=dict)

    def loc(self, *names: str) -> SourceRef:
        return _loc(self.source, self.props, *names)


@dataclass(frozen=True, slots=True)
class Function:
    id: str
    source: SourceRef
    name: Str | None = None
    runtime: Str | None = None
    package_type: str = "Zip"
    architecture: Str = "x86_64"
    handler: Str | None = None
    code_uri: Str | None = None  # folder (or file) relative to the scan root
    handler_file: str | None = None  # resolved handler source file, relative to the scan root
    inline_code: bool = False
    environment: tuple[EnvVar, ...] = ()
    timeout: Int = 3
    memory: Int = 128
    reserved_concurrency: Int | None = None
    provisioned_concurrency: Int | None = None
    tracing: Bool = False
    dlq: Str | None = None
    on_failure: Str | None = None
    vpc: bool = False
    url: FunctionUrl | None = None
    layers: tuple[Layer, ...] = ()
    role: Str | None = None  # id of a Role in the model, or Unknown (a role defined elsewhere)
    kms_key: Str | None = None
    log_group: str | None = None  # id of a LogGroup in the model
    cdk_path: str | None = None
    props: Mapping[str, SourceRef] = field(default_factory=dict)
    # IAM statements written for the function that its deployment tool ignores (Serverless
    # per-function `iamRoleStatements` without the serverless-iam-roles-per-function plugin):
    # they grant nothing, the function runs with `role`.
    ignored_policies: tuple[Policy, ...] = ()

    def loc(self, *names: str) -> SourceRef:
        return _loc(self.source, self.props, *names)

    @property
    def display_name(self) -> str:
        return self.name if isinstance(self.name, str) and self.name else self.id


@dataclass(frozen=True, slots=True)
class Auth:
    kind: AuthKind
    authorizer: str | None = None
    api_key_required: bool = False
    scopes: tuple[str, ...] = ()

    @property
    def authenticates(self) -> bool:
        """True when the caller must prove an identity (an API key alone does not)."""
        return self.kind not in (AuthKind.NONE, AuthKind.UNKNOWN)


@dataclass(frozen=True, slots=True)
class Trigger:
    kind: TriggerKind
    function: str
    source: SourceRef
    target: Str | None = None  # id or ARN of the bucket / queue / topic / table / api
    public: Bool = False
    details: Mapping[str, object] = field(default_factory=dict)
    # An event source mapping's DestinationConfig.OnFailure: id or ARN of the queue / topic /
    # bucket Lambda sends discarded batches to, with the function's execution role.
    on_failure: Str | None = None


@dataclass(frozen=True, slots=True)
class Route:
    api: str
    method: str
    path: str
    source: SourceRef
    function: str | None
    auth: Auth
    public: Bool = True
    preflight: bool = False
    stage: str | None = None
    props: Mapping[str, SourceRef] = field(default_factory=dict)
    # The code serving this route when one function serves several routes (a Chalice view): the
    # symbol written like Function.handler ("app.index") and its file relative to the scan root.
    handler: str | None = None
    handler_file: str | None = None

    def loc(self, *names: str) -> SourceRef:
        return _loc(self.source, self.props, *names)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def open_to_anyone(self) -> bool:
        """A public route that reaches a function with no authorizer, IAM auth or API key (a CORS
        preflight route is not counted: it carries no request to the function)."""
        return (
            not self.preflight
            and self.public is True
            and self.function is not None
            and self.auth.kind is AuthKind.NONE
            and not self.auth.api_key_required
        )


@dataclass(frozen=True, slots=True)
class Throttle:
    rate: float | Unknown | None
    burst: int | Unknown | None
    source: SourceRef


@dataclass(frozen=True, slots=True)
class Stage:
    name: Str
    source: SourceRef
    tracing: Bool = False
    access_logging: Bool = False
    throttle: Throttle | None = None
    route_throttles: Mapping[str, Throttle] = field(default_factory=dict)
    waf: bool = False
    props: Mapping[str, SourceRef] = field(default_factory=dict)

    def loc(self, *names: str) -> SourceRef:
        return _loc(self.source, self.props, *names)


@dataclass(frozen=True, slots=True)
class CustomDomain:
    id: str
    name: Str
    source: SourceRef
    security_policy: Str | None = None  # "TLS_1_0" | "TLS_1_2" | ...
    apis: tuple[str, ...] = ()
    props: Mapping[str, SourceRef] = field(default_factory=dict)

    def loc(self, *names: str) -> SourceRef:
        return _loc(self.source, self.props, *names)


@dataclass(frozen=True, slots=True)
class Statement:
    effect: str
    source: SourceRef
    actions: tuple[Str, ...] = ()
    not_actions: tuple[Str, ...] = ()
    resources: tuple[Str, ...] = ()
    not_resources: tuple[Str, ...] = ()
    principals: Mapping[str, tuple[Str, ...]] | None = None  # {"AWS": (...), "Service": (...), "*": ("*",)}
    not_principals: Mapping[str, tuple[Str, ...]] | None = None
    conditions: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    sid: str | None = None
    unresolved: bool = False  # the statement itself (or its list) could not be resolved
    props: Mapping[str, SourceRef] = field(default_factory=dict)

    def loc(self, *names: str) -> SourceRef:
        return _loc(self.source, self.props, *names)


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    source: SourceRef
    statements: tuple[Statement, ...] = ()
    origin: str = "inline"  # inline | policy-resource | sam-template:<name> | managed
    unresolved: bool = False


@dataclass(frozen=True, slots=True)
class ManagedPolicyRef:
    arn: Str
    source: SourceRef


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    source: SourceRef
    name: Str | None = None
    trust: Policy | None = None
    policies: tuple[Policy, ...] = ()
    managed: tuple[ManagedPolicyRef, ...] = ()
    boundary: Str | None = None
    implicit: bool = False  # generated by SAM for a function
    props: Mapping[str, SourceRef] = field(default_factory=dict)

    def loc(self, *names: str) -> SourceRef:
        return _loc(self.source, self.props, *names)

    def statements(self) -> Iterator[tuple[Policy, Statement]]:
        for policy in self.policies:
            for statement in policy.statements:
                yield policy, statement


@dataclass(frozen=True, slots=True)
class Permission:
    """A resource-based grant to invoke a function (AWS::Lambda::Permission and its equivalents)."""

    id: str
    function: Str
    action: Str
    principal: Str
    source: SourceRef
    source_arn: Str | None = None
    source_account: Str | None = None
    function_url_auth_type: Str | None = None
    implicit: bool = False  # added by a framework for an event source
    props: Mapping[str, SourceRef] = field(default_factory=dict)

    def loc(self, *names: str) -> SourceRef:
        return _loc(self.source, self.props, *names)


@dataclass(frozen=True, slots=True)
class Api:
    id: str
    kind: ApiKind
    source: SourceRef
    name: Str | None = None
    endpoint_type: Str = "EDGE"
    stages: tuple[Stage, ...] = ()
    resource_policy: Policy | None = None
    disable_execute_api_endpoint: Bool = False
    domains: tuple[CustomDomain, ...] = ()
    implicit: bool = False
    spec: Str | None = None  # local OpenAPI file or "inline"
    props: Mapping[str, SourceRef] = field(default_factory=dict)

    def loc(self, *names: str) -> SourceRef:
        return _loc(self.source, self.props, *names)

    @property
    def private(self) -> bool:
        return self.endpoint_type == "PRIVATE"


@dataclass(frozen=True, slots=True)
class UsagePlan:
    id: str
    source: SourceRef
    api_stages: tuple[tuple[Str, Str], ...] = ()
    throttle: Throttle | None = None
    quota: int | Unknown | None = None


@dataclass(frozen=True, slots=True)
class DataStore:
    id: str
    kind: StoreKind
    source: SourceRef
    name: Str | None = None
    kms_key: Str | None = None  # a customer-managed key (None: AWS-owned / AWS-managed key)
    policy: Policy | None = None
    public_access_block: Mapping[str, Bool] | None = None
    acl: Str | None = None
    ownership: Str | None = None
    notifications: tuple[tuple[str, Str], ...] = ()  # (kind, target function/queue/topic)
    props: Mapping[str, SourceRef] = field(default_factory=dict)

    def loc(self, *names: str) -> SourceRef:
        return _loc(self.source, self.props, *names)


@dataclass(frozen=True, slots=True)
class LogGroup:
    id: str
    source: SourceRef
    name: Str | None = None
    retention_days: Int | None = None
    function: str | None = None
    kms_key: Str | None = None
    props: Mapping[str, SourceRef] = field(default_factory=dict)

    def loc(self, *names: str) -> SourceRef:
        return _loc(self.source, self.props, *names)


@dataclass(frozen=True, slots=True)
class UserPool:
    id: str
    source: SourceRef
    password_policy: Mapping[str, object] = field(default_factory=dict)
    mfa: Str | None = None
    custom_attributes: tuple[tuple[str, bool, SourceRef], ...] = ()  # (name, mutable, where)
    # (client id, attribute, where); attribute "*" for a client that sets no WriteAttributes
    # (then every mutable attribute is writable by the client's users).
    client_write_attributes: tuple[tuple[str, str, SourceRef], ...] = ()
    props: Mapping[str, SourceRef] = field(default_factory=dict)

    def loc(self, *names: str) -> SourceRef:
        return _loc(self.source, self.props, *names)


@dataclass(frozen=True, slots=True)
class IdentityPool:
    id: str
    source: SourceRef
    allow_unauthenticated: Bool = False
    props: Mapping[str, SourceRef] = field(default_factory=dict)

    def loc(self, *names: str) -> SourceRef:
        return _loc(self.source, self.props, *names)


@dataclass(frozen=True, slots=True)
class Alarm:
    id: str
    source: SourceRef
    namespace: Str | None = None
    metric: Str | None = None
    dimensions: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Trail:
    id: str
    source: SourceRef


@dataclass(frozen=True, slots=True)
class Budget:
    id: str
    source: SourceRef


@dataclass(frozen=True, slots=True)
class Ignore:
    """An inline suppression written in the scanned files (resource Metadata or a comment)."""

    rule: str  # a rule id, or "*" for every rule
    source: SourceRef
    resource: str | None = None  # the resource it sits on; None: the line it sits on
    reason: str | None = None
    until: str | None = None  # ISO date after which it stops suppressing


@dataclass(frozen=True)
class Application:
    """One deployable application: a template (plus what it references) or a project folder."""

    root: str  # folder relative to the scan root, "." for the root itself
    kind: str  # sam | cloudformation | cdk | serverless | chalice | terraform
    source: SourceRef  # the main template
    files: tuple[str, ...] = ()
    functions: tuple[Function, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    routes: tuple[Route, ...] = ()
    apis: tuple[Api, ...] = ()
    usage_plans: tuple[UsagePlan, ...] = ()
    roles: tuple[Role, ...] = ()
    permissions: tuple[Permission, ...] = ()
    stores: tuple[DataStore, ...] = ()
    log_groups: tuple[LogGroup, ...] = ()
    user_pools: tuple[UserPool, ...] = ()
    identity_pools: tuple[IdentityPool, ...] = ()
    alarms: tuple[Alarm, ...] = ()
    trails: tuple[Trail, ...] = ()
    budgets: tuple[Budget, ...] = ()
    unknowns: int = 0  # values left Unknown while loading
    resource_count: int = 0
    parameters: Mapping[str, object] = field(default_factory=dict)
    construct_paths: Mapping[str, str] = field(default_factory=dict)  # CDK: logical id -> aws:cdk:path
    resource_types: Mapping[str, str] = field(default_factory=dict)  # every declared resource: id -> type
    # NoEcho parameters that carry a Default: a secret written in plain text into the repository.
    noecho_defaults: tuple[tuple[str, SourceRef], ...] = ()
    # Where each resource is declared (its name's line), for comment suppressions on the resource.
    resource_lines: Mapping[str, SourceRef] = field(default_factory=dict)
    ignores: tuple[Ignore, ...] = ()
    layers: tuple[LayerVersion, ...] = ()  # the layers the application defines itself

    # Lookups are computed once per (frozen) application.
    @cached_property
    def _functions(self) -> dict[str, Function]:
        return {f.id: f for f in self.functions}

    @cached_property
    def _roles(self) -> dict[str, Role]:
        return {r.id: r for r in self.roles}

    @cached_property
    def _apis(self) -> dict[str, Api]:
        return {a.id: a for a in self.apis}

    @cached_property
    def _stores(self) -> dict[str, DataStore]:
        return {s.id: s for s in self.stores}

    def function(self, fid: str) -> Function | None:
        return self._functions.get(fid)

    @cached_property
    def _layers(self) -> dict[str, LayerVersion]:
        return {lv.id: lv for lv in self.layers}

    def layer(self, lid: object) -> LayerVersion | None:
        return self._layers.get(lid) if isinstance(lid, str) else None

    def role(self, rid: object) -> Role | None:
        return self._roles.get(rid) if isinstance(rid, str) else None

    def api(self, aid: str) -> Api | None:
        return self._apis.get(aid)

    def store(self, sid: object) -> DataStore | None:
        return self._stores.get(sid) if isinstance(sid, str) else None

    def triggers_of(self, fid: str) -> list[Trigger]:
        return [t for t in self._triggers_by_function.get(fid, ())]

    def routes_of(self, fid: str) -> list[Route]:
        return [r for r in self._routes_by_function.get(fid, ())]

    def functions_using_role(self, rid: str) -> list[Function]:
        return [f for f in self.functions if f.role == rid]

    @cached_property
    def _triggers_by_function(self) -> dict[str, list[Trigger]]:
        out: dict[str, list[Trigger]] = {}
        for t in self.triggers:
            out.setdefault(t.function, []).append(t)
        return out

    @cached_property
    def _routes_by_function(self) -> dict[str, list[Route]]:
        out: dict[str, list[Route]] = {}
        for r in self.routes:
            if r.function is not None:
                out.setdefault(r.function, []).append(r)
        return out
