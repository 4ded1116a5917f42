"""Hypothesis strategies for every input format faasguard reads.

Two kinds of input per format: *generated structures* (documents built from the format's real
vocabulary, with hostile values mixed in: escape sequences, HTML, paths that climb out of the
root, variables that loop, huge numbers) and *mutations of real-shaped inputs* (the repository's
own fixtures and demo, with byte-level edits: cut, duplicate, insert format tokens, truncate).

A project is a `Project`: files (path relative to the scan root -> bytes) and symlinks. Every
project is written under `<tmp>/project`; `<tmp>/outside` holds files whose content carries
`CANARY` (see tests/hostile/hostile_checks.py), and generated inputs point at them
(`../outside/secret.yml`, symlinks). The fuzz property requires that the canary never appears in
any report.
"""

from __future__ import annotations

import json
import keyword
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]


def rarely(draw: st.DrawFn, one_in: int) -> bool:
    """True about once in `one_in` draws. (Hypothesis favours the bounds of a range, so a rare
    case must not be `integers(0, n) == 0`: that comes up far more often than one time in n.)"""
    return bool(draw(st.integers(0, one_in - 1)) == one_in // 2)


@dataclass
class Project:
    files: dict[str, bytes] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # link path -> target (as written)

    def describe(self) -> str:
        parts = [f"--- {name} ({len(data)} bytes)\n{data[:4000]!r}" for name, data in self.files.items()]
        parts += [f"--- link {name} -> {target}" for name, target in self.links.items()]
        return "\n".join(parts)


# --- hostile values --------------------------------------------------------------------------

ESCAPES = [
    "\x1b[31mRED\x1b[0m",
    "\x1b]0;pwned title\x07",
    "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "\x1b[2J\x1b[H",
    "\x1bP+q\x1b\\",
    "\x9b31m",
    "\x1b[6n",
    "\u202egnp.exe",
    "a\rb\x08\x7f",
    "line\nbreak\u2028sep\u2029\x85",
    "\x00nul",
]
HTML = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "&lt;&amp;&#x27;",
    "<!--",
    "]]>",
]
PATHS = [
    "../outside/secret.yml",
    "../outside/secret.json",
    "../outside/secret.txt",
    "../../outside/secret.yml",
    "../" * 12 + "etc/passwd",
    "/etc/passwd",
    "~/.aws/credentials",
    "C:\\Windows\\win.ini",
    "./link_out/secret.yml",
    "link_out/secret.txt",
    "loop/loop/loop",
    "..",
    ".",
    "",
]
SLS_VARS = [
    "${self:custom.a}",
    "${self:custom.${self:custom.b}}",
    "${self:custom.loop}",
    "${opt:stage, 'dev'}",
    "${opt:region, self:provider.region}",
    "${sls:stage}",
    "${env:HOME, 'x'}",
    "${param:p}",
    "${file(./extra.yml):key}",
    "${file(./extra.json)}",
    "${file(../outside/secret.yml):key}",
    "${file(../outside/secret.json)}",
    "${file(/etc/passwd)}",
    "${file(./link_out/secret.yml)}",
    "${file(./handler.js):fn}",
    "${ssm:/app/secret}",
    "${cf:stack.Output}",
    "${s3:bucket/key}",
    "${aws:accountId}",
    "${self:provider.stage}-${self:service}",
    "${self:}",
    "${",
    "${self:custom.a, ${self:custom.b, ${env:X, 'd'}}}",
    "${strToBool(true)}",
    "${self:functions}",
]
HCL_ESCAPES = ['"${', "%{", "}", "<<EOF", "$${", "\\u0000", '\\"']
INTERESTING = [
    "",
    " ",
    "*",
    "s3:*",
    "iam:PassRole",
    "Allow",
    "Deny",
    "NONE",
    "AWS_IAM",
    "0.0.0.0/0",
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "arn:aws:lambda:us-east-1:123456789012:function:fn",
    "arn:aws:iam::123456789012:role/r",
    "python3.12",
    "python2.7",
    "nodejs20.x",
    "nodejs8.10",
    "provided.al2",
    "app.handler",
    "index.handler",
    "src/",
    "rate(1 minute)",
    "GET /items/{id}",
    "/{proxy+}",
    "AKIAIOSFODNN7EXAMPLE",
    "password",
    "true",
    "yes",
    "null",
    "~",
    "0x1F",
    "1e400",
    "-0",
    "NaN",
    "2012-10-17",
    "A" * 3000,
    "é" * 50,
    "\ufeff",
    "\ud7ff",
    "\U0001d518\U0001d52b\U0001d526",  # mathematical fraktur letters
    "%s%s%n",
    "{{7*7}}",
    "'; DROP TABLE t; --",
]


@cache
def _text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(INTERESTING + ESCAPES + HTML + PATHS),
        st.text(max_size=24),
        st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x9F), max_size=12),
    )


@cache
def text_values() -> st.SearchStrategy[str]:
    return st.one_of(_text(), st.sampled_from(SLS_VARS), st.builds(lambda a, b: a + b, _text(), _text()))


@cache
def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        text_values(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.sampled_from([0, 1, -1, 2**31, 2**63, 10**30]),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.none(),
    )


ID_POOL = ["Fn", "Api", "Role", "Bucket", "Queue", "Table", "Topic", "MyFunction", "x", "a1"]


@cache
def identifiers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(ID_POOL),
        st.from_regex(r"\A[A-Za-z][A-Za-z0-9]{0,12}\Z"),
        st.sampled_from(ESCAPES + HTML),
    )


# --- YAML / JSON emission -------------------------------------------------------------------


@dataclass(frozen=True)
class Tagged:
    """A YAML value written with a local tag (`!Ref x`, `!GetAtt a.b`, `!Sub [...]`)."""

    tag: str
    value: Any


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, "" if data.value is None else str(data.value))


_Dumper.add_representer(Tagged, _represent_tagged)


def detag(value: Any) -> Any:
    """The long (JSON) form of a value that may hold short-form tags."""
    if isinstance(value, Tagged):
        name = value.tag[1:]
        key = name if name in ("Ref", "Condition") else f"Fn::{name}"
        return {key: detag(value.value)}
    if isinstance(value, dict):
        return {str(k): detag(v) for k, v in value.items()}
    if isinstance(value, list):
        return [detag(v) for v in value]
    return value


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return "NaN"
    return value


@st.composite
def emit_yaml(draw: st.DrawFn, doc: Any) -> bytes:
    flow = draw(st.sampled_from([False, None, True]))
    text = yaml.dump(
        doc,
        Dumper=_Dumper,
        default_flow_style=flow,
        sort_keys=False,
        allow_unicode=draw(st.booleans()),
        width=draw(st.sampled_from([80, 20, 10_000])),
    )
    if rarely(draw, 10):
        text = "---\n" + text + "...\n---\n" + text  # more than one document
    return text.encode("utf-8", "surrogatepass")


@st.composite
def emit_json(draw: st.DrawFn, doc: Any) -> bytes:
    plain = detag(doc)
    try:
        text = json.dumps(
            plain,
            indent=draw(st.sampled_from([None, 2, 0])),
            ensure_ascii=draw(st.booleans()),
            allow_nan=True,
            default=str,
        )
    except (ValueError, TypeError):
        text = json.dumps(str(plain))
    return text.encode("utf-8", "surrogatepass")


# --- mutations of real inputs -----------------------------------------------------------------

TOKENS = [
    b"{",
    b"}",
    b"[",
    b"]",
    b": ",
    b"- ",
    b"\n",
    b"\n  ",
    b"\t",
    b",",
    b'"',
    b"'",
    b"\\",
    b"#",
    b"&a ",
    b"*a",
    b"<<: *a\n",
    b"!Ref ",
    b"!GetAtt ",
    b"!Sub ",
    b"!If ",
    b"!!binary ",
    b"!!python/object/apply:os.system ['id']",
    b"!!int ",
    b"---\n",
    b"%YAML 1.1\n",
    b"? ",
    b"|\n",
    b">-\n",
    b"${",
    b"${self:custom.loop}",
    b"${file(../outside/secret.yml)}",
    b"Fn::",
    b"Ref",
    b"AWS::Serverless::Function",
    b"Type: AWS::Lambda::Function",
    b"%{ if true }",
    b"<<EOF\n",
    b"EOF\n",
    b'resource "aws_lambda_function" "f" {',
    b'module "m" { source = "../outside" }',
    b'file("../outside/secret.txt")',
    b"-r ../outside/secret.txt\n",
    b"def ",
    b"class ",
    b"lambda ",
    b"import os\n",
    b"os.system(event['x'])",
    b"`${",
    b"=>",
    b"/*",
    b"*/",
    b"//",
    b"\x00",
    b"\xff",
    b"\xc3(",
    b"\xef\xbb\xbf",
    b"\xed\xa0\x80",
    b"\x1b[31m",
    b"\x1b]0;x\x07",
    b"<script>",
]


