"""The CloudFormation/SAM/CDK loader: the model it builds for shapes real templates use."""

from __future__ import annotations

import json
from pathlib import Path

from faasguard.loaders.cloudformation import LoadOptions, load_template
from faasguard.model import Application, AuthKind, TriggerKind, Unknown


def _load(tmp_path: Path, text: str, name: str = "template.yaml", **params: str) -> Application:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    app, errors = load_template(path, name, ".", tmp_path, "cloudformation", LoadOptions(params))
    assert errors == []
    assert app is not None
    return app


SAM = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: dev}
  Secret: {Type: String, NoEcho: true, Default: hunter2}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Globals:
  Function:
    Runtime: python3.12
    Timeout: 20
    Tracing: Active
    Environment:
      Variables: {STAGE: !Ref Stage}
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Table:
    Type: AWS::Serverless::SimpleTable
  ProdOnly:
    Type: AWS::SNS::Topic
    Condition: IsProd
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: worker/
      Handler: pkg.main.handler
      MemorySize: 512
      Architectures: [arm64]
      ReservedConcurrentExecutions: 5
      Environment:
        Variables: {TABLE: !Ref Table}
      DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt Queue.Arn}
      Policies:
        - AmazonS3ReadOnlyAccess
        - DynamoDBReadPolicy: {TableName: !Ref Table}
      Events:
        Jobs:
          Type: SQS
          Properties: {Queue: !GetAtt Queue.Arn}
        Nightly:
          Type: Schedule
          Properties: {Schedule: rate(1 day)}
  WorkerLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub /aws/lambda/${Worker}
      RetentionInDays: 14
"""


def test_sam_function_globals_and_role(tmp_path: Path) -> None:
    (tmp_path / "worker" / "pkg").mkdir(parents=True)
    (tmp_path / "worker" / "pkg" / "main.py").write_text("def handler(e, c): ...\n")
    app = _load(tmp_path, SAM)
    fn = app.function("Worker")
    assert fn is not None
    assert (fn.runtime, fn.timeout, fn.memory, fn.architecture) == ("python3.12", 20, 512, "arm64")
    assert fn.tracing is True and fn.reserved_concurrency == 5
    assert fn.handler_file == "worker/pkg/main.py"
    assert {e.name: e.value for e in fn.environment} == {"STAGE": "dev", "TABLE": "${Table}"}
    assert fn.dlq == "${Queue.Arn}"
    assert fn.log_group == "WorkerLogs"
    assert fn.loc("Timeout").line == 10  # inherited from Globals: points there
    role = app.role(fn.role)
    assert role is not None and role.implicit
    managed = {m.arn for m in role.managed}
    assert "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" in managed
    assert "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole" in managed
    assert "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess" in managed
    actions = {a for _, st in role.statements() for a in st.actions}
    assert {"dynamodb:GetItem", "dynamodb:Query", "sqs:SendMessage"} <= actions
    assert {t.kind for t in app.triggers_of("Worker")} == {TriggerKind.SQS, TriggerKind.SCHEDULE}
    assert "ProdOnly" not in app.resource_types  # its condition is false for Stage=dev
    assert app.noecho_defaults[0][0] == "Secret"


def test_parameter_override_changes_conditions(tmp_path: Path) -> None:
    app = _load(tmp_path, SAM, Stage="prod")
    assert "ProdOnly" in app.resource_types
    fn = app.function("Worker")
    assert fn is not None and {e.name: e.value for e in fn.environment}["STAGE"] == "prod"


def test_samconfig_parameter_overrides(tmp_path: Path) -> None:
    (tmp_path / "samconfig.toml").write_text(
        'version = 0.1\n[default.deploy.parameters]\nparameter_overrides = "Stage=\\"prod\\""\n'
    )
    app = _load(tmp_path, SAM)
    assert "ProdOnly" in app.resource_types


API = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      TracingEnabled: true
      MethodSettings:
        - {ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100}
      Auth:
        DefaultAuthorizer: Pool
        Authorizers:
          Pool: {UserPoolArn: arn:aws:cognito-idp:us-east-1:1:userpool/x}
          Token: {FunctionArn: !GetAtt AuthFn.Arn}
      Domain:
        DomainName: api.example.com
        CertificateArn: arn:aws:acm:us-east-1:1:certificate/x
        SecurityPolicy: TLS_1_0
  AuthFn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: a/, Handler: a.h, Runtime: nodejs20.x}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: f/
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        A: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /a, Method: get}}
        B: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /b, Method: post, Auth: {Authorizer: Token}}}
        C: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /c, Method: get, Auth: {Authorizer: NONE}}}
        D: {Type: HttpApi}
"""


