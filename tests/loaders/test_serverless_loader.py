"""The Serverless Framework loader: the model it builds for the shapes real services use."""

from __future__ import annotations

from pathlib import Path

from faasguard.api import ScanOptions, scan
from faasguard.engine import load_applications
from faasguard.findings import ScanError
from faasguard.model import (
    Application,
    AuthKind,
    Function,
    SourceRef,
    StoreKind,
    TriggerKind,
    Unknown,
)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)


def _load(
    tmp_path: Path, text: str, files: dict[str, str] | None = None, **options: object
) -> tuple[Application, list[ScanError]]:
    _write(tmp_path, {"serverless.yml": text, **(files or {})})
    apps, errors, _ = load_applications(tmp_path.resolve(), ScanOptions(**options))  # type: ignore[arg-type]
    assert len(apps) == 1, errors
    return apps[0], errors


def _fn(app: Application, fid: str) -> Function:
    fn = app.function(fid)
    assert fn is not None, [f.id for f in app.functions]
    return fn


def _at(line: int, path: str = "serverless.yml") -> SourceRef:
    return SourceRef(path, line, line)


SERVICE = """\
service: orders
frameworkVersion: '3'
provider:
  name: aws
  runtime: python3.12
  architecture: arm64
  memorySize: 512
  timeout: 20
  logRetentionInDays: 14
  kmsKeyArn: arn:aws:kms:us-east-1:123456789012:key/abc
  tracing:
    lambda: true
  environment:
    STAGE: ${sls:stage}
    SHARED: provider
  vpc:
    subnetIds: [subnet-1]
    securityGroupIds: [sg-1]
  layers:
    - arn:aws:lambda:us-east-1:123456789012:layer:common:3
functions:
  create:
    handler: src/orders/api.create
    timeout: 25
    memorySize: 1024
    reservedConcurrency: 10
    provisionedConcurrency: 2
    runtime: nodejs20.x
    tracing: PassThrough
    environment:
      SHARED: function
    layers:
      - !Ref CommonLambdaLayer
    onError: arn:aws:sns:us-east-1:123456789012:failures
    destinations:
      onFailure: arn:aws:sqs:us-east-1:123456789012:dlq
  report-daily:
    handler: jobs.report.run
    url:
      authorizer: aws_iam
      cors:
        allowedOrigins: [https://app.example.com]
layers:
  common:
    path: layer
"""


def test_provider_defaults_and_function_overrides(tmp_path: Path) -> None:
    app, errors = _load(
        tmp_path,
        SERVICE,
        {"src/orders/api.mjs": "export const create = () => {}\n", "jobs/report.py": "def run(e, c): ...\n"},
    )
    assert errors == []
    assert app.kind == "serverless"
    create = _fn(app, "CreateLambdaFunction")
    assert create.name == "orders-dev-create"
    assert (create.runtime, create.architecture, create.timeout, create.memory) == (
        "nodejs20.x",
        "arm64",
        25,
        1024,
    )
    assert (create.reserved_concurrency, create.provisioned_concurrency) == (10, 2)
    assert create.tracing is False  # PassThrough is not active tracing
    assert create.vpc is True and create.kms_key == "arn:aws:kms:us-east-1:123456789012:key/abc"
    assert [(v.name, v.value, v.source.line) for v in create.environment] == [
        ("STAGE", "dev", 14),
        ("SHARED", "function", 31),
    ]
    assert [layer.arn for layer in create.layers] == ["${CommonLambdaLayer}"]
    assert create.dlq == "arn:aws:sns:us-east-1:123456789012:failures"
    assert create.on_failure == "arn:aws:sqs:us-east-1:123456789012:dlq"
    assert create.handler_file == "src/orders/api.mjs"
    assert create.loc("Timeout") == _at(24) and create.loc("Runtime") == _at(28)
    assert create.loc("Tracing") == _at(29) and create.loc("ReservedConcurrentExecutions") == _at(26)
    assert create.loc("EventInvokeConfig") == _at(35)
    assert create.source == SourceRef("serverless.yml", 22, 36)

    daily = _fn(app, "ReportDashdailyLambdaFunction")
    assert (daily.runtime, daily.timeout, daily.memory, daily.tracing) == ("python3.12", 20, 512, True)
    assert daily.loc("Timeout") == _at(8) and daily.loc("Tracing") == _at(12)
    assert daily.handler_file == "jobs/report.py"
    assert [layer.arn for layer in daily.layers] == ["arn:aws:lambda:us-east-1:123456789012:layer:common:3"]
    assert daily.url is not None and daily.url.auth_type == "AWS_IAM"
    assert daily.url.cors_origins == ("https://app.example.com",)
    assert daily.url.loc("AuthType") == _at(40)

    groups = {g.id: g for g in app.log_groups}
    assert groups["CreateLogGroup"].retention_days == 14
    assert groups["CreateLogGroup"].function == "CreateLambdaFunction"
    assert groups["CreateLogGroup"].name == "/aws/lambda/orders-dev-create"
    assert groups["CreateLogGroup"].source == _at(9)
    assert create.log_group == "CreateLogGroup"