@st.composite
def mutate(draw: st.DrawFn, data: bytes) -> bytes:
    """A real-shaped input with up to a few edits."""
    buf = bytearray(data)
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["delete", "insert", "dup", "flip", "truncate", "repeat", "swap"]))
        n = len(buf)
        at = draw(st.integers(0, n)) if n else 0
        if op == "delete" and n:
            del buf[at : at + draw(st.integers(1, 64))]
        elif op == "insert":
            piece = draw(st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=8)))
            buf[at:at] = piece
        elif op == "dup" and n:
            span = bytes(buf[at : at + draw(st.integers(1, 256))])
            buf[at:at] = span * draw(st.integers(1, 4))
        elif op == "flip" and n:
            buf[min(at, n - 1)] = draw(st.integers(0, 255))
        elif op == "truncate":
            del buf[at:]
        elif op == "repeat" and n:
            line_start = buf.rfind(b"\n", 0, at) + 1
            line_end = buf.find(b"\n", at)
            line = bytes(buf[line_start : line_end if line_end >= 0 else n])
            buf[line_start:line_start] = (line + b"\n") * draw(st.integers(1, 50))
        elif op == "swap" and n > 2:
            other = draw(st.integers(0, n))
            a, b = sorted((at, other))
            buf[a:b] = bytes(buf[a:b])[::-1]
    return bytes(buf)


@cache
def seeds(*patterns: str) -> tuple[bytes, ...]:
    """Real inputs of a kind from the repository's fixtures and demo (each at most 64 KiB)."""
    out: list[bytes] = []
    for base in (REPO / "examples", REPO / "tests" / "rules", REPO / "tests" / "loaders", REPO / "tests"):
        for pattern in patterns:
            for path in sorted(base.rglob(pattern)):
                if "node_modules" in path.parts or not path.is_file() or path.is_symlink():
                    continue
                data = path.read_bytes()
                if 0 < len(data) <= 65536 and data not in out:
                    out.append(data)
                if len(out) >= 400:
                    return tuple(out)
    return tuple(out)


@cache
def seeded(*patterns: str) -> st.SearchStrategy[bytes]:
    found = seeds(*patterns)
    if not found:
        return st.just(b"")
    return pick(found).flatmap(mutate)


def pick(items: tuple[bytes, ...]) -> st.SearchStrategy[bytes]:
    """One of `items`, by index: `sampled_from` would put megabytes of seeds in its repr."""
    return st.integers(0, len(items) - 1).map(items.__getitem__)


# --- CloudFormation / SAM -----------------------------------------------------------------------

RESOURCE_TYPES = [
    "AWS::Serverless::Function",
    "AWS::Serverless::Api",
    "AWS::Serverless::HttpApi",
    "AWS::Serverless::StateMachine",
    "AWS::Serverless::LayerVersion",
    "AWS::Serverless::SimpleTable",
    "AWS::Serverless::Connector",
    "AWS::Lambda::Function",
    "AWS::Lambda::Url",
    "AWS::Lambda::Permission",
    "AWS::Lambda::EventSourceMapping",
    "AWS::Lambda::LayerVersion",
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Resource",
    "AWS::ApiGateway::Stage",
    "AWS::ApiGateway::Authorizer",
    "AWS::ApiGatewayV2::Api",
    "AWS::ApiGatewayV2::Route",
    "AWS::ApiGatewayV2::Integration",
    "AWS::S3::Bucket",
    "AWS::S3::BucketPolicy",
    "AWS::SQS::Queue",
    "AWS::SNS::Topic",
    "AWS::DynamoDB::Table",
    "AWS::Logs::LogGroup",
    "AWS::Events::Rule",
    "AWS::SecretsManager::Secret",
    "AWS::SSM::Parameter",
    "AWS::KMS::Key",
    "AWS::StepFunctions::StateMachine",
    "AWS::Cognito::UserPool",
    "AWS::CloudFormation::Stack",
    "AWS::Serverless::Application",
    "Custom::Thing",
]
PROPERTY_KEYS = [
    "Handler",
    "Runtime",
    "CodeUri",
    "InlineCode",
    "Code",
    "ZipFile",
    "Role",
    "Policies",
    "Events",
    "Environment",
    "Variables",
    "FunctionUrlConfig",
    "AuthType",
    "Cors",
    "Timeout",
    "MemorySize",
    "ReservedConcurrentExecutions",
    "Tracing",
    "TracingConfig",
    "Layers",
    "VpcConfig",
    "DeadLetterQueue",
    "AutoPublishAlias",
    "Architectures",
    "PackageType",
    "ImageUri",
    "Auth",
    "Authorizers",
    "DefaultAuthorizer",
    "ApiKeyRequired",
    "ResourcePolicy",
    "DefinitionBody",
    "DefinitionUri",
    "Body",
    "StageName",
    "AccessLogSetting",
    "MethodSettings",
    "AssumeRolePolicyDocument",
    "ManagedPolicyArns",
    "PolicyDocument",
    "PolicyName",
    "Statement",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "Condition",
    "BucketName",
    "BucketEncryption",
    "PublicAccessBlockConfiguration",
    "NotificationConfiguration",
    "QueueName",
    "KmsMasterKeyId",
    "SqsManagedSseEnabled",
    "TableName",
    "StreamSpecification",
    "Path",
    "Method",
    "RestApiId",
    "ApiId",
    "ParentId",
    "PathPart",
    "HttpMethod",
    "AuthorizationType",
    "AuthorizerId",
    "Integration",
    "Uri",
    "Target",
    "RouteKey",
    "ProtocolType",
    "Name",
    "Value",
    "LoggingConfig",
    "LogGroupName",
    "RetentionInDays",
    "SecretString",
    "FunctionName",
    "Principal",
    "SourceArn",
    "FunctionUrlAuthType",
    "EventSourceArn",
    "BatchSize",
    "Definition",
    "DefinitionString",
    "Location",
    "TemplateURL",
    "Parameters",
    "Source",
    "Destination",
    "Permissions",
    "Type",
    "Properties",
    "Metadata",
]
EVENT_TYPES = [
    "Api",
    "HttpApi",
    "S3",
    "SQS",
    "SNS",
    "Schedule",
    "ScheduleV2",
    "DynamoDB",
    "Kinesis",
    "EventBridgeRule",
    "CloudWatchEvent",
    "IoTRule",
    "Cognito",
    "MSK",
    "SelfManagedKafka",
    "AlexaSkill",
    "Bogus",
]
EVENT_KEYS = [
    "Path",
    "Method",
    "RestApiId",
    "ApiId",
    "Auth",
    "Authorizer",
    "ApiKeyRequired",
    "Bucket",
    "Events",
    "Queue",
    "Topic",
    "Stream",
    "Schedule",
    "Pattern",
    "Enabled",
    "Sql",
    "UserPool",
    "Trigger",
    "BatchSize",
    "RequestParameters",
]
INTRINSICS = [
    "Ref",
    "Condition",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::Join",
    "Fn::If",
    "Fn::Select",
    "Fn::Split",
    "Fn::FindInMap",
    "Fn::ImportValue",
    "Fn::Base64",
    "Fn::GetAZs",
    "Fn::Equals",
    "Fn::Not",
    "Fn::And",
    "Fn::Or",
    "Fn::Transform",
    "Fn::ToJsonString",
    "Fn::Length",
    "Fn::Cidr",
    "Fn::ForEach::Loop",
]
PSEUDO = [
    "AWS::Region",
    "AWS::AccountId",
    "AWS::StackName",
    "AWS::Partition",
    "AWS::NoValue",
    "AWS::URLSuffix",
]
SAM_POLICIES = [
    "AWSLambdaBasicExecutionRole",
    "AdministratorAccess",
    "AmazonS3FullAccess",
    "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
]
SAM_TEMPLATES = [
    "S3ReadPolicy",
    "S3CrudPolicy",
    "DynamoDBCrudPolicy",
    "SQSSendMessagePolicy",
    "LambdaInvokePolicy",
]


