"""Deterministic generator of a synthetic AWS SAM monorepo for benchmarking faasguard.

Usage::

    python bench/generate.py OUT_DIR --apps N --functions M [--seed S] [--force]

Layout of the output::

    OUT_DIR/
      README.md
      services/app-000/template.yaml
      services/app-000/src/fn_1/app.py          (python runtimes)
      services/app-000/src/fn_1/requirements.txt
      services/app-000/src/fn_2/index.js        (node runtimes)
      services/app-000/src/fn_2/package.json
      ...

Every app gets its own random stream derived from ``(seed, app index)``, so the same seed always
produces byte-identical files, and app ``k`` is the same whatever ``--apps`` is.

The content is deliberately a mix of good and bad practice (open APIs, ``"*"`` actions, public
function URLs, deprecated runtimes, plaintext secrets, shell injection, old pinned dependencies)
so that every analysis has work to do. Nothing here is a real credential.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

GENERATOR_VERSION = "1"

# ---------------------------------------------------------------------------------------------
# A tiny YAML emitter (block style, CloudFormation short-form intrinsics), so output is stable
# and looks hand-written.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tag:
    """A CloudFormation short-form intrinsic with a scalar argument: ``!Ref X``, ``!GetAtt A.B``."""

    name: str
    arg: str


@dataclass(frozen=True)
class Flow:
    """A list of scalars emitted in flow style: ``[a, b]``."""

    items: tuple[str, ...]


Node: TypeAlias = "str | int | bool | Tag | Flow | list[Node] | dict[str, Node]"


def Ref(name: str) -> Tag:
    return Tag("Ref", name)


def GetAtt(target: str) -> Tag:
    return Tag("GetAtt", target)


def Sub(text: str) -> Tag:
    return Tag("Sub", text)


_PLAIN = re.compile(r"^[A-Za-z/][A-Za-z0-9_./:*()\-, ]*$")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def _scalar(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if (
        _PLAIN.match(value)
        and ": " not in value
        and " #" not in value
        and not value.endswith((":", " "))
        and value.lower() not in _RESERVED
    ):
        return value
    return json.dumps(value)


def _inline(value: Node) -> str | None:
    """The one-line form of ``value``, or None when it needs a block."""
    if isinstance(value, Tag):
        return f"!{value.name} {_scalar(value.arg)}"
    if isinstance(value, Flow):
        return "[" + ", ".join(_scalar(v) for v in value.items) + "]"
    if isinstance(value, list | dict):
        return None if value else ("[]" if isinstance(value, list) else "{}")
    return _scalar(value)


def _emit(value: Node, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            line = _inline(item)
            if line is not None:
                out.append(f"{pad}{key}: {line}")
            else:
                out.append(f"{pad}{key}:")
                _emit(item, indent + 2, out)
    elif isinstance(value, list):
        for item in value:
            line = _inline(item)
            if line is not None:
                out.append(f"{pad}- {line}")
            elif isinstance(item, dict):
                sub: list[str] = []
                _emit(item, indent + 2, sub)
                out.append(f"{pad}- {sub[0].lstrip()}")
                out.extend(sub[1:])
            else:
                raise TypeError("nested lists are not supported")
    else:
        raise TypeError(f"cannot emit {type(value).__name__} as a block")


def to_yaml(sections: list[tuple[str, Node]]) -> str:
    """Top-level sections separated by blank lines, like a hand-written template."""
    chunks: list[str] = []
    for key, value in sections:
        out: list[str] = []
        _emit({key: value}, 0, out)
        chunks.append("\n".join(out))
    return "\n\n".join(chunks) + "\n"


# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

DOMAINS = [
    "order",
    "invoice",
    "user",
    "payment",
    "inventory",
    "shipment",
    "notification",
    "report",
    "session",
    "cart",
    "product",
    "review",
    "ticket",
    "audit",
    "subscription",
    "catalog",
]
VERBS = [
    "create",
    "get",
    "list",
    "update",
    "delete",
    "process",
    "sync",
    "export",
    "import",
    "notify",
    "archive",
    "validate",
    "reconcile",
    "enrich",
]
RUNTIMES = [("python3.12", 5), ("nodejs20.x", 3), ("python3.8", 2)]
EVENT_KINDS = [("Api", 4), ("HttpApi", 2), ("S3", 1), ("SQS", 2), ("Schedule", 1), ("None", 1)]
SCHEDULES = ["rate(5 minutes)", "rate(1 hour)", "rate(1 day)", "cron(0 3 * * ? *)", "cron(15 * * * ? *)"]
MANAGED_POLICIES = [
    "AWSLambdaBasicExecutionRole",
    "AWSXRayDaemonWriteAccess",
    "AmazonS3ReadOnlyAccess",
    "AmazonDynamoDBFullAccess",
    "CloudWatchLambdaInsightsExecutionRolePolicy",
    "arn:aws:iam::aws:policy/AmazonSQSFullAccess",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
]
WILDCARD_ACTIONS = ["*", "s3:*", "dynamodb:*", "sqs:*", "iam:PassRole", "kms:Decrypt", "secretsmanager:*"]
PY_DEPS = [
    "requests==2.19.1",
    "requests==2.31.0",
    "PyYAML==5.3",
    "PyYAML==6.0.1",
    "urllib3==1.24.1",
    "urllib3==2.2.1",
    "Jinja2==2.10",
    "Jinja2==3.1.4",
    "aws-lambda-powertools==2.30.2",
    "pydantic==2.6.1",
    "cryptography==3.2",
]
NODE_DEPS = [
    ("lodash", "4.17.15"),
    ("lodash", "^4.17.21"),
    ("axios", "0.21.0"),
    ("axios", "^1.6.7"),
    ("jsonwebtoken", "8.5.1"),
    ("uuid", "^9.0.1"),
    ("minimist", "1.2.0"),
    ("@aws-lambda-powertools/logger", "^1.18.0"),
]


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _camel(*words: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words)


def _plural(noun: str) -> str:
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


def _fake_secret(rng: random.Random, n: int = 24) -> str:
    return "".join(rng.choice("abcdef0123456789") for _ in range(n))


# ---------------------------------------------------------------------------------------------
# One app
# ---------------------------------------------------------------------------------------------


@dataclass
class Fn:
    index: int
    logical_id: str
    verb: str
    noun: str
    runtime: str
    events: list[str]
    table: str | None
    bucket: str | None
    queue: str | None
    vulnerable: bool
    logs_event: bool
    env: dict[str, Node] = field(default_factory=dict)

    @property
    def is_python(self) -> bool:
        return self.runtime.startswith("python")

    @property
    def code_dir(self) -> str:
        return f"src/fn_{self.index}"


@dataclass
class App:
    name: str
    domain: str
    tables: list[str]
    buckets: list[str]
    queues: list[str]
    functions: list[Fn]
    has_rest_api: bool
    default_auth: bool


def _plan_app(rng: random.Random, index: int, n_functions: int) -> App:
    domain = DOMAINS[index % len(DOMAINS)]
    nouns = [domain, *rng.sample([d for d in DOMAINS if d != domain], 2)]
    tables = [f"{_camel(n)}Table" for n in nouns[: rng.randint(1, 3)]]
    buckets = [f"{_camel(n)}Bucket" for n in rng.sample(["uploads", "exports", "assets"], rng.randint(1, 2))]
    queues = [f"{_camel(n)}Queue" for n in rng.sample(["jobs", "events", "retries"], rng.randint(1, 2))]
    app = App(f"app-{index:03d}", domain, tables, buckets, queues, [], False, rng.random() < 0.3)
    used: set[str] = set()
    for k in range(1, n_functions + 1):
        verb, noun = rng.choice(VERBS), rng.choice(nouns)
        logical_id = f"{_camel(verb, noun)}Function"
        if logical_id in used:
            logical_id = f"{_camel(verb, noun)}{k}Function"
        used.add(logical_id)
        n_events = rng.choice([1, 1, 1, 2])
        events = sorted({_weighted(rng, EVENT_KINDS) for _ in range(n_events)})
        if "None" in events and len(events) > 1:
            events.remove("None")
        fn = Fn(
            index=k,
            logical_id=logical_id,
            verb=verb,
            noun=noun,
            runtime=_weighted(rng, RUNTIMES),
            events=[] if events == ["None"] else events,
            table=rng.choice(tables) if rng.random() < 0.85 else None,
            bucket=rng.choice(buckets) if rng.random() < 0.5 or "S3" in events else None,
            queue=rng.choice(queues) if rng.random() < 0.4 or "SQS" in events else None,
            vulnerable=rng.random() < 0.2,
            logs_event=rng.random() < 0.3,
        )
        app.functions.append(fn)
        app.has_rest_api = app.has_rest_api or "Api" in fn.events
    return app


def _events(rng: random.Random, app: App, fn: Fn, routes: set[tuple[str, str, str]]) -> dict[str, Node]:
    events: dict[str, Node] = {}
    for kind in fn.events:
        name = f"{fn.noun.title()}{kind}"
        if kind in ("Api", "HttpApi"):
            method = {"get": "get", "list": "get", "delete": "delete", "update": "put"}.get(fn.verb, "post")
            path = f"/{_plural(fn.noun)}" + ("/{id}" if fn.verb in ("get", "update", "delete") else "")
            if (kind, method, path) in routes:
                path = f"{path}/{fn.verb}-{fn.index}"
            routes.add((kind, method, path))
            props: dict[str, Node] = {"Path": path, "Method": method}
            if kind == "Api":
                props = {"RestApiId": Ref("ServiceApi"), **props}
                # With a DefaultAuthorizer, omitted Auth means Cognito and NONE opts out;
                # without one, omitted Auth means an open method.
                if app.default_auth:
                    auth = rng.choice(["NONE", "AWS_IAM", None, None])
                else:
                    auth = rng.choice(["CognitoAuth", "CognitoAuth", "AWS_IAM", None])
                if auth is not None:
                    props["Auth"] = {"Authorizer": auth}
            elif rng.random() < 0.3:
                props["PayloadFormatVersion"] = "2.0"
            events[name] = {"Type": kind, "Properties": props}
        elif kind == "S3":
            bucket = fn.bucket or app.buckets[0]
            events[name] = {
                "Type": "S3",
                "Properties": {
                    "Bucket": Ref(bucket),
                    "Events": "s3:ObjectCreated:*",
                    "Filter": {"S3Key": {"Rules": [{"Name": "prefix", "Value": f"incoming/fn-{fn.index}/"}]}},
                },
            }
        elif kind == "SQS":
            queue = fn.queue or app.queues[0]
            props = {"Queue": GetAtt(f"{queue}.Arn"), "BatchSize": rng.choice([1, 5, 10])}
            if rng.random() < 0.5:
                props["FunctionResponseTypes"] = ["ReportBatchItemFailures"]
            events[name] = {"Type": "SQS", "Properties": props}
        elif kind == "Schedule":
            events[name] = {
                "Type": "Schedule",
                "Properties": {"Schedule": rng.choice(SCHEDULES), "Enabled": rng.random() < 0.8},
            }
    return events


def _policies(rng: random.Random, fn: Fn) -> list[Node]:
    policies: list[Node] = []
    if fn.table:
        template = rng.choice(["DynamoDBCrudPolicy", "DynamoDBReadPolicy", "DynamoDBWritePolicy"])
        policies.append({template: {"TableName": Ref(fn.table)}})
    if fn.bucket:
        template = rng.choice(["S3ReadPolicy", "S3CrudPolicy", "S3WritePolicy"])
        policies.append({template: {"BucketName": Ref(fn.bucket)}})
    if fn.queue:
        if rng.random() < 0.5:
            policies.append({"SQSSendMessagePolicy": {"QueueName": GetAtt(f"{fn.queue}.QueueName")}})
        else:
            policies.append({"SQSPollerPolicy": {"QueueName": GetAtt(f"{fn.queue}.QueueName")}})
    if rng.random() < 0.4:
        policies.append(rng.choice(MANAGED_POLICIES))
    roll = rng.random()
    if roll < 0.25:
        action = rng.choice(WILDCARD_ACTIONS)
        policies.append(
            {
                "Statement": [
                    {"Effect": "Allow", "Action": action if action == "*" else [action], "Resource": "*"}
                ]
            }
        )
    elif roll < 0.55:
        statement: dict[str, Node] = {
            "Sid": "ReadConfig",
            "Effect": "Allow",
            "Action": ["ssm:GetParameter", "ssm:GetParametersByPath"],
            "Resource": Sub("arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/" + fn.noun + "/*"),
        }
        policies.append({"Version": "2012-10-17", "Statement": [statement]})
    if not policies:
        policies.append("AWSLambdaBasicExecutionRole")
    return policies


def _function_resource(rng: random.Random, app: App, fn: Fn, routes: set[tuple[str, str, str]]) -> Node:
    props: dict[str, Node] = {}
    if rng.random() < 0.5:
        props["FunctionName"] = Sub(f"${{AWS::StackName}}-{fn.verb}-{fn.noun}-{fn.index}")
    props["Description"] = f"{fn.verb.title()} {fn.noun} records"
    props["CodeUri"] = f"{fn.code_dir}/"
    props["Handler"] = "app.lambda_handler" if fn.is_python else "index.handler"
    props["Runtime"] = fn.runtime
    if rng.random() < 0.3:
        props["Architectures"] = Flow(("arm64",))
    if rng.random() < 0.3:
        props["MemorySize"] = rng.choice([512, 1024, 2048])
    if rng.random() < 0.2:
        props["Timeout"] = rng.choice([30, 60, 300, 900])
    env: dict[str, Node] = {}
    if fn.table:
        env["TABLE_NAME"] = Ref(fn.table)
    if fn.bucket:
        env["BUCKET_NAME"] = Ref(fn.bucket)
    if fn.queue:
        env["QUEUE_URL"] = Ref(fn.queue)
    if rng.random() < 0.15:
        env["API_TOKEN"] = f"tok_{_fake_secret(rng)}"
    if rng.random() < 0.1:
        env["DB_PASSWORD"] = f"pw-{_fake_secret(rng, 12)}"
    if rng.random() < 0.3:
        env["POWERTOOLS_SERVICE_NAME"] = app.name
    fn.env = env
    if env:
        props["Environment"] = {"Variables": env}
    props["Policies"] = _policies(rng, fn)
    events = _events(rng, app, fn, routes)
    if events:
        props["Events"] = events
    roll = rng.random()
    if roll < 0.12:
        props["FunctionUrlConfig"] = {"AuthType": "NONE"}
    elif roll < 0.18:
        props["FunctionUrlConfig"] = {"AuthType": "AWS_IAM", "Cors": {"AllowOrigins": Flow(("*",))}}
    if rng.random() < 0.15:
        props["ReservedConcurrentExecutions"] = rng.choice([5, 10, 50])
    return {"Type": "AWS::Serverless::Function", "Properties": props}


def _data_resources(rng: random.Random, app: App) -> dict[str, Node]:
    resources: dict[str, Node] = {}
    for table in app.tables:
        props: dict[str, Node] = {
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
        }
        if rng.random() < 0.6:
            props["SSESpecification"] = {"SSEEnabled": True}
        if rng.random() < 0.5:
            props["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": True}
        if rng.random() < 0.3:
            props["StreamSpecification"] = {"StreamViewType": "NEW_AND_OLD_IMAGES"}
        resources[table] = {"Type": "AWS::DynamoDB::Table", "Properties": props}
    for bucket in app.buckets:
        props = {}
        if rng.random() < 0.6:
            props["BucketEncryption"] = {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": rng.choice(["AES256", "aws:kms"])}}
                ]
            }
        if rng.random() < 0.6:
            props["PublicAccessBlockConfiguration"] = {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            }
        if rng.random() < 0.4:
            props["VersioningConfiguration"] = {"Status": "Enabled"}
        resources[bucket] = (
            {"Type": "AWS::S3::Bucket", "Properties": props} if props else {"Type": "AWS::S3::Bucket"}
        )
    for queue in app.queues:
        props = {"VisibilityTimeout": rng.choice([60, 180, 900])}
        if rng.random() < 0.5:
            props["SqsManagedSseEnabled"] = True
        elif rng.random() < 0.5:
            props["KmsMasterKeyId"] = "alias/aws/sqs"
        if rng.random() < 0.5:
            props["RedrivePolicy"] = {"deadLetterTargetArn": GetAtt(f"{queue}Dlq.Arn"), "maxReceiveCount": 5}
            resources[f"{queue}Dlq"] = {
                "Type": "AWS::SQS::Queue",
                "Properties": {"MessageRetentionPeriod": 1209600},
            }
        resources[queue] = {"Type": "AWS::SQS::Queue", "Properties": props}
    return resources


def _template(rng: random.Random, app: App) -> str:
    routes: set[tuple[str, str, str]] = set()
    functions = {fn.logical_id: _function_resource(rng, app, fn, routes) for fn in app.functions}
    resources: dict[str, Node] = {}
    if app.has_rest_api:
        api_props: dict[str, Node] = {
            "StageName": Ref("Stage"),
            "TracingEnabled": rng.random() < 0.5,
            "Auth": {
                "Authorizers": {"CognitoAuth": {"UserPoolArn": Ref("UserPoolArn")}},
                **({"DefaultAuthorizer": "CognitoAuth"} if app.default_auth else {}),
            },
        }
        if rng.random() < 0.4:
            api_props["AccessLogSetting"] = {
                "DestinationArn": GetAtt("ApiAccessLogs.Arn"),
                "Format": "$context.requestId $context.identity.sourceIp $context.status",
            }
            resources["ApiAccessLogs"] = {
                "Type": "AWS::Logs::LogGroup",
                "Properties": {"RetentionInDays": 30},
            }
        resources["ServiceApi"] = {"Type": "AWS::Serverless::Api", "Properties": api_props}
    resources.update(functions)
    for fn in app.functions:
        if rng.random() < 0.25:
            log_props: dict[str, Node] = {"LogGroupName": Sub(f"/aws/lambda/${{{fn.logical_id}}}")}
            if rng.random() < 0.7:
                log_props["RetentionInDays"] = rng.choice([7, 14, 90, 365])
            resources[f"{fn.logical_id}Logs"] = {"Type": "AWS::Logs::LogGroup", "Properties": log_props}
    resources.update(_data_resources(rng, app))

    parameters: dict[str, Node] = {
        "Stage": {"Type": "String", "Default": "dev", "AllowedValues": Flow(("dev", "staging", "prod"))},
    }
    if app.has_rest_api:
        parameters["UserPoolArn"] = {"Type": "String", "Description": "Cognito user pool for the REST API"}
    globals_fn: dict[str, Node] = {
        "Timeout": rng.choice([10, 15, 29]),
        "MemorySize": rng.choice([128, 256, 512]),
    }
    if rng.random() < 0.6:
        globals_fn["Tracing"] = "Active"
    globals_fn["Environment"] = {
        "Variables": {"STAGE": Ref("Stage"), "LOG_LEVEL": rng.choice(["INFO", "DEBUG"])}
    }
    global_section: dict[str, Node] = {"Function": globals_fn}
    if rng.random() < 0.4:
        global_section["Api"] = {
            "Cors": {"AllowOrigin": "'*'", "AllowHeaders": "'Content-Type,Authorization'"}
        }

    outputs: dict[str, Node] = {}
    if app.has_rest_api:
        outputs["ApiUrl"] = {
            "Description": "REST API endpoint",
            "Value": Sub("https://${ServiceApi}.execute-api.${AWS::Region}.amazonaws.com/${Stage}/"),
        }
    for table in app.tables[:1]:
        outputs[f"{table}Name"] = {"Value": Ref(table)}

    header = (
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "Transform: AWS::Serverless-2016-10-31\n"
        f"Description: {app.name} - synthetic {app.domain} service (faasguard bench, generated)\n\n"
    )
    return header + to_yaml(
        [
            ("Parameters", parameters),
            ("Globals", global_section),
            ("Resources", resources),
            ("Outputs", outputs),
        ]
    )


# ---------------------------------------------------------------------------------------------
# Handler code
# ---------------------------------------------------------------------------------------------


def _python_handler(rng: random.Random, app: App, fn: Fn) -> str:
    trigger = fn.events[0] if fn.events else "Invoke"
    sink = ""
    if fn.vulnerable:
        sink = rng.choice(["subprocess", "eval", "pickle" if trigger in ("S3", "SQS") else "subprocess"])
    imports = ["import json", "import logging", "import os"]
    if sink in ("subprocess", "pickle"):
        imports.append(f"import {sink}")
    imports += ["import uuid", "from datetime import datetime, timezone"]
    lines = [
        f'"""{fn.verb.title()} {fn.noun} handler for {app.name} ({fn.logical_id}).',
        "",
        "Synthetic code generated by faasguard bench/generate.py.",
        '"""',
        "",
        *sorted(imports, key=lambda s: (s.startswith("from"), s)),
        "",
        "import boto3",
        "from botocore.exceptions import ClientError",
        "",
        "logger = logging.getLogger()",
        'logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))',
        "",
    ]
    if fn.table:
        lines += ['dynamodb = boto3.resource("dynamodb")', 'table = dynamodb.Table(os.environ["TABLE_NAME"])']
    if fn.bucket:
        lines += ['s3 = boto3.client("s3")', 'BUCKET_NAME = os.environ["BUCKET_NAME"]']
    if fn.queue:
        lines += ['sqs = boto3.client("sqs")', 'QUEUE_URL = os.environ["QUEUE_URL"]']
    if fn.vulnerable and rng.random() < 0.5:
        lines.append(f'SIGNING_KEY = "sk_{_fake_secret(rng, 32)}"')
    lines += [
        "",
        "",
        "def _response(status: int, body: dict) -> dict:",
        "    return {",
        '        "statusCode": status,',
        '        "headers": {"Content-Type": "application/json"},',
        '        "body": json.dumps(body, default=str),',
        "    }",
        "",
        "",
        "def _now() -> str:",
        "    return datetime.now(timezone.utc).isoformat()",
        "",
        "",
        "def _store(item: dict) -> None:",
    ]
    if fn.table:
        lines += [
            "    try:",
            "        table.put_item(Item=item)",
            "    except ClientError as exc:",
            '        logger.error("put_item failed: %s", exc.response["Error"]["Code"])',
            "        raise",
        ]
    else:
        lines += ['    logger.info("would store %s", item.get("pk"))']
    if fn.queue:
        lines += ["    sqs.send_message(QueueUrl=QUEUE_URL, MessageBody=json.dumps(item, default=str))"]
    lines += ["", "", "def lambda_handler(event, context):"]
    if fn.logs_event:
        lines.append('    logger.info("received event: %s", json.dumps(event))')
    else:
        lines.append('    logger.debug("request id %s", context.aws_request_id)')
    if trigger in ("Api", "HttpApi"):
        lines += [
            '    params = event.get("pathParameters") or {}',
            '    query = event.get("queryStringParameters") or {}',
            "    try:",
            '        body = json.loads(event.get("body") or "{}")',
            "    except json.JSONDecodeError:",
            '        return _response(400, {"message": "invalid JSON body"})',
            '    item_id = params.get("id") or str(uuid.uuid4())',
        ]
        if fn.vulnerable:
            lines += _python_sink(sink, 'query.get("name", "")', "body")
        if fn.table and fn.verb in ("get", "list"):
            lines += [
                f'    result = table.get_item(Key={{"pk": "{fn.noun}#" + item_id, "sk": "meta"}})',
                '    if "Item" not in result:',
                '        return _response(404, {"message": "not found"})',
                '    return _response(200, result["Item"])',
            ]
        else:
            lines += [
                f'    item = {{"pk": "{fn.noun}#" + item_id, "sk": "meta", "updated_at": _now(), **body}}',
                "    _store(item)",
                '    return _response(201, {"id": item_id})',
            ]
    elif trigger == "S3":
        lines += [
            '    for record in event["Records"]:',
            '        bucket = record["s3"]["bucket"]["name"]',
            '        key = record["s3"]["object"]["key"]',
            '        obj = boto3.client("s3").get_object(Bucket=bucket, Key=key)',
            '        data = obj["Body"].read()',
        ]
        if fn.vulnerable:
            lines += ["    " + s for s in _python_sink(sink, "key", "data")]
        lines += [
            f'        _store({{"pk": "{fn.noun}#" + key, "sk": "object", "size": len(data), "at": _now()}})',
            '    return {"processed": len(event["Records"])}',
        ]
    elif trigger == "SQS":
        lines += [
            "    failures = []",
            '    for record in event["Records"]:',
            "        try:",
            '            message = json.loads(record["body"])',
            f'            _store({{"pk": "{fn.noun}#" + str(message.get("id")), "sk": "msg", **message}})',
            "        except (ValueError, ClientError):",
            '            failures.append({"itemIdentifier": record["messageId"]})',
        ]
        if fn.vulnerable:
            lines += ["    " + s for s in _python_sink(sink, 'record["body"]', 'record["body"].encode()')]
        lines += ['    return {"batchItemFailures": failures}']
    else:
        lines += ["    count = 0"]
        if fn.table:
            lines += [
                '    scan = table.scan(Limit=100, ProjectionExpression="pk, sk")',
                '    for item in scan.get("Items", []):',
                '        logger.info("checking %s", item["pk"])',
                "        count += 1",
            ]
        if fn.bucket:
            lines += [
                f'    report_key = "reports/{fn.noun}/" + _now() + ".json"',
                '    s3.put_object(Bucket=BUCKET_NAME, Key=report_key, Body=json.dumps({"count": count}))',
            ]
        if fn.vulnerable:
            lines += _python_sink(sink, 'event.get("detail", {}).get("target", "")', "event")
        lines += ['    return {"count": count}']
    return "\n".join(lines) + "\n"