def test_framework_defaults(tmp_path: Path) -> None:
    app, _ = _load(
        tmp_path, "service: s\nprovider:\n  name: aws\nfunctions:\n  hello:\n    handler: handler.hello\n"
    )
    fn = _fn(app, "HelloLambdaFunction")
    assert (fn.timeout, fn.memory, fn.runtime, fn.tracing) == (6, 1024, None, False)
    group = next(g for g in app.log_groups if g.function == fn.id)
    assert group.retention_days is None and group.source == SourceRef("serverless.yml", 5, 6)


def test_handler_files_for_python_and_node(tmp_path: Path) -> None:
    app, _ = _load(
        tmp_path,
        """\
service: s
provider:
  name: aws
functions:
  py:
    handler: pkg.module.handler
    runtime: python3.12
  pyPath:
    handler: src/handlers/users.get
    runtime: python3.12
  nested:
    handler: lib/index.handlers.create
    runtime: nodejs20.x
  ts:
    handler: src/api.main
  cjs:
    handler: legacy.main
  missing:
    handler: dist/built.main
  sub:
    handler: app.handler
    module: services/users
""",
        {
            "pkg/module.py": "",
            "src/handlers/users.py": "",
            "lib/index.js": "",
            "src/api.ts": "",
            "legacy.cjs": "",
            "services/users/app.py": "",
        },
    )
    files = {f.id: f.handler_file for f in app.functions}
    assert files == {
        "PyLambdaFunction": "pkg/module.py",
        "PyPathLambdaFunction": "src/handlers/users.py",
        "NestedLambdaFunction": "lib/index.js",
        "TsLambdaFunction": "src/api.ts",
        "CjsLambdaFunction": "legacy.cjs",
        "MissingLambdaFunction": None,
        "SubLambdaFunction": "services/users/app.py",
    }


# --- IAM: one test per syntax ---------------------------------------------------------------------


def test_serverless_wsgi_handler_serves_the_configured_app(tmp_path: Path) -> None:
    # The plugin's generated wsgi_handler.py is not in the repository: the function is the app
    # named in custom.wsgi.app, which the code analysis follows (a Flask app's routes).
    text = """\
service: s
provider: {name: aws, runtime: python3.12}
custom:
  wsgi: {app: api/app.app}
functions:
  web: {handler: wsgi_handler.handler}
  old: {handler: wsgi.handler}
  own: {handler: other.handler}
"""
    files = {
        "api/app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "other.py": "def handler(e, c): pass\n",
    }
    app, _ = _load(tmp_path, text, files)
    for fid in ("WebLambdaFunction", "OldLambdaFunction"):
        fn = _fn(app, fid)
        assert (fn.handler, fn.handler_file) == ("api/app.app", "api/app.py")
    assert _fn(app, "OwnLambdaFunction").handler_file == "other.py"


def _statements(app: Application, rid: str) -> list[tuple[str, tuple[object, ...], tuple[object, ...], int]]:
    role = app.role(rid)
    assert role is not None
    return [(st.effect, st.actions, st.resources, st.source.line) for _, st in role.statements()]