def intrinsic(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    rid = identifiers()
    well_formed = st.one_of(
        st.builds(lambda r: {"Ref": r}, st.one_of(rid, st.sampled_from(PSEUDO))),
        st.builds(lambda r: Tagged("!Ref", r), rid),
        st.builds(
            lambda r, a: {"Fn::GetAtt": [r, a]}, rid, st.sampled_from(["Arn", "Url", "FunctionUrl", "x.y"])
        ),
        st.builds(lambda r: Tagged("!GetAtt", f"{r}.Arn"), rid),
        st.builds(
            lambda r, t: {"Fn::Sub": f"arn:${{AWS::Partition}}:{t}:${{{r}.Arn}}/${{!Literal}}"}, rid, _text()
        ),
        st.builds(
            lambda s, m: Tagged("!Sub", [s, m]),
            text_values(),
            st.dictionaries(identifiers(), inner, max_size=2),
        ),
        st.builds(lambda d, xs: {"Fn::Join": [d, xs]}, _text(), st.lists(inner, max_size=3)),
        st.builds(lambda c, a, b: {"Fn::If": [c, a, b]}, identifiers(), inner, inner),
        st.builds(lambda i, xs: {"Fn::Select": [i, xs]}, st.integers(-3, 5), st.lists(inner, max_size=3)),
        st.builds(lambda a, b, c: {"Fn::FindInMap": [a, b, c]}, identifiers(), identifiers(), identifiers()),
        st.builds(
            lambda loc: {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": loc}}},
            st.sampled_from([*PATHS, "openapi.yaml", "s3://b/k"]),
        ),
    )
    arbitrary = st.builds(lambda k, v: {k: v}, st.sampled_from(INTRINSICS), inner)
    short = st.builds(
        lambda k, v: Tagged("!" + k.removeprefix("Fn::"), v),
        st.sampled_from(INTRINSICS),
        st.one_of(_text(), st.lists(inner, max_size=3)),
    )
    return st.one_of(well_formed, arbitrary, short)


def values(ids: object = None, keys: list[str] = PROPERTY_KEYS) -> st.SearchStrategy[Any]:
    """Any template value: scalars, lists, maps of known keys, intrinsics (ids: unused, the
    references come from ID_POOL so that the strategy is built once)."""
    return _values(tuple(keys))


@cache
def _values(keys: tuple[str, ...]) -> st.SearchStrategy[Any]:
    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(st.one_of(st.sampled_from(keys), identifiers()), children, max_size=4),
            intrinsic(children),
        )

    return st.recursive(scalars(), extend, max_leaves=12)


@st.composite
def statements(draw: st.DrawFn, ids: list[str]) -> list[dict[str, Any]]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        stmt: dict[str, Any] = {
            "Effect": draw(st.sampled_from(["Allow", "Deny", "allow", "Maybe"])),
            draw(st.sampled_from(["Action", "NotAction"])): draw(
                st.one_of(
                    st.sampled_from(["*", "s3:*", "iam:PassRole", "lambda:Invoke*", "sts:AssumeRole"]),
                    st.lists(text_values(), max_size=3),
                    values(ids),
                )
            ),
            draw(st.sampled_from(["Resource", "NotResource"])): draw(
                st.one_of(st.just("*"), values(ids), st.lists(text_values(), max_size=2))
            ),
        }
        if draw(st.booleans()):
            stmt["Principal"] = draw(st.one_of(st.just("*"), st.just({"AWS": "*"}), values(ids)))
        if draw(st.booleans()):
            stmt["Condition"] = draw(values(ids))
        out.append(stmt)
    return out


@st.composite
def sam_events(draw: st.DrawFn, ids: list[str]) -> dict[str, Any]:
    events: dict[str, Any] = {}
    for name in draw(st.lists(identifiers(), max_size=3, unique=True)):
        props: dict[str, Any] = draw(st.dictionaries(st.sampled_from(EVENT_KEYS), values(ids), max_size=4))
        if draw(st.booleans()):
            props["Path"] = draw(st.sampled_from(["/", "/items/{id}", "/{proxy+}", "x", ""]))
            props["Method"] = draw(st.sampled_from(["get", "ANY", "post", "bogus"]))
        events[name] = {
            "Type": draw(st.one_of(st.sampled_from(EVENT_TYPES), values(ids))),
            "Properties": props,
        }
    return events


@st.composite
def cfn_properties(draw: st.DrawFn, rtype: str, ids: list[str]) -> Any:
    props: dict[str, Any] = draw(st.dictionaries(st.sampled_from(PROPERTY_KEYS), values(ids), max_size=5))
    if "Function" in rtype:
        props.setdefault(
            "Handler", draw(st.one_of(st.sampled_from(["app.handler", "index.handler"]), values(ids)))
        )
        props.setdefault(
            "Runtime", draw(st.one_of(st.sampled_from(["python3.12", "nodejs20.x"]), values(ids)))
        )
        props.setdefault(
            "CodeUri", draw(st.one_of(st.sampled_from(["src/", ".", "src/app.py", *PATHS]), values(ids)))
        )
        if draw(st.booleans()):
            props["Events"] = draw(sam_events(ids))
        if draw(st.booleans()):
            props["Policies"] = draw(
                st.one_of(
                    st.sampled_from(SAM_POLICIES),
                    st.lists(
                        st.one_of(
                            st.sampled_from(SAM_POLICIES),
                            st.builds(lambda t, v: {t: v}, st.sampled_from(SAM_TEMPLATES), values(ids)),
                            st.builds(lambda s: {"Statement": s}, statements(ids)),
                        ),
                        max_size=3,
                    ),
                    values(ids),
                )
            )
        if draw(st.booleans()):
            props["FunctionUrlConfig"] = {
                "AuthType": draw(st.one_of(st.sampled_from(["NONE", "AWS_IAM"]), values(ids)))
            }
    if rtype in ("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        doc = {"Version": "2012-10-17", "Statement": draw(statements(ids))}
        if rtype == "AWS::IAM::Role":
            props["Policies"] = [{"PolicyName": "p", "PolicyDocument": doc}]
            props["AssumeRolePolicyDocument"] = {"Statement": draw(statements(ids))}
        else:
            props["PolicyDocument"] = doc
    if rtype in ("AWS::Serverless::Api", "AWS::ApiGateway::RestApi", "AWS::Serverless::HttpApi") and draw(
        st.booleans()
    ):
        key = "Body" if rtype == "AWS::ApiGateway::RestApi" else "DefinitionBody"
        props[key] = draw(openapi_doc(ids))
    if rarely(draw, 20):
        return draw(values(ids))  # Properties that are not a map at all
    return props


@st.composite
def cfn_template(draw: st.DrawFn) -> dict[str, Any]:
    ids = draw(st.lists(identifiers(), min_size=1, max_size=6, unique=True))
    resources: dict[str, Any] = {}
    shared: Any = None
    for rid in ids:
        rtype = draw(st.one_of(st.sampled_from(RESOURCE_TYPES), text_values()))
        if shared is not None and rarely(draw, 5):
            props = shared  # the same object twice: the YAML dumper writes an anchor and alias
        else:
            props = draw(cfn_properties(rtype, ids))
            shared = props
        res: dict[str, Any] = {"Type": rtype, "Properties": props}
        if rarely(draw, 5):
            res["Condition"] = draw(identifiers())
        if rarely(draw, 5):
            res["DependsOn"] = draw(st.one_of(st.sampled_from(ids), st.lists(st.sampled_from(ids))))
        if rarely(draw, 6):
            res["Metadata"] = draw(values(ids))
        if rarely(draw, 10):
            res = draw(values(ids))
        resources[rid] = res
    doc: dict[str, Any] = {}
    if not rarely(draw, 4):
        doc["AWSTemplateFormatVersion"] = "2010-09-09"
    if not rarely(draw, 3):
        doc["Transform"] = draw(
            st.one_of(
                st.sampled_from(
                    ["AWS::Serverless-2016-10-31", ["AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"]]
                ),
                values(ids),
            )
        )
    if draw(st.booleans()):
        doc["Parameters"] = {
            name: {
                "Type": draw(
                    st.sampled_from(
                        ["String", "Number", "CommaDelimitedList", "AWS::SSM::Parameter::Value<String>"]
                    )
                ),
                "Default": draw(scalars()),
                "NoEcho": draw(st.booleans()),
                "AllowedValues": draw(st.lists(scalars(), max_size=3)),
            }
            for name in draw(st.lists(identifiers(), max_size=3, unique=True))
        }
    if draw(st.booleans()):
        doc["Globals"] = {
            "Function": draw(cfn_properties("AWS::Serverless::Function", ids)),
            "Api": draw(values(ids)),
        }
    if draw(st.booleans()):
        doc["Conditions"] = draw(st.dictionaries(identifiers(), values(ids), max_size=3))
    if draw(st.booleans()):
        doc["Mappings"] = draw(st.dictionaries(identifiers(), values(ids), max_size=2))
    doc["Resources"] = resources
    if draw(st.booleans()):
        doc["Outputs"] = draw(
            st.dictionaries(identifiers(), st.builds(lambda v: {"Value": v}, values(ids)), max_size=2)
        )
    if rarely(draw, 15):
        return {"Resources": draw(values(ids))}
    return doc


# --- OpenAPI ---------------------------------------------------------------------------------


@st.composite
def openapi_doc(draw: st.DrawFn, ids: list[str]) -> Any:
    schemes = {
        name: draw(
            st.one_of(
                st.just({"type": "apiKey", "name": "x-api-key", "in": "header"}),
                st.just({"type": "apiKey", "x-amazon-apigateway-authtype": "cognito_user_pools"}),
                st.just({"type": "apiKey", "x-amazon-apigateway-authtype": "awsSigv4"}),
                st.builds(
                    lambda t: {"x-amazon-apigateway-authorizer": {"type": t}},
                    st.sampled_from(["jwt", "request", "token", "cognito_user_pools", ""]),
                ),
                st.just({"type": "oauth2"}),
                values(ids),
            )
        )
        for name in draw(st.lists(identifiers(), max_size=3, unique=True))
    }
    security = st.one_of(
        st.lists(
            st.dictionaries(
                st.sampled_from([*schemes, "missing"]), st.lists(_text(), max_size=1), max_size=2
            ),
            max_size=2,
        ),
        values(ids),
    )
    fn = st.sampled_from(ids) if ids else identifiers()
    uri = st.one_of(
        st.builds(
            lambda r: Tagged(
                "!Sub",
                f"arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{r}.Arn}}/invocations",
            ),
            fn,
        ),
        st.builds(
            lambda r: {
                "Fn::Sub": "arn:${AWS::Partition}:apigateway:lambda:path/functions/"
                + f"${{{r}.Arn}}/invocations"
            },
            fn,
        ),
        st.builds(lambda r: {"Fn::GetAtt": [r, "Arn"]}, fn),
        values(ids),
    )
    paths: dict[str, Any] = {}
    for path in draw(
        st.lists(
            st.one_of(st.sampled_from(["/", "/items/{id}", "/{proxy+}", "/admin"]), text_values()),
            max_size=4,
            unique=True,
        )
    ):
        item: dict[str, Any] = {}
        for method in draw(
            st.lists(
                st.sampled_from(
                    ["get", "post", "PUT", "x-amazon-apigateway-any-method", "parameters", "bogus"]
                ),
                max_size=3,
                unique=True,
            )
        ):
            op: dict[str, Any] = {}
            if draw(st.booleans()):
                op["security"] = draw(security)
            if draw(st.booleans()):
                op["x-amazon-apigateway-integration"] = {
                    "type": "aws_proxy",
                    "httpMethod": "POST",
                    "uri": draw(uri),
                }
            if rarely(draw, 6):
                op = draw(values(ids))
            item[method] = op
        paths[path] = item if not rarely(draw, 10) else draw(values(ids))
    doc: dict[str, Any] = {}
    if draw(st.booleans()):
        doc["openapi"] = draw(st.sampled_from(["3.0.1", "3.1.0", "2.0", 3]))
        doc["components"] = {"securitySchemes": schemes} if not rarely(draw, 6) else draw(values(ids))
    else:
        doc["swagger"] = "2.0"
        doc["securityDefinitions"] = schemes if not rarely(draw, 6) else draw(values(ids))
    doc["info"] = {"title": draw(text_values()), "version": "1"}
    if draw(st.booleans()):
        doc["security"] = draw(security)
    doc["paths"] = paths if not rarely(draw, 10) else draw(values(ids))
    if rarely(draw, 20):
        return {"swagger": "2.0"}  # the one-line swagger file
    return doc


# --- Serverless Framework ---------------------------------------------------------------------

SLS_EVENTS = [
    "http",
    "httpApi",
    "sqs",
    "s3",
    "schedule",
    "stream",
    "websocket",
    "alb",
    "eventBridge",
    "sns",
    "cloudwatchEvent",
    "iot",
    "cognitoUserPool",
    "kafka",
    "bogus",
]
SLS_KEYS = [
    "path",
    "method",
    "cors",
    "authorizer",
    "private",
    "arn",
    "bucket",
    "event",
    "rate",
    "type",
    "route",
    "batchSize",
    "queue",
    "topicName",
    "pattern",
    "name",
    "scopes",
    "existing",
    "rules",
]


@cache
def _sls_value() -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(SLS_VARS), values(None, SLS_KEYS))


def sls_value(ids: object = None) -> st.SearchStrategy[Any]:
    return _sls_value()


@st.composite
def sls_function(draw: st.DrawFn, ids: list[str]) -> Any:
    fn: dict[str, Any] = {
        "handler": draw(
            st.one_of(st.sampled_from(["handler.hello", "src/app.handler", "index.handler"]), sls_value(ids))
        )
    }
    events = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(SLS_EVENTS))
        spec = draw(
            st.one_of(
                st.sampled_from(["GET /items", "ANY /{proxy+}", "*", "rate(5 minutes)"]),
                st.dictionaries(st.sampled_from(SLS_KEYS), sls_value(ids), max_size=4),
                sls_value(ids),
            )
        )
        events.append({kind: spec})
    fn["events"] = events if not rarely(draw, 10) else draw(sls_value(ids))
    for key in draw(
        st.lists(
            st.sampled_from(
                [
                    "environment",
                    "role",
                    "iamRoleStatements",
                    "timeout",
                    "memorySize",
                    "reservedConcurrency",
                    "url",
                    "layers",
                    "vpc",
                    "destinations",
                    "tracing",
                    "runtime",
                    "package",
                    "name",
                    "logRetentionInDays",
                ]
            ),
            max_size=4,
            unique=True,
        )
    ):
        if key == "url":
            fn[key] = draw(st.one_of(st.just(True), st.just({"authorizer": "aws_iam"}), sls_value(ids)))
        elif key == "iamRoleStatements":
            fn[key] = draw(statements(ids))
        else:
            fn[key] = draw(sls_value(ids))
    return fn