def _python_sink(kind: str, source: str, payload: str) -> list[str]:
    """An injection sink fed by event data (only in functions planned as vulnerable)."""
    if kind == "subprocess":
        return [
            f"    target = {source}",
            '    subprocess.run(f"echo processing {target}", shell=True, check=False)',
        ]
    if kind == "pickle":
        return [f"    obj = pickle.loads({payload})"]
    return [f"    eval({source})"]


def _node_handler(rng: random.Random, app: App, fn: Fn) -> str:
    lines = [
        f"// {fn.verb.title()} {fn.noun} handler for {app.name} ({fn.logical_id}).",
        "// Synthetic code generated by faasguard bench/generate.py.",
        "'use strict';",
        "",
    ]
    if fn.table:
        lines += [
            "const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');",
            "const { DynamoDBDocumentClient, PutCommand, GetCommand } = require('@aws-sdk/lib-dynamodb');",
        ]
    if fn.bucket:
        lines.append(
            "const { S3Client, GetObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');"
        )
    if fn.queue:
        lines.append("const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');")
    if fn.vulnerable:
        lines.append("const { exec } = require('child_process');")
    lines += ["const { randomUUID } = require('crypto');", ""]
    if fn.table:
        lines += [
            "const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));",
            "const TABLE_NAME = process.env.TABLE_NAME;",
        ]
    if fn.bucket:
        lines += ["const s3 = new S3Client({});", "const BUCKET_NAME = process.env.BUCKET_NAME;"]
    if fn.queue:
        lines += ["const sqs = new SQSClient({});", "const QUEUE_URL = process.env.QUEUE_URL;"]
    if fn.vulnerable and rng.random() < 0.5:
        lines.append(f"const SIGNING_KEY = 'sk_{_fake_secret(rng, 32)}';")
    lines += [
        "",
        "const response = (statusCode, body) => ({",
        "  statusCode,",
        "  headers: { 'Content-Type': 'application/json' },",
        "  body: JSON.stringify(body),",
        "});",
        "",
        "function validate(item) {",
        "  const errors = [];",
        "  if (!item.pk || typeof item.pk !== 'string') errors.push('pk is required');",
        "  if (item.pk && item.pk.length > 256) errors.push('pk is too long');",
        "  if (errors.length) {",
        "    const err = new Error(errors.join('; '));",
        "    err.statusCode = 400;",
        "    throw err;",
        "  }",
        "  return { ...item, storedAt: new Date().toISOString() };",
        "}",
        "",
        "async function store(raw) {",
        "  const item = validate(raw);",
    ]
    if fn.table:
        lines.append("  await ddb.send(new PutCommand({ TableName: TABLE_NAME, Item: item }));")
    else:
        lines.append("  console.log('would store', item.pk);")
    if fn.queue:
        lines += [
            "  await sqs.send(",
            "    new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: JSON.stringify(item) }),",
            "  );",
        ]
    lines += ["}", "", "exports.handler = async (event, context) => {"]
    if fn.logs_event:
        lines.append("  console.log('received event', JSON.stringify(event));")
    else:
        lines.append("  console.debug('request', context.awsRequestId);")
    trigger = fn.events[0] if fn.events else "Invoke"
    if trigger in ("Api", "HttpApi"):
        lines += [
            "  const params = event.pathParameters || {};",
            "  const query = event.queryStringParameters || {};",
            "  let body;",
            "  try {",
            "    body = JSON.parse(event.body || '{}');",
            "  } catch (err) {",
            "    return response(400, { message: 'invalid JSON body' });",
            "  }",
            "  const id = params.id || randomUUID();",
        ]
        if fn.vulnerable:
            lines.append("  exec(`echo processing ${query.name}`, () => {});")
        if fn.table and fn.verb in ("get", "list"):
            lines += [
                "  const out = await ddb.send(",
                f"    new GetCommand({{ TableName: TABLE_NAME, Key: {{ pk: `{fn.noun}#${{id}}`, sk: 'meta' }} }}),",  # noqa: E501
                "  );",
                "  if (!out.Item) return response(404, { message: 'not found' });",
                "  return response(200, out.Item);",
            ]
        else:
            lines += [
                "  const updatedAt = new Date().toISOString();",
                f"  await store({{ pk: `{fn.noun}#${{id}}`, sk: 'meta', updatedAt, ...body }});",
                "  return response(201, { id });",
            ]
    elif trigger == "S3":
        lines += [
            "  for (const record of event.Records) {",
            "    const key = decodeURIComponent(record.s3.object.key.replace(/\\+/g, ' '));",
        ]
        if fn.bucket:
            lines += [
                "    const obj = await s3.send(",
                "      new GetObjectCommand({ Bucket: record.s3.bucket.name, Key: key }),",
                "    );",
            ]
            lines.append("    const size = obj.ContentLength;")
        else:
            lines.append("    const size = record.s3.object.size;")
        if fn.vulnerable:
            lines.append("    exec(`file /tmp/${key}`, () => {});")
        lines += [
            f"    await store({{ pk: `{fn.noun}#${{key}}`, sk: 'object', size }});",
            "  }",
            "  return { processed: event.Records.length };",
        ]
    elif trigger == "SQS":
        lines += [
            "  const batchItemFailures = [];",
            "  for (const record of event.Records) {",
            "    try {",
            "      const message = JSON.parse(record.body);",
        ]
        if fn.vulnerable:
            lines.append("      eval(message.expression);")
        lines += [
            f"      await store({{ pk: `{fn.noun}#${{message.id}}`, sk: 'msg', ...message }});",
            "    } catch (err) {",
            "      batchItemFailures.push({ itemIdentifier: record.messageId });",
            "    }",
            "  }",
            "  return { batchItemFailures };",
        ]
    else:
        lines += ["  const now = new Date().toISOString();"]
        if fn.bucket:
            lines += [
                f"  const reportKey = `reports/{fn.noun}/${{now}}.json`;",
                "  await s3.send(new PutObjectCommand({ Bucket: BUCKET_NAME, Key: reportKey, Body: '{}' }));",
            ]
        if fn.vulnerable:
            lines.append("  exec(`run-report ${event.detail && event.detail.target}`, () => {});")
        lines += [f"  await store({{ pk: '{fn.noun}#run', sk: now }});", "  return { ok: true };"]
    lines += ["};"]
    return "\n".join(lines) + "\n"