def test_iam_provider_role_statements_managed_and_boundary(tmp_path: Path) -> None:
    app, _ = _load(
        tmp_path,
        """\
service: s
provider:
  name: aws
  iam:
    role:
      name: custom-role
      statements:
        - Effect: Allow
          Action: [dynamodb:GetItem]
          Resource: !GetAtt Table.Arn
      managedPolicies:
        - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
      permissionsBoundary: arn:aws:iam::123456789012:policy/boundary
functions:
  a: {handler: a.h}
  b: {handler: b.h}
resources:
  Resources:
    Table: {Type: AWS::DynamoDB::Table}
""",
    )
    assert {f.role for f in app.functions} == {"IamRoleLambdaExecution"}
    role = app.role("IamRoleLambdaExecution")
    assert role is not None and not role.implicit
    assert role.name == "custom-role" and role.boundary == "arn:aws:iam::123456789012:policy/boundary"
    assert role.source == _at(5)
    assert _statements(app, role.id) == [("Allow", ("dynamodb:GetItem",), ("${Table.Arn}",), 8)]
    assert [(m.arn, m.source.line) for m in role.managed] == [
        ("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", 5),
        ("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", 12),
    ]
    assert role.trust is not None and role.trust.statements[0].principals == {
        "Service": ("lambda.amazonaws.com",)
    }


def test_iam_legacy_provider_keys(tmp_path: Path) -> None:
    app, _ = _load(
        tmp_path,
        """\
service: s
provider:
  name: aws
  iamRoleStatements:
    - Effect: Allow
      Action: s3:*
      Resource: "*"
  iamManagedPolicies:
    - arn:aws:iam::aws:policy/AdministratorAccess
  rolePermissionsBoundary: arn:aws:iam::123456789012:policy/b
functions:
  a: {handler: a.h}
""",
    )
    role = app.role("IamRoleLambdaExecution")
    assert (
        role is not None and role.source == _at(4) and role.boundary == "arn:aws:iam::123456789012:policy/b"
    )
    assert _statements(app, role.id) == [("Allow", ("s3:*",), ("*",), 5)]
    assert [m.arn for m in role.managed][1:] == ["arn:aws:iam::aws:policy/AdministratorAccess"]


PER_FUNCTION = """\
service: s
{plugins}
provider:
  name: aws
  iam:
    role:
      statements:
        - Effect: Allow
          Action: sqs:SendMessage
          Resource: "*"
functions:
  reader:
    handler: r.h
    iamRoleStatementsName: reader-role
    iamRoleStatementsInherit: true
    iamRoleStatements:
      - Effect: Allow
        Action: dynamodb:GetItem
        Resource: arn:aws:dynamodb:us-east-1:123456789012:table/t
  writer:
    handler: w.h
    iamRoleStatements: []
  plain:
    handler: p.h
"""


def test_iam_per_function_with_the_plugin(tmp_path: Path) -> None:
    app, _ = _load(tmp_path, PER_FUNCTION.format(plugins="plugins:\n  - serverless-iam-roles-per-function"))
    roles = {f.id: f.role for f in app.functions}
    assert roles == {
        "ReaderLambdaFunction": "ReaderIamRoleLambdaExecution",
        "WriterLambdaFunction": "WriterIamRoleLambdaExecution",
        "PlainLambdaFunction": "IamRoleLambdaExecution",
    }
    reader = app.role("ReaderIamRoleLambdaExecution")
    assert reader is not None and reader.implicit and reader.name == "reader-role"
    # Its own statement, then the inherited provider statement.
    assert [st.actions for _, st in reader.statements()] == [("dynamodb:GetItem",), ("sqs:SendMessage",)]
    assert _statements(app, "WriterIamRoleLambdaExecution") == []
    assert all(not f.ignored_policies for f in app.functions)