@st.composite
def serverless_doc(draw: st.DrawFn) -> Any:
    ids = draw(st.lists(identifiers(), min_size=1, max_size=4, unique=True))
    provider: dict[str, Any] = {
        "name": draw(st.sampled_from(["aws", "aws", "azure", "${self:custom.provider}"])),
        "runtime": draw(st.one_of(st.sampled_from(["python3.12", "nodejs20.x"]), sls_value(ids))),
        "stage": "${opt:stage, 'dev'}",
    }
    for key in draw(
        st.lists(
            st.sampled_from(
                [
                    "region",
                    "iam",
                    "iamRoleStatements",
                    "environment",
                    "httpApi",
                    "apiGateway",
                    "tracing",
                    "logs",
                    "vpc",
                    "role",
                    "iamManagedPolicies",
                    "deploymentBucket",
                    "kmsKeyArn",
                    "functionUrl",
                ]
            ),
            max_size=5,
            unique=True,
        )
    ):
        if key == "iam":
            role = {"statements": draw(statements(ids)), "managedPolicies": [draw(text_values())]}
            provider[key] = {"role": role if draw(st.booleans()) else draw(sls_value(ids))}
        elif key == "iamRoleStatements":
            provider[key] = draw(statements(ids))
        else:
            provider[key] = draw(sls_value(ids))
    doc: dict[str, Any] = {
        "service": draw(st.one_of(identifiers(), sls_value(ids))),
        "frameworkVersion": draw(st.sampled_from(["3", "4", ">=1.0.0 <2.0.0", "2"])),
        "provider": provider if not rarely(draw, 10) else draw(sls_value(ids)),
        "functions": {name: draw(sls_function(ids)) for name in ids},
        "custom": {
            "a": draw(sls_value(ids)),
            "b": "a",
            "loop": "${self:custom.loop2}",
            "loop2": "${self:custom.loop}",
            "provider": "aws",
            "deep": draw(st.sampled_from(["${self:custom.d1}", "x"])),
            **{f"d{i}": f"${{self:custom.d{i + 1}}}" for i in range(draw(st.integers(0, 60)))},
        },
    }
    if draw(st.booleans()):
        doc["resources"] = draw(
            st.one_of(
                st.builds(lambda t: {"Resources": t["Resources"]}, cfn_template()),
                st.lists(
                    st.one_of(
                        st.sampled_from(SLS_VARS),
                        st.builds(lambda t: {"Resources": t["Resources"]}, cfn_template()),
                    ),
                    max_size=3,
                ),
                sls_value(ids),
            )
        )
    if draw(st.booleans()):
        doc["plugins"] = draw(
            st.lists(
                st.sampled_from(
                    [
                        "serverless-iam-roles-per-function",
                        "serverless-python-requirements",
                        "serverless-offline",
                        "x",
                    ]
                ),
                max_size=3,
            )
        )
    if draw(st.booleans()):
        doc["params"] = {"default": {"p": draw(sls_value(ids))}, "dev": draw(sls_value(ids))}
    if draw(st.booleans()):
        doc["useDotenv"] = True
    if rarely(draw, 15):
        doc["functions"] = draw(sls_value(ids))
    return doc