def test_sam_api_auth_stage_and_domain(tmp_path: Path) -> None:
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "index.mjs").write_text("export const handler = async () => ({})\n")
    app = _load(tmp_path, API)
    auth = {(r.api, r.path): r.auth.kind for r in app.routes}
    assert auth == {
        ("Api", "/a"): AuthKind.COGNITO,
        ("Api", "/b"): AuthKind.LAMBDA,
        ("Api", "/c"): AuthKind.NONE,
        ("ServerlessHttpApi", "$default"): AuthKind.NONE,
    }
    api = app.api("Api")
    assert api is not None
    (stage,) = api.stages
    assert stage.name == "v1" and stage.tracing is True
    assert stage.throttle is not None and stage.throttle.rate == 50.0
    assert [d.security_policy for d in api.domains] == ["TLS_1_0"]
    fn = app.function("Fn")
    assert fn is not None and fn.handler_file == "f/index.mjs"


def test_cdk_output_asset_and_construct_path(tmp_path: Path) -> None:
    asset = tmp_path / "cdk.out" / "asset.abc123"
    asset.mkdir(parents=True)
    (asset / "index.py").write_text("def handler(e, c): ...\n")
    template = {
        "Resources": {
            "HandlerServiceRoleFCDC14AE": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Statement": [
                            {
                                "Action": "sts:AssumeRole",
                                "Effect": "Allow",
                                "Principal": {"Service": "lambda.amazonaws.com"},
                            }
                        ]
                    }
                },
            },
            "HandlerServiceRoleDefaultPolicyCBD0CC91": {
                "Type": "AWS::IAM::Policy",
                "Properties": {
                    "PolicyDocument": {
                        "Statement": [{"Action": "s3:GetObject", "Effect": "Allow", "Resource": "*"}]
                    },
                    "PolicyName": "p",
                    "Roles": [{"Ref": "HandlerServiceRoleFCDC14AE"}],
                },
            },
            "Handler886CB40B": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Code": {"S3Bucket": {"Fn::Sub": "cdk-${AWS::AccountId}"}, "S3Key": "abc.zip"},
                    "Handler": "index.handler",
                    "Role": {"Fn::GetAtt": ["HandlerServiceRoleFCDC14AE", "Arn"]},
                    "Runtime": "python3.12",
                },
                "Metadata": {"aws:cdk:path": "Stack/Handler/Resource", "aws:asset:path": "asset.abc123"},
            },
        }
    }
    app = _load(tmp_path, json.dumps(template, indent=1), name="cdk.out/Stack.template.json")
    fn = app.function("Handler886CB40B")
    assert fn is not None
    assert fn.handler_file == "cdk.out/asset.abc123/index.py"
    assert app.construct_paths["Handler886CB40B"] == "Stack/Handler/Resource"
    role = app.role(fn.role)
    assert role is not None
    assert [st.actions for _, st in role.statements()] == [("s3:GetObject",)]


def test_external_role_is_unknown_not_empty(tmp_path: Path) -> None:
    app = _load(
        tmp_path,
        """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !ImportValue shared-role
      Code: {ZipFile: "x"}
""",
    )
    fn = app.function("Fn")
    assert fn is not None and isinstance(fn.role, Unknown)
    assert app.unknowns >= 1


def test_openapi_definition_routes(tmp_path: Path) -> None:
    app = _load(
        tmp_path,
        """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        openapi: '3.0.1'
        paths:
          /pets:
            get:
              security: [{keyAuth: []}]
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/functions/${Fn.Arn}/invocations
        components:
          securitySchemes:
            keyAuth: {type: apiKey, name: x-api-key, in: header}
  Fn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: f/, Handler: index.handler, Runtime: nodejs20.x}
""",
    )
    (route,) = app.routes
    assert (route.method, route.path, route.function) == ("GET", "/pets", "Fn")
    assert route.auth.kind is AuthKind.NONE and route.auth.api_key_required