def test_iam_per_function_without_the_plugin_is_ignored(tmp_path: Path) -> None:
    app, _ = _load(tmp_path, PER_FUNCTION.format(plugins=""))
    assert {f.role for f in app.functions} == {"IamRoleLambdaExecution"}
    assert [r.id for r in app.roles] == ["IamRoleLambdaExecution"]
    reader = _fn(app, "ReaderLambdaFunction")
    (ignored,) = reader.ignored_policies
    assert ignored.source == _at(16)
    assert [st.actions for st in ignored.statements] == [("dynamodb:GetItem",)]
    (empty,) = _fn(app, "WriterLambdaFunction").ignored_policies
    assert empty.statements == () and empty.source == _at(22)
    assert _fn(app, "PlainLambdaFunction").ignored_policies == ()
    # The shared role has only the provider's statement.
    assert [st.actions for _, st in app.roles[0].statements()] == [("sqs:SendMessage",)]


def test_iam_external_role_is_unknown_not_empty(tmp_path: Path) -> None:
    app, _ = _load(
        tmp_path,
        """\
service: s
provider:
  name: aws
  iam:
    role: arn:aws:iam::123456789012:role/shared-execution
functions:
  a: {handler: a.h}
  b:
    handler: b.h
    role: CustomRole
  c:
    handler: c.h
    role: !GetAtt CustomRole.Arn
resources:
  Resources:
    CustomRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument:
          Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
""",
    )
    a = _fn(app, "ALambdaFunction")
    assert isinstance(a.role, Unknown) and "outside" in a.role.reason
    assert _fn(app, "BLambdaFunction").role == "CustomRole"
    assert _fn(app, "CLambdaFunction").role == "CustomRole"
    assert [r.id for r in app.roles] == ["CustomRole"]  # no IamRoleLambdaExecution is generated


def test_poller_and_destination_statements_on_the_generated_role(tmp_path: Path) -> None:
    app, _ = _load(
        tmp_path,
        """\
service: s
provider:
  name: aws
functions:
  worker:
    handler: w.h
    events:
      - sqs: arn:aws:sqs:us-east-1:123456789012:jobs
      - stream:
          type: dynamodb
          arn: !GetAtt Table.StreamArn
      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/clicks
    destinations:
      onSuccess: other
  other:
    handler: o.h
    role: arn:aws:iam::123456789012:role/x
    events:
      - sqs: arn:aws:sqs:us-east-1:123456789012:ignored
resources:
  Resources:
    Table: {Type: AWS::DynamoDB::Table}
""",
    )
    grants = {(st.actions[0], st.resources[0]) for _, st in app.roles[0].statements()}
    assert grants == {
        ("sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:123456789012:jobs"),
        ("dynamodb:GetRecords", "${Table.StreamArn}"),
        ("kinesis:GetRecords", "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"),
        ("lambda:InvokeFunction", "${OtherLambdaFunction.Arn}"),
    }
    kinds = [(t.kind, t.target) for t in app.triggers_of("WorkerLambdaFunction")]
    assert kinds == [
        (TriggerKind.SQS, "arn:aws:sqs:us-east-1:123456789012:jobs"),
        (TriggerKind.DYNAMODB_STREAM, "Table"),
        (TriggerKind.KINESIS, "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"),
    ]


# --- APIs and routes ------------------------------------------------------------------------------

HTTP = """\
service: shop
provider:
  name: aws
  stage: ${opt:stage, 'prod'}
  endpointType: REGIONAL
  tracing:
    apiGateway: true
  logs:
    restApi: true
  apiGateway:
    disableDefaultEndpoint: true
    apiKeys: [partner]
    usagePlan:
      throttle: {rateLimit: 50, burstLimit: 100}
      quota: {limit: 5000, period: MONTH}
functions:
  auth:
    handler: auth.handler
  api:
    handler: api.handler
    events:
      - http: GET open
      - http:
          path: /by-name
          method: get
          authorizer: auth
      - http:
          path: by-arn
          method: post
          authorizer: arn:aws:lambda:us-east-1:123456789012:function:authz
      - http:
          path: cognito
          method: put
          authorizer:
            name: pool
            type: COGNITO_USER_POOLS
            arn: !GetAtt UserPool.Arn
      - http:
          path: iam
          method: delete
          authorizer: aws_iam
      - http:
          path: keyed
          method: any
          private: true
      - http:
          path: existing
          method: patch
          authorizer:
            type: CUSTOM
            authorizerId: !Ref ExistingAuthorizer
      - http:
          path: /{proxy+}
          method: any
resources:
  Resources:
    UserPool: {Type: AWS::Cognito::UserPool}
    ExistingAuthorizer:
      Type: AWS::ApiGateway::Authorizer
      Properties: {Type: COGNITO_USER_POOLS, RestApiId: x}
"""