# --- Chalice ---------------------------------------------------------------------------------


@st.composite
def chalice_config(draw: st.DrawFn) -> Any:
    ids = ["api", "dev", "prod"]
    stage_keys = [
        "api_gateway_stage",
        "autogen_policy",
        "iam_policy_file",
        "environment_variables",
        "lambda_functions",
        "manage_iam_role",
        "iam_role_arn",
        "lambda_timeout",
        "lambda_memory_size",
        "reserved_concurrency",
        "xray",
        "api_gateway_endpoint_type",
        "api_gateway_policy_file",
        "subnet_ids",
        "security_group_ids",
        "layers",
        "tags",
        "api_gateway_custom_domain",
        "websocket_api_custom_domain",
        "minimum_compression_size",
        "log_retention_in_days",
    ]

    def stage() -> st.SearchStrategy[Any]:
        return st.fixed_dictionaries(
            {},
            optional={
                **{k: values(ids, stage_keys) for k in stage_keys},
                "iam_policy_file": st.sampled_from(["policy-dev.json", "policy.json", *PATHS]),
                "autogen_policy": st.booleans(),
                "lambda_functions": st.dictionaries(
                    identifiers(),
                    st.dictionaries(st.sampled_from(stage_keys), values(ids, stage_keys), max_size=3),
                    max_size=3,
                ),
            },
        )

    doc: dict[str, Any] = {
        "version": draw(st.sampled_from(["2.0", "1.0", 2])),
        "app_name": draw(text_values()),
        "stages": draw(
            st.one_of(
                st.dictionaries(st.sampled_from(["dev", "prod", "x"]), stage(), max_size=3), values(ids)
            )
        ),
    }
    doc.update(draw(stage()))
    return doc


def _py(value: Any) -> str:
    return repr(value)


ROUTE_OPTIONS = [
    "",
    ", authorizer=auth",
    ", authorizer=cognito",
    ", api_key_required=True",
    ", cors=True",
    ", authorizer=missing",
]
SCHEDULES = [
    "Rate(5, unit=Rate.MINUTES)",
    "'rate(1 hour)'",
    'Cron(0, 12, "*", "?", "*", "*")',
    "x",
    "Rate(-1)",
]


@st.composite
def chalice_app(draw: st.DrawFn) -> str:
    lines = [
        "from chalice import Chalice, Blueprint, IAMAuthorizer, CognitoUserPoolAuthorizer, AuthResponse",
        "from chalice import Rate, Cron",
        "import os",
        f"app = Chalice(app_name={_py(draw(text_values()))})",
    ]
    if draw(st.booleans()):
        lines += [
            "from chalicelib import bp",
            f"app.register_blueprint(bp, url_prefix={_py(draw(st.sampled_from(['/v1', '', '/x'])))})",
        ]
    if draw(st.booleans()):
        lines += [
            "auth = IAMAuthorizer()",
            "cognito = CognitoUserPoolAuthorizer('pool', provider_arns=['arn:aws:cognito-idp:x'])",
        ]
    decorators = [
        lambda: (
            "@app.route("
            + _py(draw(st.sampled_from(["/", "/items/{id}", "/admin"]) | text_values()))
            + f", methods={_py(draw(st.lists(st.sampled_from(['GET', 'POST', 'PUT', 'bogus']), max_size=3)))}"
            + draw(st.sampled_from(ROUTE_OPTIONS))
            + ")"
        ),
        lambda: f"@app.lambda_function(name={_py(draw(text_values()))})",
        lambda: f"@app.on_s3_event(bucket={_py(draw(text_values()))}, events=['s3:ObjectCreated:*'])",
        lambda: f"@app.on_sqs_message(queue={_py(draw(text_values()))})",
        lambda: f"@app.on_sns_message(topic={_py(draw(text_values()))})",
        lambda: f"@app.schedule({draw(st.sampled_from(SCHEDULES))})",
        lambda: "@app.authorizer()",
        lambda: "@app.on_ws_message()",
        lambda: "@app.on_ws_connect()",
        lambda: f"@app.on_cw_event({_py(draw(values([])))})",
        lambda: "@app.route()",
        lambda: "@unknown.decorator(1)",
    ]
    for i in range(draw(st.integers(0, 5))):
        chosen = draw(st.integers(0, len(decorators) - 1))
        lines.append(decorators[chosen]())
        lines.append(f"def view_{i}(*args, **kwargs):")
        lines.extend("    " + line for line in draw(python_block(1)))
    return "\n".join(lines) + "\n"


# --- Python handler code ----------------------------------------------------------------------

PY_IMPORTS = [
    "import os",
    "import subprocess",
    "import json",
    "import pickle, base64",
    "import yaml",
    "import requests",
    "import boto3",
    "import sqlite3",
    "import jwt",
    "from helpers import helper, util",
    "import helpers",
    "from . import helpers as rel",
    "from .. import beyond",
    "from ...x import y",
    "from lib.deep import thing",
    "import importlib",
    "from flask import Flask, request",
    "from fastapi import FastAPI",
    "from aws_lambda_powertools.event_handler import APIGatewayRestResolver",
    "from mangum import Mangum",
    "import link_out.secret",
]
PY_STATEMENTS = [
    "x = event['queryStringParameters']['q']",
    "x = event.get('body') or ''",
    "y = json.loads(event['body'])",
    "x = y['a'][0]['b']",
    "os.system('ls ' + x)",
    "subprocess.run(x, shell=True)",
    "subprocess.Popen(['sh', '-c', y])",
    "eval(x)",
    "exec(compile(x, 'f', 'exec'))",
    "cursor.execute(f\"SELECT * FROM t WHERE a = '{x}'\")",
    "cursor.execute('SELECT %s' % x)",
    "requests.get(x, verify=False)",
    "open('/tmp/' + x).read()",
    "pickle.loads(base64.b64decode(x))",
    "yaml.load(x)",
    "boto3.client('s3').get_object(Bucket=x, Key=y)",
    "jwt.decode(x, options={'verify_signature': False})",
    "print(x, event, context)",
    "x = helper(x)",
    "x = helpers.util(x, y)",
    "x = rel.f(x)",
    "z = lambda a: a(x)",
    "x = [v for v in event['Records'] for w in v]",
    "x = {k: v for k, v in event.items()}",
    "x, *y = event",
    "x = x if x else y",
    "del x",
    "global x",
    "nonlocal_x = 1",
    "x: int = 1",
    "x += event['a']",
    "x = event['headers']['Authorization']",
    "x = f'{x!r:>{y}}'",
    "x = getattr(os, event['fn'])(event['arg'])",
    "x = importlib.import_module(event['m'])",
    "assert x, y",
    "raise ValueError(x)",
    "return {'statusCode': 200, 'body': x}",
    "return {'statusCode': 200, 'headers': {'Access-Control-Allow-Origin': '*'},"
    " 'body': '<h1>' + x + '</h1>'}",
    "return app.resolve(event, context)",
    "return handler(event, context)",
    "yield x",
    "await x",
    "pass",
    "...",
    "x = " + "(" * 150 + "x" + ")" * 150,
    "x = " + " + ".join(["x"] * 2000),
    "x = " + "[" * 90 + "]" * 90,
    "x = " + ".".join(["x"] * 1500),
    "x = " + "not " * 900 + "x",
    "x = 'a' 'b' " + "'c' " * 500,
    "x = " + "f'{" * 20 + "x" + "}'" * 20,
]
PY_HEADERS = [
    "if x:",
    "if event.get('a'):",
    "for item in event['Records']:",
    "while True:",
    "with open(x) as fh:",
    "try:",
    "async with y as z:",
    "match event:",
    "def helper(x):",
    "def inner(event, context):",
    "async def ahandler(event, context):",
    "class Handler:",
]


