"""The orders service as deployed: iac/template.yaml through stack orders-prod, then changed by hand.

What differs from the template, on purpose:
- shadow route `GET /debug` (no authorization) on the stack's API, to ReportsFunction;
- shadow Function URL (AuthType NONE) on ReportsFunction, with its public permission;
- drifted authorizer: `GET /reports` uses the Lambda authorizer LegacyAuth, not the JWT OrdersJwt;
- drift: ReportsFunction lost its reserved concurrency; OrdersFunction's role grants
  dynamodb:DeleteItem beyond the template's DynamoDBReadPolicy;
- not deployed: `DELETE /orders/{id}`;
- shadow function hotfix-export (no stack), its role allowing s3:* on *.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

REGION = "us-east-1"
ACCOUNT = "123456789012"
STACK = "orders-prod"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}
CODE = b"import json\n\n\ndef handler(event, context):\n    return {'statusCode': 200}\n"


@dataclass
class Deployed:
    """Ids the server made up, to write expected findings with stable names."""

    ids: dict[str, str] = field(default_factory=dict)

    def normalise(self, text: str) -> str:
        for name, value in sorted(self.ids.items(), key=lambda kv: -len(kv[1])):
            text = text.replace(value, f"<{name}>")
        return text


@dataclass(frozen=True)
class Moto:
    endpoint: str
    host: str
    port: int
    deployed: Deployed


def package() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("app.py", CODE)
    return buf.getvalue()


def stack_tags(logical: str) -> dict[str, str]:
    return {"aws:cloudformation:stack-name": STACK, "aws:cloudformation:logical-id": logical}


def deploy(session: Any) -> Deployed:
    out = Deployed()
    iam = session.client("iam", region_name=REGION)
    lam = session.client("lambda", region_name=REGION)
    v2 = session.client("apigatewayv2", region_name=REGION)
    logs = session.client("logs", region_name=REGION)
    ddb = session.client("dynamodb", region_name=REGION)

    def role(name: str, logical: str | None) -> str:
        tags = [{"Key": k, "Value": v} for k, v in (stack_tags(logical) if logical else {}).items()]
        arn: str = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST), Tags=tags)[
            "Role"
        ]["Arn"]
        return arn

    orders_role = role("orders-prod-OrdersFunctionRole", "OrdersFunctionRole")
    read = [
        "dynamodb:GetItem",
        "dynamodb:Scan",
        "dynamodb:Query",
        "dynamodb:BatchGetItem",
        "dynamodb:DescribeTable",
    ]
    table_arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders-prod-OrdersTable"
    iam.put_role_policy(
        RoleName="orders-prod-OrdersFunctionRole",
        PolicyName="OrdersFunctionRolePolicy0",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": [*read, "dynamodb:DeleteItem"], "Resource": table_arn}
                ],
            }
        ),
    )
    reports_role = role("orders-prod-ReportsFunctionRole", "ReportsFunctionRole")
    hotfix_role = role("hotfix-role", None)
    iam.put_role_policy(
        RoleName="hotfix-role",
        PolicyName="everything-s3",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
        ),
    )

    code = package()

    def function(name: str, role_arn: str, logical: str | None) -> str:
        arn: str = lam.create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=role_arn,
            Handler="app.handler",
            Code={"ZipFile": code},
            Tags=stack_tags(logical) if logical else {},
        )["FunctionArn"]
        return arn

    orders = function("orders-prod-OrdersFunction", orders_role, "OrdersFunction")
    reports = function("orders-prod-ReportsFunction", reports_role, "ReportsFunction")
    function("hotfix-export", hotfix_role, None)
    lam.put_function_concurrency(FunctionName="orders-prod-OrdersFunction", ReservedConcurrentExecutions=10)
    logs.create_log_group(logGroupName="/aws/lambda/orders-prod-OrdersFunction")
    logs.put_retention_policy(logGroupName="/aws/lambda/orders-prod-OrdersFunction", retentionInDays=30)

    api = v2.create_api(Name=STACK, ProtocolType="HTTP", Tags=stack_tags("OrdersApi"))
    api_id = api["ApiId"]
    out.ids["api"] = api_id
    jwt = v2.create_authorizer(
        ApiId=api_id,
        AuthorizerType="JWT",
        IdentitySource=["$request.header.Authorization"],
        Name="OrdersJwt",
        JwtConfiguration={"Audience": ["orders"], "Issuer": "https://issuer.example.com"},
    )["AuthorizerId"]
    legacy = v2.create_authorizer(
        ApiId=api_id,
        AuthorizerType="REQUEST",
        IdentitySource=["$request.header.Authorization"],
        Name="LegacyAuth",
        AuthorizerUri=f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{reports}/invocations",
        AuthorizerPayloadFormatVersion="2.0",
    )["AuthorizerId"]

    def integration(fn_arn: str) -> str:
        found: str = v2.create_integration(
            ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=fn_arn, PayloadFormatVersion="2.0"
        )["IntegrationId"]
        return f"integrations/{found}"

    to_orders, to_reports = integration(orders), integration(reports)
    routes = [
        ("GET /orders", "JWT", jwt, to_orders),
        ("GET /reports", "CUSTOM", legacy, to_reports),
        ("GET /debug", "NONE", None, to_reports),
    ]
    for key, auth, authorizer, target in routes:
        extra = {"AuthorizerId": authorizer} if authorizer else {}
        route = v2.create_route(ApiId=api_id, RouteKey=key, AuthorizationType=auth, Target=target, **extra)
        out.ids["route " + key] = route["RouteId"]
    v2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)

    source = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api_id}/*"
    for name in ("orders-prod-OrdersFunction", "orders-prod-ReportsFunction"):
        lam.add_permission(
            FunctionName=name,
            StatementId="ApiInvoke",
            Action="lambda:InvokeFunction",
            Principal="apigateway.amazonaws.com",
            SourceArn=source,
        )
    lam.create_function_url_config(FunctionName="orders-prod-ReportsFunction", AuthType="NONE")
    lam.add_permission(
        FunctionName="orders-prod-ReportsFunction",
        StatementId="FunctionURLAllowPublicAccess",
        Action="lambda:InvokeFunctionUrl",
        Principal="*",
        FunctionUrlAuthType="NONE",
    )
    ddb.create_table(
        TableName="orders-prod-OrdersTable",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        Tags=[{"Key": k, "Value": v} for k, v in stack_tags("OrdersTable").items()],
    )
    return out