def test_rest_api_routes_authorizers_stage_and_usage_plan(tmp_path: Path) -> None:
    app, _ = _load(tmp_path, HTTP)
    api = app.api("ApiGatewayRestApi")
    assert api is not None and api.implicit and api.endpoint_type == "REGIONAL"
    assert api.disable_execute_api_endpoint is True and api.loc("DisableExecuteApiEndpoint") == _at(11)
    (stage,) = api.stages
    assert (stage.name, stage.tracing, stage.access_logging) == ("prod", True, True)
    assert stage.loc("TracingEnabled") == _at(7) and stage.loc("AccessLogSetting") == _at(9)
    routes = {
        (r.method, r.path): (r.auth.kind, r.auth.authorizer, r.auth.api_key_required) for r in app.routes
    }
    assert routes == {
        ("GET", "/open"): (AuthKind.NONE, None, False),
        ("GET", "/by-name"): (AuthKind.LAMBDA, "auth", False),
        ("POST", "/by-arn"): (AuthKind.LAMBDA, "arn:aws:lambda:us-east-1:123456789012:function:authz", False),
        ("PUT", "/cognito"): (AuthKind.COGNITO, "pool", False),
        ("DELETE", "/iam"): (AuthKind.IAM, "AWS_IAM", False),
        ("ANY", "/keyed"): (AuthKind.NONE, None, True),
        ("PATCH", "/existing"): (AuthKind.LAMBDA, "authorizerId", False),
        ("ANY", "/{proxy+}"): (AuthKind.NONE, None, False),
    }
    by_name = next(r for r in app.routes if r.path == "/by-name")
    assert by_name.source == SourceRef("serverless.yml", 23, 26) and by_name.loc("Auth.Authorizer") == _at(26)
    keyed = next(r for r in app.routes if r.path == "/keyed")
    assert keyed.loc("Auth.ApiKeyRequired") == _at(45)
    (plan,) = app.usage_plans
    assert plan.api_stages == (("ApiGatewayRestApi", "prod"),)
    assert plan.throttle is not None and (plan.throttle.rate, plan.throttle.burst) == (50.0, 100)
    assert plan.quota == 5000
    perms = {(p.id, p.function, p.principal) for p in app.permissions}
    assert ("ApiLambdaPermissionApiGateway", "ApiLambdaFunction", "apigateway.amazonaws.com") in perms
    assert ("AuthLambdaPermissionApiGateway", "AuthLambdaFunction", "apigateway.amazonaws.com") in perms
    assert all(p.implicit for p in app.permissions)


def test_resource_policy_makes_routes_private(tmp_path: Path) -> None:
    app, _ = _load(
        tmp_path,
        """\
service: s
provider:
  name: aws
  apiGateway:
    resourcePolicy:
      - Effect: Allow
        Principal: "*"
        Action: execute-api:Invoke
        Resource: execute-api:/*
        Condition:
          IpAddress: {aws:SourceIp: [10.0.0.0/8]}
functions:
  a:
    handler: a.h
    events: [{http: GET a}]
""",
    )
    api = app.api("ApiGatewayRestApi")
    assert api is not None and api.resource_policy is not None
    assert api.resource_policy.statements[0].source.line == 6
    assert [r.public for r in app.routes] == [False]