@st.composite
def python_block(draw: st.DrawFn, depth: int = 0) -> list[str]:
    out: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 4 and rarely(draw, 4):
            header = draw(st.sampled_from(PY_HEADERS))
            body = draw(python_block(depth + 1))
            if header == "match event:":
                out += (
                    [header, "    case {'a': x}:"]
                    + ["        " + b for b in body]
                    + ["    case _:", "        pass"]
                )
            elif header == "try:":
                out += (
                    [header]
                    + ["    " + b for b in body]
                    + ["except Exception as e:", "    return {'body': str(e)}"]
                )
            else:
                out += [header] + ["    " + b for b in body]
        else:
            out.append(
                draw(st.one_of(st.sampled_from(PY_STATEMENTS), st.builds(lambda v: f"x = {v!r}", scalars())))
            )
    return out


@st.composite
def python_module(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(PY_IMPORTS), max_size=5))
    if draw(st.booleans()):
        lines += [
            "app = APIGatewayRestResolver()",
            f"@app.get({draw(st.sampled_from(['/items/<id>', '/', '/x']))!r})",
            "def route(id=None):",
        ]
        lines += ["    " + b for b in draw(python_block(1))]
    if draw(st.booleans()):
        lines += ["flask_app = Flask(__name__)", "@flask_app.route('/f/<p>')", "def f(p):"]
        lines += ["    " + b for b in draw(python_block(1))]
    name = draw(st.sampled_from(["handler", "handler", "lambda_handler", "other"]))
    lines.append(f"def {name}(event, context):")
    # A source first and a sink last, so that flows through the generated middle are common.
    lines.append(
        "    " + draw(st.sampled_from([p for p in PY_STATEMENTS if "event" in p and p.startswith("x =")]))
    )
    lines += ["    " + b for b in draw(python_block(1))]
    lines.append("    " + draw(st.sampled_from(PY_STATEMENTS[4:17])))
    if draw(st.booleans()):
        lines += [
            "def helper(x):",
            "    return helper(x) + util(x)",
            "def util(a, b=None):",
            "    return os.popen(a).read()",
        ]
    if rarely(draw, 10):
        lines.append(f"{draw(st.sampled_from(keyword.kwlist))} = 1")  # a syntax error
    return "\n".join(lines) + "\n"


# --- JavaScript / TypeScript handler code -------------------------------------------------------

JS_PRELUDE = [
    "const cp = require('child_process');",
    "const { exec, execSync } = require('child_process');",
    "import fs from 'fs';",
    "import * as path from 'node:path';",
    "import type { APIGatewayProxyEvent } from 'aws-lambda';",
    "const helpers = require('./helpers');",
    "const outside = require('../outside/secret');",
    "const dyn = require(process.env.MOD);",
    "import { helper } from './lib/helper.js';",
    "const AWS = require('aws-sdk');",
    "const express = require('express'); const app = express();",
    "'use strict';",
    "#!/usr/bin/env node",
]
JS_STATEMENTS = [
    "const x = event.queryStringParameters.q;",
    "let y = JSON.parse(event.body || '{}');",
    "const z = event?.headers?.['Authorization'] ?? '';",
    "cp.exec('ls ' + x);",
    "exec(`cat ${x}`, () => {});",
    "execSync(y.cmd);",
    "eval(x);",
    "new Function(x)();",
    "fs.readFileSync('/tmp/' + x);",
    "await db.query(`SELECT * FROM t WHERE a = '${x}'`);",
    "await fetch(x);",
    "require(x);",
    "return { statusCode: 200, body: x };",
    "return { statusCode: 200, headers: { 'Access-Control-Allow-Origin': '*' }, body: `<h1>${x}</h1>` };",
    "const re = /a[/]b\\/c/gi.test(x);",
    "const t = `${`${`${x}`}`}`;",
    "label: for (;;) { break label; }",
    "for (const r of event.Records) { helpers.run(r.body); }",
    "x = y\n(z)",
    "const el = <div onClick={() => x}>{x}</div>;",
    "const a: Record<string, any> = {} as unknown as Record<string, any>;",
    "interface I { a?: string; [k: string]: unknown }",
    "type T<U> = U extends string ? 'a' : never;",
    "enum E { A = 1, B }",
    "class C { #p = 1; static { this.q = 2; } @dec() m<T>(a: T): T { return a; } }",
    "const { a, ...rest } = event;",
    "async function* gen() { yield* other(); }",
    "<!-- html comment",
    "--> also a comment",
    "\\u0065val(x);",
    "x = " + "(" * 200 + "x" + ")" * 200 + ";",
    "x = " + " + ".join(["x"] * 2000) + ";",
    "x = " + "[" * 200 + "]" * 200 + ";",
    "x = " + "`${" * 60 + "x" + "}`" * 60 + ";",
    "/*",
    "'unterminated",
    "}",
]


@st.composite
def js_module(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(JS_PRELUDE), max_size=4))
    body = draw(
        st.lists(
            st.one_of(
                st.sampled_from(JS_STATEMENTS),
                st.builds(lambda v: f"const v = {json.dumps(v, default=str)};", scalars()),
            ),
            max_size=8,
        )
    )
    form = draw(st.integers(0, 4))
    inner = "\n  ".join(body)
    if form == 0:
        lines.append(f"exports.handler = async (event, context) => {{\n  {inner}\n}};")
    elif form == 1:
        lines.append(f"module.exports.handler = function (event) {{\n  {inner}\n}}")
    elif form == 2:
        lines.append(
            f"export const handler = async (event: APIGatewayProxyEvent): Promise<any> => {{\n  {inner}\n}};"
        )
    elif form == 3:
        lines.append(f"export async function handler(event) {{\n  {inner}\n}}")
    else:
        lines.append(inner)
    return "\n".join(lines) + "\n"


# --- Terraform (HCL) ---------------------------------------------------------------------------