def _python_requirements(rng: random.Random) -> str:
    picked = sorted(set(rng.sample(PY_DEPS, rng.randint(1, 3))), key=str.lower)
    seen: set[str] = set()
    out = []
    for dep in picked:
        name = dep.split("==")[0].lower()
        if name not in seen:
            seen.add(name)
            out.append(dep)
    return "\n".join(out) + "\n"


def _package_json(rng: random.Random, app: App, fn: Fn) -> str:
    deps: dict[str, str] = {}
    for name, version in rng.sample(NODE_DEPS, rng.randint(1, 3)):
        deps.setdefault(name, version)
    for sdk in ("client-dynamodb", "lib-dynamodb", "client-s3", "client-sqs"):
        deps.setdefault(f"@aws-sdk/{sdk}", "^3.525.0")
    doc = {
        "name": f"{app.name}-fn-{fn.index}",
        "version": "1.0.0",
        "private": True,
        "main": "index.js",
        "dependencies": dict(sorted(deps.items())),
    }
    return json.dumps(doc, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def generate_app(root: Path, index: int, n_functions: int, seed: int) -> int:
    """Write ``services/app-XXX`` under ``root``; returns the number of files written."""
    rng = random.Random(f"faasguard-bench:{GENERATOR_VERSION}:{seed}:{index}")
    app = _plan_app(rng, index, n_functions)
    app_dir = root / "services" / app.name
    _write(app_dir / "template.yaml", _template(rng, app))
    written = 1
    for fn in app.functions:
        code_dir = app_dir / fn.code_dir
        if fn.is_python:
            _write(code_dir / "app.py", _python_handler(rng, app, fn))
            _write(code_dir / "requirements.txt", _python_requirements(rng))
        else:
            _write(code_dir / "index.js", _node_handler(rng, app, fn))
            _write(code_dir / "package.json", _package_json(rng, app, fn))
        written += 2
    return written


def generate(out_dir: Path, apps: int, functions: int, seed: int = 0) -> int:
    """Generate the whole monorepo into ``out_dir``; returns the number of files written."""
    written = 0
    for index in range(apps):
        written += generate_app(out_dir, index, functions, seed)
    _write(
        out_dir / "README.md",
        "# Synthetic SAM monorepo\n\nGenerated by faasguard `bench/generate.py` "
        f"(generator v{GENERATOR_VERSION}, seed {seed}): {apps} apps x {functions} functions.\n"
        "Not a real project; contains deliberately insecure configuration and fake secrets.\n",
    )
    return written + 1


def _is_generated(out: Path) -> bool:
    """True when ``out`` holds only what ``generate`` writes (so --force cannot wipe real work)."""
    readme = out / "README.md"
    try:
        marker = "Generated by faasguard `bench/generate.py`" in readme.read_text(encoding="utf-8")
    except OSError:
        return False
    return marker and {p.name for p in out.iterdir()} <= {"README.md", "services"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic SAM monorepo (deterministic).")
    parser.add_argument("out_dir", type=Path, help="directory to write into")
    parser.add_argument("--apps", type=int, default=10, help="number of SAM apps (default 10)")
    parser.add_argument("--functions", type=int, default=5, help="functions per app (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--force", action="store_true", help="delete OUT_DIR first if it is not empty")
    args = parser.parse_args(argv)
    if args.apps < 1 or args.functions < 1:
        parser.error("--apps and --functions must be at least 1")
    out: Path = args.out_dir
    if out.exists() and any(out.iterdir()):
        if not args.force:
            parser.error(f"{out} is not empty (use --force to replace earlier generator output)")
        if not _is_generated(out):
            parser.error(f"{out} does not look like generate.py output; refusing to delete it")
        shutil.rmtree(out / "services", ignore_errors=True)
        (out / "README.md").unlink(missing_ok=True)
    written = generate(out, args.apps, args.functions, args.seed)
    print(f"wrote {written} files to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