def test_http_api_authorizers_catch_all_and_logs(tmp_path: Path) -> None:
    app, _ = _load(
        tmp_path,
        """\
service: s
provider:
  name: aws
  logs:
    httpApi: true
  httpApi:
    disableDefaultEndpoint: false
    authorizers:
      jwt:
        issuerUrl: https://cognito-idp.us-east-1.amazonaws.com/pool
        audience: [client]
      custom:
        type: request
        functionName: authz
functions:
  authz:
    handler: authz.h
  api:
    handler: api.h
    events:
      - httpApi: '*'
      - httpApi: 'GET /jwt'
      - httpApi:
          method: POST
          path: /custom
          authorizer:
            name: custom
      - httpApi:
          method: DELETE
          path: /iam
          authorizer: {type: aws_iam}
      - httpApi:
          method: GET
          path: /scoped
          authorizer: {name: jwt, scopes: [orders/read]}
""".replace("'GET /jwt'", "{method: GET, path: /jwt, authorizer: jwt}"),
    )
    api = app.api("HttpApi")
    assert api is not None and api.disable_execute_api_endpoint is False
    (stage,) = api.stages
    assert (stage.name, stage.access_logging) == ("$default", True)
    routes = {(r.method, r.path): (r.auth.kind, r.auth.scopes) for r in app.routes}
    assert routes == {
        ("ANY", "$default"): (AuthKind.NONE, ()),
        ("GET", "/jwt"): (AuthKind.JWT, ()),
        ("POST", "/custom"): (AuthKind.LAMBDA, ()),
        ("DELETE", "/iam"): (AuthKind.IAM, ()),
        ("GET", "/scoped"): (AuthKind.JWT, ("orders/read",)),
    }
    assert any(p.function == "AuthzLambdaFunction" for p in app.permissions)


def test_websocket_routes_are_as_authenticated_as_connect(tmp_path: Path) -> None:
    app, _ = _load(
        tmp_path,
        """\
service: s
provider:
  name: aws
functions:
  connect:
    handler: c.h
    events:
      - websocket:
          route: $connect
          authorizer: auth
  message:
    handler: m.h
    events:
      - websocket: $default
  auth:
    handler: a.h
""",
    )
    routes = {r.path: (r.method, r.auth.kind) for r in app.routes}
    assert routes == {"$connect": ("ANY", AuthKind.LAMBDA), "$default": ("ANY", AuthKind.LAMBDA)}
    api = app.api("WebsocketsApi")
    assert api is not None and [s.name for s in api.stages] == ["dev"]


def test_event_sources_stores_and_permissions(tmp_path: Path) -> None:
    app, _ = _load(
        tmp_path,
        """\
service: s
provider:
  name: aws
functions:
  f:
    handler: f.h
    events:
      - s3: uploads
      - s3: {bucket: existing-bucket, event: 's3:ObjectRemoved:*', existing: true}
      - sns: alerts
      - sns: arn:aws:sns:us-east-1:123456789012:external
      - schedule: rate(5 minutes)
      - schedule: {rate: cron(0 1 * * ? *), enabled: false}
      - eventBridge: {pattern: {source: [my.app]}}
      - cloudwatchLog: /aws/lambda/other
      - cognitoUserPool: {pool: users, trigger: PreSignUp}
      - iot: {sql: "SELECT * FROM 'topic'"}
      - alb: {listenerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x, priority: 1}
      - alexaSkill: amzn1.ask.skill.1
      - somethingNew: {}
""",
    )
    kinds = [(t.kind, t.target) for t in app.triggers_of("FLambdaFunction")]
    assert kinds == [
        (TriggerKind.S3, "S3BucketUploads"),
        (TriggerKind.S3, "existing-bucket"),
        (TriggerKind.SNS, "SNSTopicAlerts"),
        (TriggerKind.SNS, "arn:aws:sns:us-east-1:123456789012:external"),
        (TriggerKind.SCHEDULE, "rate(5 minutes)"),
        (TriggerKind.EVENTBRIDGE, "default"),
        (TriggerKind.CLOUDWATCH_LOGS, "/aws/lambda/other"),
        (TriggerKind.COGNITO, "users"),
        (TriggerKind.IOT, "SELECT * FROM 'topic'"),
        (TriggerKind.ALB, "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x"),
        (TriggerKind.ALEXA, "amzn1.ask.skill.1"),
        (TriggerKind.OTHER, None),
    ]
    alb = app.triggers_of("FLambdaFunction")[9]
    assert isinstance(alb.public, Unknown)
    stores = {s.id: (s.kind, s.name, s.notifications) for s in app.stores}
    assert stores == {
        "S3BucketUploads": (StoreKind.S3, "uploads", (("lambda", "FLambdaFunction"),)),
        "SNSTopicAlerts": (StoreKind.SNS, "alerts", ()),
    }
    principals = sorted(p.principal for p in app.permissions)
    assert principals.count("s3.amazonaws.com") == 2 and principals.count("events.amazonaws.com") == 2
    assert all(p.source_arn or p.source_account for p in app.permissions)