TF_TYPES = [
    "aws_lambda_function",
    "aws_lambda_function_url",
    "aws_lambda_permission",
    "aws_lambda_event_source_mapping",
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_policy",
    "aws_iam_role_policy_attachment",
    "aws_api_gateway_rest_api",
    "aws_api_gateway_method",
    "aws_api_gateway_integration",
    "aws_api_gateway_resource",
    "aws_api_gateway_stage",
    "aws_apigatewayv2_api",
    "aws_apigatewayv2_route",
    "aws_apigatewayv2_integration",
    "aws_apigatewayv2_stage",
    "aws_s3_bucket",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_notification",
    "aws_sqs_queue",
    "aws_sns_topic",
    "aws_dynamodb_table",
    "aws_cloudwatch_log_group",
    "aws_cloudwatch_event_rule",
    "aws_cloudwatch_event_target",
    "aws_secretsmanager_secret",
    "aws_ssm_parameter",
    "aws_sfn_state_machine",
    "aws_kms_key",
    "null_resource",
]
TF_ATTRS = [
    "function_name",
    "filename",
    "handler",
    "runtime",
    "role",
    "source_code_hash",
    "timeout",
    "memory_size",
    "reserved_concurrent_executions",
    "layers",
    "authorization_type",
    "authorization",
    "api_key_required",
    "principal",
    "source_arn",
    "action",
    "assume_role_policy",
    "policy",
    "policy_arn",
    "name",
    "body",
    "http_method",
    "rest_api_id",
    "resource_id",
    "api_id",
    "route_key",
    "target",
    "protocol_type",
    "integration_uri",
    "uri",
    "bucket",
    "event_source_arn",
    "kms_master_key_id",
    "retention_in_days",
    "count",
    "for_each",
    "depends_on",
    "value",
    "type",
    "arn",
]
TF_BLOCKS = [
    "environment",
    "vpc_config",
    "tracing_config",
    "cors",
    "statement",
    "principals",
    "condition",
    "lambda_function",
    "inline_policy",
    'dynamic "statement"',
    "lifecycle",
    "logging_config",
]
DATA_SOURCES = ["aws_iam_policy_document", "aws_caller_identity", "archive_file"]
TF_FUNCS = [
    "jsonencode",
    "jsondecode",
    "file",
    "templatefile",
    "fileexists",
    "filebase64",
    "lookup",
    "merge",
    "concat",
    "format",
    "join",
    "split",
    "replace",
    "coalesce",
    "try",
    "can",
    "length",
    "element",
    "range",
    "toset",
    "tomap",
    "keys",
    "values",
    "flatten",
    "base64encode",
    "sha256",
    "abspath",
    "pathexpand",
    "upper",
    "regex",
    "cidrsubnet",
    "yamldecode",
    "nonexistent",
]


def hcl_string(s: str) -> str:
    out = (
        s.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    out = out.replace("${", "$${").replace("%{", "%%{")
    out = "".join(
        c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" if ord(c) < 0x10000 else "?" for c in out
    )
    return f'"{out}"'


def hcl_literal(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else "1e999"
    if isinstance(value, list):
        return "[" + ", ".join(hcl_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{hcl_string(str(k))} = {hcl_literal(v)}" for k, v in value.items()) + "}"
    return hcl_string(str(value))


REFS = [
    "var.x",
    "var.list",
    "local.a",
    "local.loop",
    "aws_lambda_function.fn.arn",
    "aws_lambda_function.fn[0].function_name",
    "aws_iam_role.r.arn",
    "data.aws_iam_policy_document.p.json",
    "module.m.out",
    "each.key",
    "each.value",
    "count.index",
    "path.module",
    "path.root",
    "self.x",
    "aws_s3_bucket.b[*].arn",
    "terraform.workspace",
]


@cache
def hcl_expr() -> st.SearchStrategy[str]:
    """An HCL expression that parses (most of the time: values may still be nonsense)."""
    base = st.one_of(
        st.builds(hcl_literal, scalars()),
        st.sampled_from(REFS),
        st.builds(
            lambda p: f'file("{p}")', st.sampled_from([*PATHS, "policy.json", "${path.module}/x.json"])
        ),
        st.builds(lambda p: f'templatefile("{p}", {{}})', st.sampled_from(PATHS)),
        st.builds(lambda s: f'"prefix-${{{s}}}-suffix"', st.sampled_from(REFS)),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.builds(
                lambda f, args: f"{f}({', '.join(args)})",
                st.sampled_from(TF_FUNCS),
                st.lists(inner, max_size=3),
            ),
            st.builds(lambda xs: "[" + ", ".join(xs) + "]", st.lists(inner, max_size=3)),
            st.builds(
                lambda kv: "{" + ", ".join(f"{k} = {v}" for k, v in kv) + "}",
                st.lists(st.tuples(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), inner), max_size=3),
            ),
            st.builds(lambda c, a, b: f"({c} ? {a} : {b})", inner, inner, inner),
            st.builds(
                lambda a, op, b: f"({a} {op} {b})",
                inner,
                st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "&&", "||", "<", ">="]),
                inner,
            ),
            st.builds(lambda c: f'[for x in {c} : upper(x) if x != ""]', inner),
            st.builds(lambda c: f"{{for k, v in {c} : k => v...}}", inner),
            st.builds(lambda c: f"{c}[0]", inner.filter(lambda e: not e.startswith('"'))),
            st.builds(lambda c: f"!({c})", inner),
            st.builds(lambda c: f"{c}[*].arn", st.sampled_from(REFS)),
            st.builds(lambda r: f'"%{{ for x in {r} }}${{x}}%{{ endfor }}"', st.sampled_from(REFS)),
        )

    return st.recursive(base, extend, max_leaves=8)


@st.composite
def hcl_value(draw: st.DrawFn) -> str:
    """An attribute's value: an expression, a heredoc, or (rarely) a broken fragment."""
    roll = draw(st.integers(0, 29))
    if roll == 17:
        return draw(st.sampled_from(HCL_ESCAPES))
    if roll in (5, 11, 23):
        body = draw(
            st.sampled_from(["x", "${var.x}", "%{ if true }y%{ endif }", json.dumps({"Statement": []})])
        )
        return f"<<-EOT\n{body}\nEOT"
    return draw(hcl_expr())


@st.composite
def hcl_body(draw: st.DrawFn, depth: int = 0) -> str:
    lines = []
    for attr in draw(st.lists(st.sampled_from(TF_ATTRS), max_size=6, unique=True)):
        lines.append(f"  {attr} = {draw(hcl_value())}")
    if depth < 2:
        for block in draw(st.lists(st.sampled_from(TF_BLOCKS), max_size=2)):
            inner = draw(hcl_body(depth + 1)).replace("\n", "\n  ")
            if block.startswith("dynamic"):
                lines.append(
                    f"  {block} {{\n    for_each = {draw(hcl_expr())}\n"
                    f"    content {{\n  {inner}\n    }}\n  }}"
                )
            else:
                lines.append(f"  {block} {{\n  {inner}\n  }}")
    return "\n".join(lines)


@st.composite
def terraform_file(draw: st.DrawFn) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(
            st.sampled_from(
                [
                    "resource",
                    "resource",
                    "resource",
                    "data",
                    "variable",
                    "locals",
                    "module",
                    "output",
                    "provider",
                    "terraform",
                ]
            )
        )
        if rarely(draw, 25):
            kind = "garbage"
        name = draw(
            st.one_of(
                st.sampled_from(["fn", "r", "b", "p", "m", "x"]), st.from_regex(r"\A[a-z][a-z0-9_-]{0,10}\Z")
            )
        )
        body = draw(hcl_body())
        if kind == "resource":
            blocks.append(f'resource "{draw(st.sampled_from(TF_TYPES))}" "{name}" {{\n{body}\n}}')
        elif kind == "data":
            blocks.append(f'data "{draw(st.sampled_from(DATA_SOURCES))}" "{name}" {{\n{body}\n}}')
        elif kind == "variable":
            blocks.append(
                f'variable "{name}" {{\n  default = {draw(hcl_expr())}\n'
                f"  sensitive = {draw(st.sampled_from(['true', 'false']))}\n}}"
            )
        elif kind == "locals":
            blocks.append(
                f"locals {{\n  a = {draw(hcl_expr())}\n  loop = local.loop\n  {name} = {draw(hcl_expr())}\n}}"
            )
        elif kind == "module":
            source = draw(
                st.sampled_from(
                    [
                        "./modules/m",
                        "../outside",
                        "../../outside",
                        "/etc",
                        "./link_out",
                        "./loop",
                        "git::https://example.com/x.git",
                        "hashicorp/x/aws",
                        "./modules/m//sub",
                        ".",
                        "./",
                    ]
                )
            )
            blocks.append(f'module "{name}" {{\n  source = "{source}"\n  x = {draw(hcl_expr())}\n}}')
        elif kind == "output":
            blocks.append(f'output "{name}" {{\n  value = {draw(hcl_expr())}\n}}')
        elif kind == "provider":
            blocks.append(f'provider "aws" {{\n  region = {draw(hcl_expr())}\n}}')
        elif kind == "terraform":
            blocks.append(
                'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}'
            )
        else:
            blocks.append(
                draw(
                    st.sampled_from(
                        [
                            "{",
                            "}",
                            'resource "x" {',
                            "= 1",
                            "x = ",
                            'resource "aws_s3_bucket" "b" { bucket = "${" }',
                        ]
                    )
                )
            )
    return "\n\n".join(blocks) + "\n"