# --- resources: ----------------------------------------------------------------------------------


def test_resources_merge_from_files_with_their_locations(tmp_path: Path) -> None:
    app, errors = _load(
        tmp_path,
        """\
service: s
provider:
  name: aws
functions:
  hello:
    handler: h.h
resources:
  - ${file(resources/queues.yml)}
  - Resources:
      Bucket:
        Type: AWS::S3::Bucket
    extensions:
      HelloLogGroup:
        Properties:
          RetentionInDays: 30
  - Outputs:
      Name: {Value: x}
""",
        {
            "resources/queues.yml": (
                "Resources:\n  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: jobs\n"
            )
        },
    )
    assert errors == []
    assert app.files == ("serverless.yml", "resources/queues.yml")
    stores = {s.id: s.source for s in app.stores}
    assert stores == {
        "Jobs": SourceRef("resources/queues.yml", 3, 6),
        "Bucket": SourceRef("serverless.yml", 11, 12),
    }
    group = next(g for g in app.log_groups if g.id == "HelloLogGroup")
    assert group.retention_days == 30 and group.source == _at(15)
    assert app.resource_lines["Jobs"] == SourceRef("resources/queues.yml", 2, 2)
    assert app.resource_lines["HelloLambdaFunction"] == _at(5)


def test_included_resource_file_is_not_also_an_application(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "serverless.yml": "service: s\nprovider:\n  name: aws\nresources: ${file(cfn/extra.yml)}\n",
            "cfn/extra.yml": "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n",
        },
    )
    apps, _, _ = load_applications(tmp_path.resolve(), ScanOptions())
    assert [(a.kind, a.source.path) for a in apps] == [("serverless", "serverless.yml")]


def test_overrides_of_generated_role_and_function(tmp_path: Path) -> None:
    app, _ = _load(
        tmp_path,
        """\
service: s
provider:
  name: aws
functions:
  hello:
    handler: h.h
resources:
  Resources:
    IamRoleLambdaExecution:
      Properties:
        ManagedPolicyArns:
          - arn:aws:iam::aws:policy/PowerUserAccess
    HelloLambdaFunction:
      Properties:
        ReservedConcurrentExecutions: 3
        TracingConfig: {Mode: Active}
""",
    )
    fn = _fn(app, "HelloLambdaFunction")
    assert (fn.reserved_concurrency, fn.tracing) == (3, True)
    assert fn.loc("ReservedConcurrentExecutions") == _at(15)
    role = app.role("IamRoleLambdaExecution")
    assert role is not None and role.managed[-1].arn == "arn:aws:iam::aws:policy/PowerUserAccess"
    assert role.managed[-1].source == _at(12)


# --- configurations that are not read -----------------------------------------------------------


def test_serverless_ts_without_compiled_template_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, {"svc/serverless.ts": "export default {service: 'x'}\n"})
    result = scan(tmp_path, ScanOptions(use_config=False))
    assert [(e.path, e.kind) for e in result.errors] == [("svc/serverless.ts", "unsupported")]
    assert "cannot be read without executing it" in result.errors[0].message


def test_serverless_ts_with_compiled_template_is_scanned(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "svc/serverless.ts": "export default {}\n",
            "svc/src/handler.ts": "export const hello = async () => ({})\n",
            "svc/.serverless/cloudformation-template-update-stack.json": """{
  "Resources": {
    "HelloLambdaFunction": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Handler": "src/handler.hello",
        "Runtime": "nodejs20.x",
        "Role": "arn:aws:iam::123456789012:role/r",
        "Code": {"S3Bucket": "b", "S3Key": "k.zip"}
      }
    }
  }
}
""",
        },
    )
    apps, errors, _ = load_applications(tmp_path.resolve(), ScanOptions())
    (app,) = apps
    assert app.kind == "serverless" and app.root == "svc"
    assert app.source.path == "svc/.serverless/cloudformation-template-update-stack.json"
    assert _fn(app, "HelloLambdaFunction").handler_file == "svc/src/handler.ts"
    assert [(e.path, e.kind) for e in errors] == [("svc/serverless.ts", "unsupported")]
    assert "scanned the compiled" in errors[0].message