# --- dependency files ----------------------------------------------------------------------------

REQ_LINES = [
    "requests==2.19.0",
    "flask>=0.12,<1.0",
    "django",
    "PyYAML==5.1 ; python_version >= '3.6'",
    "urllib3[secure,socks]==1.24.1",
    "-r base.txt",
    "-r ../outside/secret.txt",
    "-r ../../outside/secret.txt",
    "--requirement=link_out/secret.txt",
    "-c constraints.txt",
    "-r requirements.txt",
    "-e git+https://github.com/x/y.git#egg=y",
    "-e .",
    "./local/pkg",
    "https://example.com/pkg-1.0.tar.gz",
    "pkg @ https://example.com/pkg-1.0-py3-none-any.whl",
    "--index-url https://private.example/simple",
    "--extra-index-url https://pypi.org/simple",
    "numpy==1.0 --hash=sha256:abc \\",
    "    --hash=sha256:def",
    "pkg===arbitrary",
    "pkg==1.*",
    "pkg~=1.4.5",
    "pkg!=",
    "# comment",
    "@@@",
    "pkg==1.0 # trailing",
]
NPM_SPECS = [
    "^1.2.3",
    "~0.1.0",
    "*",
    "latest",
    "1.0.0",
    "file:../outside",
    "link:../x",
    "git+https://x",
    "github:u/r",
    "npm:other@1",
    "workspace:*",
    ">=1 <2 || 3",
    "",
    "http://x/y.tgz",
]


@st.composite
def requirements_txt(draw: st.DrawFn) -> bytes:
    lines = draw(
        st.lists(
            st.one_of(
                st.sampled_from(REQ_LINES),
                st.builds(
                    lambda n, v: f"{n}=={v}",
                    st.from_regex(r"\A[a-z][a-z0-9_.-]{0,10}\Z"),
                    st.from_regex(r"\A\d{1,3}(\.\d{1,3}){0,3}([ab]\d)?\Z"),
                ),
                text_values(),
            ),
            max_size=10,
        )
    )
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


@st.composite
def package_json(draw: st.DrawFn) -> bytes:
    name = st.one_of(st.sampled_from(["lodash", "express", "@scope/pkg", "left-pad", "a"]), text_values())
    doc: dict[str, Any] = {
        "name": draw(name),
        "version": draw(st.sampled_from(["1.0.0", "x", ""])),
        "dependencies": draw(
            st.one_of(
                st.dictionaries(name, st.one_of(st.sampled_from(NPM_SPECS), text_values()), max_size=4),
                values([]),
            )
        ),
    }
    if draw(st.booleans()):
        doc["workspaces"] = draw(st.one_of(st.just(["packages/*"]), values([])))
    return json.dumps(doc, default=str).encode()


@st.composite
def package_lock(draw: st.DrawFn) -> bytes:
    version = draw(st.sampled_from([1, 2, 3, "x"]))
    name = st.one_of(st.sampled_from(["lodash", "express", "@scope/pkg", "a"]), text_values())
    packages = {
        f"node_modules/{draw(name)}": {
            "version": draw(st.one_of(st.sampled_from(["4.17.4", "1.0.0"]), text_values())),
            "resolved": draw(
                st.sampled_from(["https://registry.npmjs.org/x/-/x-1.tgz", "file:../outside", "git+ssh://x"])
            ),
            "dependencies": draw(st.dictionaries(name, st.sampled_from(NPM_SPECS), max_size=2)),
            "dev": draw(st.booleans()),
        }
        for _ in range(draw(st.integers(0, 4)))
    }
    doc: dict[str, Any] = {
        "name": "app",
        "lockfileVersion": version,
        "packages": {"": {"dependencies": {"lodash": "^4"}}, **packages},
    }
    if version == 1 or draw(st.booleans()):
        doc["dependencies"] = draw(values([]))
    return json.dumps(doc, default=str).encode()


@st.composite
def toml_doc(draw: st.DrawFn, kind: str) -> bytes:
    name = draw(st.one_of(st.sampled_from(["requests", "flask", "x"]), text_values()))
    version = draw(st.one_of(st.sampled_from(["2.19.0", "1.0", "*"]), text_values()))
    if kind == "poetry.lock":
        text = (
            f"[[package]]\nname = {json.dumps(name)}\nversion = {json.dumps(version)}\n"
            'category = "main"\n\n[package.dependencies]\nurllib3 = ">=1.21"\n'
        )
    elif kind == "uv.lock":
        text = (
            f"version = 1\n[[package]]\nname = {json.dumps(name)}\nversion = {json.dumps(version)}\n"
            'source = { registry = "https://pypi.org/simple" }\ndependencies = [{ name = "x" }]\n'
        )
    else:
        text = (
            f'[project]\nname = "app"\ndependencies = [{json.dumps(name + "==" + version)}]\n'
            f"[tool.poetry.dependencies]\n{json.dumps(name)} = {json.dumps(version)}\n"
            f'[tool.faasguard]\nskip = [{json.dumps(draw(text_values()))}]\nexclude = ["../outside"]\n'
        )
    return text.encode("utf-8", "surrogatepass")


@st.composite
def pipfile_lock(draw: st.DrawFn) -> bytes:
    doc = {
        "_meta": {
            "sources": [{"url": draw(st.sampled_from(["https://pypi.org/simple", "https://private/simple"]))}]
        },
        "default": draw(
            st.one_of(
                st.dictionaries(
                    text_values(),
                    st.builds(
                        lambda v: {"version": v},
                        st.one_of(st.sampled_from(["==2.19.0", "1.0"]), text_values()),
                    ),
                    max_size=3,
                ),
                values([]),
            )
        ),
    }
    return json.dumps(doc, default=str).encode()


@st.composite
def yarn_lock(draw: st.DrawFn) -> bytes:
    entries = []
    for _ in range(draw(st.integers(0, 4))):
        name = draw(st.sampled_from(["lodash", "@scope/pkg", "a", '"weird"']))
        entries.append(
            f"{name}@{draw(st.sampled_from(NPM_SPECS))}:\n"
            f'  version "{draw(st.sampled_from(["4.17.4", "x"]))}"\n'
            '  resolved "https://registry.yarnpkg.com/x"\n  dependencies:\n    b "^1"\n'
        )
    if draw(st.booleans()):
        return (
            "__metadata:\n  version: 6\n\n"
            + "".join(
                f'"{e.split(":")[0]}":\n  version: 1.0.0\n  resolution: "x@npm:1.0.0"\n' for e in entries
            )
        ).encode()
    return ("# yarn lockfile v1\n\n" + "\n".join(entries)).encode()


@st.composite
def pnpm_lock(draw: st.DrawFn) -> bytes:
    doc = {
        "lockfileVersion": draw(st.sampled_from(["6.0", "9.0", 5.4, "x"])),
        "importers": {".": {"dependencies": {"lodash": {"specifier": "^4", "version": "4.17.4"}}}},
        "packages": draw(
            st.one_of(
                st.dictionaries(
                    st.sampled_from(["/lodash@4.17.4", "lodash@4.17.4", "/@s/p/1.0.0", "x"]),
                    values([]),
                    max_size=3,
                ),
                values([]),
            )
        ),
    }
    return draw(emit_yaml(doc))


DEP_FILES: dict[str, Any] = {
    "requirements.txt": lambda: st.one_of(requirements_txt(), seeded("requirements*.txt")),
    "base.txt": requirements_txt,
    "constraints.txt": requirements_txt,
    "pyproject.toml": lambda: st.one_of(toml_doc("pyproject.toml"), seeded("pyproject.toml")),
    "poetry.lock": lambda: toml_doc("poetry.lock"),
    "uv.lock": lambda: st.one_of(toml_doc("uv.lock"), seeded("uv.lock")),
    "Pipfile.lock": pipfile_lock,
    "package.json": lambda: st.one_of(package_json(), seeded("package.json")),
    "package-lock.json": lambda: st.one_of(package_lock(), seeded("package-lock.json")),
    "yarn.lock": lambda: st.one_of(yarn_lock(), seeded("yarn.lock")),
    "pnpm-lock.yaml": pnpm_lock,
    ".npmrc": lambda: st.sampled_from(
        [b"registry=https://private.example/\n", b"@s:registry=http://x\n", b"\xff"]
    ),
}