def test_yml_wins_over_ts_and_yaml_in_the_same_folder(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "serverless.yml": "service: a\nprovider:\n  name: aws\n",
            "serverless.yaml": "service: b\nprovider:\n  name: aws\n",
            "serverless.ts": "export default {}\n",
        },
    )
    apps, errors, _ = load_applications(tmp_path.resolve(), ScanOptions())
    assert [a.source.path for a in apps] == ["serverless.yml"] and errors == []


def test_other_providers_and_broken_files_are_errors(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "gcp/serverless.yml": "service: g\nprovider:\n  name: google\n",
            "broken/serverless.yml": "service: [\n",
            "empty/serverless.yml": "",
        },
    )
    result = scan(tmp_path, ScanOptions(use_config=False))
    got = {(e.path, e.line, e.kind) for e in result.errors}
    assert got == {
        ("gcp/serverless.yml", 3, "unsupported"),
        ("broken/serverless.yml", 2, "parse"),
        ("empty/serverless.yml", None, "parse"),
    }


def test_stage_option_and_params_reach_the_model(tmp_path: Path) -> None:
    text = """\
service: s
params:
  prod: {memory: 2048}
  default: {memory: 256}
provider:
  name: aws
  memorySize: ${param:memory}
functions:
  f: {handler: f.h, name: '${sls:stage}-f'}
"""
    app, _ = _load(tmp_path, text)
    assert (_fn(app, "FLambdaFunction").memory, _fn(app, "FLambdaFunction").name) == (256, "dev-f")
    app, _ = _load(tmp_path, text, stage="prod")
    assert (_fn(app, "FLambdaFunction").memory, _fn(app, "FLambdaFunction").name) == (2048, "prod-f")
    app, _ = _load(tmp_path, text, params={"memory": "3008"})
    assert _fn(app, "FLambdaFunction").memory == 3008


def test_variables_are_counted_as_unknowns(tmp_path: Path) -> None:
    app, _ = _load(
        tmp_path,
        "service: s\nprovider:\n  name: aws\n  timeout: ${ssm:/timeout}\nfunctions:\n  f: {handler: f.h}\n",
    )
    assert isinstance(_fn(app, "FLambdaFunction").timeout, Unknown)
    assert app.unknowns >= 1


def test_hostile_configurations_are_bounded_and_the_rest_is_scanned(tmp_path: Path) -> None:
    bomb = "service: s\nprovider:\n  name: aws\ncustom:\n  a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
    previous = "a"
    for i in range(1, 9):
        bomb += f"  l{i}: &l{i} [{', '.join(['*' + previous] * 10)}]\n"
        previous = f"l{i}"
    strings = "service: s\nprovider:\n  name: aws\ncustom:\n  x0: abcdefghijklmnop\n" + "".join(
        f"  x{i}: ${{self:custom.x{i - 1}}}${{self:custom.x{i - 1}}}\n" for i in range(1, 60)
    )
    _write(
        tmp_path,
        {
            "bomb/serverless.yml": bomb,
            "strings/serverless.yml": strings + "functions:\n  f: {handler: f.h}\n",
            "good/serverless.yml": (
                "service: g\nprovider:\n  name: aws\nfunctions:\n  f:\n    handler: f.h\n    url: true\n"
            ),
        },
    )
    result = scan(tmp_path, ScanOptions(use_config=False, select=frozenset({"FG-AUTH-003"})))
    assert {(e.path, e.kind) for e in result.errors} == {
        ("bomb/serverless.yml", "bound"),
        ("strings/serverless.yml", "bound"),
    }
    assert [(f.location.path, f.location.line) for f in result.findings] == [("good/serverless.yml", 7)]
    assert result.applications == ["good", "strings"]
