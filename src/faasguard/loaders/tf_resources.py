"""Terraform AWS resources into the application model, with the conventions of the
CloudFormation loader (property names in `props`, `resource_types` as CloudFormation types) so
every rule reads Terraform unchanged.

Each handler gets the resource's evaluated view (`RBlock`: arguments on demand, each with its
file and line) and records what it learns in the shared `Builder`. Terraform splits what
CloudFormation keeps in one resource (bucket policy, public access block, encryption, ACL;
method, integration and method settings; role policy attachments): those parts are joined to
their owner by reference or by name, after every owner is known.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faasguard.loaders.build import ApiDraft, Builder, RouteDraft
from faasguard.loaders.handlers import resolve_handler_file
from faasguard.loaders.intrinsics import RefTo
from faasguard.loaders.openapi import routes_from_spec
from faasguard.loaders.reader import ReadFailure, parse_yaml
from faasguard.loaders.tf_eval import BlockView, Decl, Evaluator, from_parsed
from faasguard.loaders.tf_policy import parse_policy, str_list
from faasguard.loaders.tf_values import TList, TMap, TStr, addresses_in, target_of
from faasguard.model import (
    Alarm,
    ApiKind,
    Application,
    Auth,
    AuthKind,
    Budget,
    EnvVar,
    FunctionUrl,
    IdentityPool,
    Layer,
    LayerVersion,
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

# Terraform types as the CloudFormation types rules know (others keep their Terraform name).
CFN_TYPES: dict[str, str] = {
    "aws_lambda_function": "AWS::Lambda::Function",
    "aws_lambda_permission": "AWS::Lambda::Permission",
    "aws_lambda_function_url": "AWS::Lambda::Url",
    "aws_lambda_event_source_mapping": "AWS::Lambda::EventSourceMapping",
    "aws_lambda_function_event_invoke_config": "AWS::Lambda::EventInvokeConfig",
    "aws_lambda_alias": "AWS::Lambda::Alias",
    "aws_lambda_layer_version": "AWS::Lambda::LayerVersion",
    "aws_iam_role": "AWS::IAM::Role",
    "aws_iam_role_policy": "AWS::IAM::RolePolicy",
    "aws_iam_policy": "AWS::IAM::ManagedPolicy",
    "aws_iam_user": "AWS::IAM::User",
    "aws_iam_access_key": "AWS::IAM::AccessKey",
    "aws_api_gateway_rest_api": "AWS::ApiGateway::RestApi",
    "aws_api_gateway_resource": "AWS::ApiGateway::Resource",
    "aws_api_gateway_method": "AWS::ApiGateway::Method",
    "aws_api_gateway_deployment": "AWS::ApiGateway::Deployment",
    "aws_api_gateway_stage": "AWS::ApiGateway::Stage",
    "aws_api_gateway_usage_plan": "AWS::ApiGateway::UsagePlan",
    "aws_api_gateway_usage_plan_key": "AWS::ApiGateway::UsagePlanKey",
    "aws_api_gateway_api_key": "AWS::ApiGateway::ApiKey",
    "aws_api_gateway_authorizer": "AWS::ApiGateway::Authorizer",
    "aws_api_gateway_domain_name": "AWS::ApiGateway::DomainName",
    "aws_api_gateway_base_path_mapping": "AWS::ApiGateway::BasePathMapping",
    "aws_apigatewayv2_api": "AWS::ApiGatewayV2::Api",
    "aws_apigatewayv2_route": "AWS::ApiGatewayV2::Route",
    "aws_apigatewayv2_integration": "AWS::ApiGatewayV2::Integration",
    "aws_apigatewayv2_stage": "AWS::ApiGatewayV2::Stage",
    "aws_apigatewayv2_authorizer": "AWS::ApiGatewayV2::Authorizer",
    "aws_apigatewayv2_domain_name": "AWS::ApiGatewayV2::DomainName",
    "aws_apigatewayv2_api_mapping": "AWS::ApiGatewayV2::ApiMapping",
    "aws_s3_bucket": "AWS::S3::Bucket",
    "aws_s3_bucket_policy": "AWS::S3::BucketPolicy",
    "aws_dynamodb_table": "AWS::DynamoDB::Table",
    "aws_sqs_queue": "AWS::SQS::Queue",
    "aws_sqs_queue_policy": "AWS::SQS::QueuePolicy",
    "aws_sns_topic": "AWS::SNS::Topic",
    "aws_sns_topic_policy": "AWS::SNS::TopicPolicy",
    "aws_sns_topic_subscription": "AWS::SNS::Subscription",
    "aws_secretsmanager_secret": "AWS::SecretsManager::Secret",
    "aws_kinesis_stream": "AWS::Kinesis::Stream",
    "aws_cloudwatch_log_group": "AWS::Logs::LogGroup",
    "aws_cloudwatch_log_subscription_filter": "AWS::Logs::SubscriptionFilter",
    "aws_cloudwatch_metric_alarm": "AWS::CloudWatch::Alarm",
    "aws_cloudwatch_event_rule": "AWS::Events::Rule",
    "aws_wafv2_web_acl_association": "AWS::WAFv2::WebACLAssociation",
    "aws_wafregional_web_acl_association": "AWS::WAFRegional::WebACLAssociation",
    "aws_budgets_budget": "AWS::Budgets::Budget",
    "aws_cloudtrail": "AWS::CloudTrail::Trail",
    "aws_cognito_user_pool": "AWS::Cognito::UserPool",
    "aws_cognito_user_pool_client": "AWS::Cognito::UserPoolClient",
    "aws_cognito_identity_pool": "AWS::Cognito::IdentityPool",
    "aws_config_configuration_recorder": "AWS::Config::ConfigurationRecorder",
    "aws_guardduty_detector": "AWS::GuardDuty::Detector",
    "aws_securityhub_account": "AWS::SecurityHub::Hub",
    "aws_accessanalyzer_analyzer": "AWS::AccessAnalyzer::Analyzer",
    "aws_kms_key": "AWS::KMS::Key",
    "aws_sfn_state_machine": "AWS::StepFunctions::StateMachine",
}


def cfn_type(tf_type: str) -> str:
    if tf_type in CFN_TYPES:
        return CFN_TYPES[tf_type]
    if tf_type.startswith("aws_organizations_"):
        words = tf_type.removeprefix("aws_organizations_").split("_")
        return "AWS::Organizations::" + "".join(w.title() for w in words)
    return tf_type


_FN = "aws_lambda_function"
_REST = "aws_api_gateway_rest_api"
_V2 = "aws_apigatewayv2_api"

# aws_lambda_function arguments and the CloudFormation property names rules look for.
_FUNCTION_PROPS = {
    "function_name": "FunctionName",
    "runtime": "Runtime",
    "handler": "Handler",
    "timeout": "Timeout",
    "memory_size": "MemorySize",
    "reserved_concurrent_executions": "ReservedConcurrentExecutions",
    "role": "Role",
    "layers": "Layers",
    "kms_key_arn": "KmsKeyArn",
    "architectures": "Architectures",
    "package_type": "PackageType",
    "image_uri": "Code",
    "filename": "Code",
    "s3_bucket": "Code",
}
_FUNCTION_BLOCKS = {
    "environment": "Environment",
    "tracing_config": "TracingConfig",
    "dead_letter_config": "DeadLetterConfig",
    "vpc_config": "VpcConfig",
    "logging_config": "LoggingConfig",
    "snap_start": "SnapStart",
    "ephemeral_storage": "EphemeralStorage",
    "file_system_config": "FileSystemConfigs",
    "image_config": "ImageConfig",
    "durable_config": "DurableConfig",
}
_CANNED_ACLS = {
    "private": "Private",
    "public-read": "PublicRead",
    "public-read-write": "PublicReadWrite",
    "authenticated-read": "AuthenticatedRead",
    "aws-exec-read": "AwsExecRead",
    "bucket-owner-read": "BucketOwnerRead",
    "bucket-owner-full-control": "BucketOwnerFullControl",
    "log-delivery-write": "LogDeliveryWrite",
}
_REST_AUTH = {
    "NONE": AuthKind.NONE,
    "AWS_IAM": AuthKind.IAM,
    "COGNITO_USER_POOLS": AuthKind.COGNITO,
    "CUSTOM": AuthKind.LAMBDA,
}
_V2_AUTH = {"NONE": AuthKind.NONE, "AWS_IAM": AuthKind.IAM, "JWT": AuthKind.JWT, "CUSTOM": AuthKind.LAMBDA}
_SOURCE_KINDS = {
    "aws_sqs_queue": TriggerKind.SQS,
    "aws_kinesis_stream": TriggerKind.KINESIS,
    "aws_dynamodb_table": TriggerKind.DYNAMODB_STREAM,
    "aws_msk_cluster": TriggerKind.KAFKA,
    "aws_msk_serverless_cluster": TriggerKind.KAFKA,
    "aws_mq_broker": TriggerKind.MQ,
}


@dataclass
class _StageDraft:
    api: str
    name: object
    source: SourceRef
    tracing: object = False
    access_logging: object = False
    throttle: Throttle | None = None
    route_throttles: dict[str, Throttle] | None = None
    props: dict[str, SourceRef] | None = None


class TfBuilder(Builder):
    """The CloudFormation builder with Terraform's ways of naming and linking things."""

    def __init__(self, root: Path, main: Path, rel: str, app_root: str, ev: Evaluator) -> None:
        super().__init__(root, main, rel, app_root, "terraform")
        self.ev = ev
        self.decls: dict[str, Decl] = {}
        self.names: dict[tuple[str, str], str] = {}  # (terraform type, name) -> address
        self.archives: dict[str, Decl] = {}  # normalised output_path -> data.archive_file
        self.rest_resources: dict[str, BlockView] = {}
        self.rest_methods: list[tuple[str, BlockView]] = []
        self.rest_integrations: dict[tuple[str, str, str], str] = {}
        self.v2_integrations: dict[str, str | None] = {}
        self.v2_routes: list[tuple[str, BlockView]] = []
        self.stage_drafts: dict[str, _StageDraft] = {}
        self.method_settings: list[tuple[str, BlockView]] = []
        self.secret_literals: list[tuple[str, str, SourceRef]] = []
        self.layer_versions: list[LayerVersion] = []  # aws_lambda_layer_version resources

    def finish(self, parameters: dict[str, object]) -> Application:
        from faasguard.loaders.layers import link_layers

        return link_layers(super().finish(parameters), self.layer_versions)

    # -- values -----------------------------------------------------------------------------------

    def txt(self, value: object) -> str | Unknown:
        if isinstance(value, Unknown):
            return value
        if isinstance(value, str):
            return str(value)
        if isinstance(value, RefTo):
            return value.placeholder()
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        return self.unknown("a value of an unexpected shape")

    def opt_txt(self, view: BlockView, name: str) -> str | Unknown | None:
        return self.txt(view.get(name)) if view.has(name) and view.get(name) is not None else None

    def num(self, value: object) -> int | Unknown | None:
        if isinstance(value, str) and not isinstance(value, Unknown):
            try:
                return int(float(value))
            except ValueError:
                return self.unknown(f"not a number: {value[:40]}")
        if isinstance(value, RefTo):
            return self.unknown("a number known only after deployment")
        return self.number(value)

    def rate(self, value: object) -> float | Unknown | None:
        if value is None:
            return None
        if isinstance(value, bool):
            return self.unknown("throttle rate")
        if isinstance(value, (int, float)):
            return None if value < 0 else float(value)
        if isinstance(value, str):
            try:
                f = float(value)
            except ValueError:
                return self.unknown("throttle rate")
            return None if f < 0 else f
        if isinstance(value, Unknown):
            return value
        return self.unknown("throttle rate")

    def flag_of(self, value: object, default: bool = False) -> bool | Unknown:
        if isinstance(value, RefTo):
            return self.unknown("a flag known only after deployment")
        return self.flag(value, default)

    # -- links ------------------------------------------------------------------------------------

    def tid(self, value: object, *types: str) -> str | None:
        """The address of a resource of one of `types` that a value refers to or names."""
        addr = target_of(value)
        if addr is not None:
            decl = self.decls.get(addr)
            if decl is not None and (not types or decl.type in types):
                return addr
            if decl is not None and decl.type == "aws_lambda_alias" and _FN in types:
                return self.tid(decl.view().get("function_name"), _FN)
            return None
        if isinstance(value, str) and types:
            for t in types:
                found = self.names.get((t, _name_in(str(value), t)))
                if found is not None:
                    return found
        return None

    def fn_in(self, value: object) -> str | None:
        """The function an integration URI or ARN names (by reference, or inside a string)."""
        fid = self.tid(value, _FN)
        if fid is not None:
            return fid
        if isinstance(value, str):
            for addr in addresses_in(value):
                fid = self.tid(RefTo(addr), _FN)
                if fid is not None:
                    return fid
        return None

    def ref_of(self, view: BlockView, name: str) -> SourceRef:
        return view.at(name) or view.src

    def item_refs(self, value: object, fallback: SourceRef) -> list[SourceRef]:
        if isinstance(value, TList):
            return [value.ref(i) if value.path else fallback for i in range(len(value))]
        if isinstance(value, list):
            return [fallback for _ in value]
        return [fallback]


def _name_in(value: str, rtype: str) -> str:
    """The name inside an ARN written out in full (arn:aws:lambda:...:function:NAME)."""
    if value.startswith("arn:"):
        if rtype == _FN and ":function:" in value:
            return value.split(":function:", 1)[1].split(":", 1)[0]
        if rtype == "aws_iam_role" and ":role/" in value:
            return value.rsplit("/", 1)[-1]
        if rtype == "aws_s3_bucket" and value.startswith("arn:aws:s3:::"):
            return value.removeprefix("arn:aws:s3:::").split("/", 1)[0]
        return value.rsplit(":", 1)[-1]
    return value


_NAME_ARGS = {
    _FN: "function_name",
    "aws_iam_role": "name",
    "aws_iam_policy": "name",
    "aws_s3_bucket": "bucket",
    "aws_sqs_queue": "name",
    "aws_sns_topic": "name",
    "aws_dynamodb_table": "name",
    "aws_cloudwatch_event_rule": "name",
    "aws_cloudwatch_log_group": "name",
    "aws_api_gateway_domain_name": "domain_name",
    "aws_apigatewayv2_domain_name": "domain_name",
    "aws_secretsmanager_secret": "name",
    "aws_kinesis_stream": "name",
}


def index_names(b: TfBuilder) -> None:
    for addr, decl in b.decls.items():
        arg = _NAME_ARGS.get(decl.type)
        if arg is None:
            continue
        value = decl.view().get(arg)
        if isinstance(value, str) and "${" not in value:
            b.names.setdefault((decl.type, str(value)), addr)


# --- functions -----------------------------------------------------------------------------------


def _block_props(view: BlockView, props: dict[str, SourceRef], table: dict[str, str]) -> None:
    for tf, cfn in table.items():
        ref = view.at(tf)
        if ref is not None:
            props.setdefault(cfn, ref)


def _first(view: BlockView, kind: str) -> BlockView | None:
    blocks = view.blocks(kind)
    return blocks[0] if blocks else None


def _code(b: TfBuilder, view: BlockView) -> tuple[str | None, bool, bool]:
    """(code folder or file relative to the scan root, inline code, source known) of a function."""
    archive = None
    local_zip: str | None = None
    value = view.get("filename")
    if value is None and view.has("s3_key"):
        value = _s3_source(b, view.get("s3_key"))
    if value is not None:
        addr = target_of(value)
        decl = b.decls.get(addr or "")
        if decl is not None and decl.type == "archive_file":
            archive = decl
        elif isinstance(value, str):
            rel = b.ev.rel_to_root_module(str(value))
            if rel is not None:
                archive = b.archives.get(rel)
                local_zip = rel
    if archive is not None:
        return _archive_code(b, archive.view(), view.get("handler"))
    if local_zip is not None:
        return posixpath.dirname(local_zip) or ".", False, False
    return None, False, False


_LAMBDA_MODULE = re.compile(r"terraform-aws-modules/(?:terraform-aws-)?lambda(?:/aws)?(?:$|[/?])")


def _module_source_path(b: TfBuilder, decl: Decl) -> tuple[str | None, bool]:
    """terraform-aws-modules/lambda builds its archive with a helper program; the folder it packs
    is the module's `source_path` input (a path, or a list of paths or of {path = ...})."""
    mod = decl.mod
    packs = _LAMBDA_MODULE.search(mod.source) or "external.archive_prepare" in mod.data
    if not packs or "source_path" not in mod.variables:
        return None, False
    value = mod.var("source_path", decl.block.line, decl.path)
    items = value if isinstance(value, list) else [value]
    for item in items:
        path = item.get("path") if isinstance(item, dict) else item
        if isinstance(path, str):
            rel = b.ev.rel_to_root_module(str(path))
            if rel is not None:
                return rel, True
    return None, False


def _s3_source(b: TfBuilder, key: object) -> object:
    """The local file an S3 object key was uploaded from (aws_s3_object `source`)."""
    obj = b.decls.get(target_of(key) or "")
    if obj is None and isinstance(key, str):
        obj = next(
            (
                d
                for d in b.decls.values()
                if d.type in ("aws_s3_object", "aws_s3_bucket_object") and d.view().get("key") == key
            ),
            None,
        )
    if obj is not None and obj.type in ("aws_s3_object", "aws_s3_bucket_object"):
        return obj.view().get("source")
    return None


def _archive_code(b: TfBuilder, av: BlockView, handler: object) -> tuple[str | None, bool, bool]:
    for arg in ("source_dir", "source_file"):
        path = av.get(arg)
        if isinstance(path, str):
            rel = b.ev.rel_to_root_module(str(path))
            if rel is None:
                b.errors.append(
                    (av.path, b.ref_of(av, arg).line, f"code path {path} leaves the scanned folder: not read")
                )
                return None, False, False
            return rel, False, True
    sources = av.blocks("source")
    if sources or av.has("source_content"):
        # Files written into the archive: one read from a project file (file()) is the handler's.
        module = handler.rpartition(".")[0] if isinstance(handler, str) else None
        for src in sources:
            content, filename = src.get("content"), src.get("filename")
            if (
                isinstance(content, TStr)
                and content.path
                and content.line == 1
                and isinstance(filename, str)
                and posixpath.splitext(posixpath.basename(str(filename)))[0] == module
            ):
                return content.path, False, True
        return None, True, True
    return None, False, False


def lambda_function(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    own = v.src
    props: dict[str, SourceRef] = {}
    _block_props(v, props, _FUNCTION_PROPS)
    for tf, cfn in _FUNCTION_BLOCKS.items():
        blk = _first(v, tf)
        if blk is not None:
            props.setdefault(cfn, blk.src)
    runtime = v.get("runtime")
    handler = v.get("handler")
    package_type: object = v.get("package_type") or "Zip"
    if v.has("image_uri") or package_type == "Image":
        package_type = "Image"
    code, inline, known = _code(b, v)
    if code is None and not inline:
        code, known = _module_source_path(b, decl)
    handler_file = None
    if package_type != "Image":
        handler_file = resolve_handler_file(b.root, code, handler, runtime)
        if not known and handler_file is None:
            code = None  # a prebuilt archive: its sources are not beside it
    tracing: object = False
    tc = _first(v, "tracing_config")
    if tc is not None:
        mode = tc.get("mode")
        tracing = mode == "Active" if not isinstance(mode, Unknown) else mode
        if tc.at("mode") is not None:
            props["TracingConfig.Mode"] = tc.at("mode")  # type: ignore[assignment]
    dlq = None
    dl = _first(v, "dead_letter_config")
    if dl is not None and dl.has("target_arn"):
        dlq = b.txt(dl.get("target_arn"))
        props["DeadLetterConfig.TargetArn"] = b.ref_of(dl, "target_arn")
    env: list[EnvVar] = []
    for block in v.blocks("environment"):
        variables = block.get("variables")
        if isinstance(variables, dict):
            for name, value in variables.items():
                where = variables.ref(name) if isinstance(variables, TMap) else b.ref_of(block, "variables")
                shown: object = value.placeholder() if isinstance(value, RefTo) else value
                if isinstance(shown, TStr):
                    shown = str(shown)
                env.append(EnvVar(str(name), shown, where))
        elif isinstance(variables, Unknown):
            b.unknowns += 1
    vpc = False
    vc = _first(v, "vpc_config")
    if vc is not None:
        subnets = vc.get("subnet_ids")
        vpc = (bool(subnets) and not isinstance(subnets, Unknown)) or isinstance(subnets, Unknown)
    layers = v.get("layers")
    layer_refs = b.item_refs(layers, b.ref_of(v, "layers"))
    arch = v.get("architectures")
    architecture: object = "x86_64"
    if isinstance(arch, list) and arch:
        architecture = b.txt(arch[0])
    reserved = v.get("reserved_concurrent_executions")
    reserved_n = b.num(reserved)
    if isinstance(reserved_n, int) and reserved_n < 0:
        reserved_n = None  # -1: unreserved (Terraform's default)
    role = v.get("role")
    role_id = b.tid(role, "aws_iam_role")
    name = v.get("function_name")
    fields: dict[str, Any] = {
        "id": decl.addr,
        "source": own,
        "name": b.txt(name) if name is not None else None,
        "runtime": b.txt(runtime) if runtime is not None else None,
        "package_type": package_type if isinstance(package_type, str) else "Zip",
        "architecture": architecture,
        "handler": b.txt(handler) if handler is not None else None,
        "code_uri": code,
        "handler_file": handler_file,
        "inline_code": inline,
        "environment": tuple(env),
        "timeout": b.num(v.get("timeout")) if v.has("timeout") else 3,
        "memory": b.num(v.get("memory_size")) if v.has("memory_size") else 128,
        "reserved_concurrency": reserved_n,
        "provisioned_concurrency": None,
        "tracing": tracing,
        "dlq": dlq,
        "on_failure": None,
        "vpc": vpc,
        "url": None,
        "layers": tuple(
            Layer(
                b.txt(x), layer_refs[i] if i < len(layer_refs) else own, b.tid(x, "aws_lambda_layer_version")
            )
            for i, x in enumerate(layers if isinstance(layers, list) else [])
        ),
        "role": role_id
        if role_id
        else b.unknown("execution role defined outside the configuration", b.ref_of(v, "role")),
        "kms_key": b.txt(v.get("kms_key_arn")) if v.has("kms_key_arn") else None,
        "log_group": None,
        "cdk_path": None,
        "props": props,
    }
    if fields["timeout"] is None:
        fields["timeout"] = 3
    if fields["memory"] is None:
        fields["memory"] = 128
    lc = _first(v, "logging_config")
    if lc is not None and lc.has("log_group"):
        fields["_log_group_ref"] = lc.get("log_group")
    b.functions[decl.addr] = fields


def lambda_layer_version(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    """The folder a layer is zipped from: `filename` (or an uploaded `s3_key`) made by a
    `data "archive_file"` with `source_dir`; a prebuilt zip's content is not in the repository."""
    code, _inline, known = _code(b, v)
    content = code if known and code is not None and (b.root / code).is_dir() else None
    runtimes = v.get("compatible_runtimes")
    props: dict[str, SourceRef] = {}
    for tf, cfn in (("filename", "Content"), ("s3_key", "Content"), ("layer_name", "LayerName")):
        ref = v.at(tf)
        if ref is not None:
            props.setdefault(cfn, ref)
    b.layer_versions.append(
        LayerVersion(
            id=decl.addr,
            source=v.src,
            name=b.opt_txt(v, "layer_name"),
            content_dir=content,
            runtimes=tuple(b.txt(x) for x in runtimes) if isinstance(runtimes, list) else (),
            props=props,
        )
    )


def lambda_permission(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    fn = v.get("function_name")
    fid = b.tid(fn, _FN)
    props: dict[str, SourceRef] = {}
    _block_props(
        v,
        props,
        {
            "function_name": "FunctionName",
            "action": "Action",
            "principal": "Principal",
            "source_arn": "SourceArn",
            "source_account": "SourceAccount",
            "function_url_auth_type": "FunctionUrlAuthType",
            "principal_org_id": "PrincipalOrgID",
        },
    )
    b.permissions.append(
        Permission(
            id=decl.addr,
            function=fid if fid else b.txt(fn),
            action=b.txt(v.get("action")),
            principal=b.txt(v.get("principal")),
            source=v.src,
            source_arn=b.opt_txt(v, "source_arn"),
            source_account=b.opt_txt(v, "source_account") or b.opt_txt(v, "principal_org_id"),
            function_url_auth_type=b.opt_txt(v, "function_url_auth_type"),
            props=props,
        )
    )


def lambda_url(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    fid = b.tid(v.get("function_name"), _FN)
    if fid is None:
        return
    cors = _first(v, "cors")
    origins = cors.get("allow_origins") if cors is not None else None
    props: dict[str, SourceRef] = {}
    _block_props(v, props, {"authorization_type": "AuthType", "function_name": "TargetFunctionArn"})
    if cors is not None:
        props["Cors"] = cors.src
    auth = v.get("authorization_type")
    url = FunctionUrl(
        b.txt(auth) if auth is not None else b.unknown("authorization_type"),
        v.src,
        str_list(origins) if isinstance(origins, list) else (),
        props,
    )
    b.pending_urls.append((fid, url))


def event_source_mapping(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    fid = b.tid(v.get("function_name"), _FN)
    if fid is None:
        return
    arn = v.get("event_source_arn")
    target = target_of(arn)
    tdecl = b.decls.get(target or "")
    kind = _SOURCE_KINDS.get(tdecl.type if tdecl is not None else "", TriggerKind.OTHER)
    if kind is TriggerKind.OTHER and isinstance(arn, str):
        for needle, k in (
            (":sqs:", TriggerKind.SQS),
            (":kinesis:", TriggerKind.KINESIS),
            (":dynamodb:", TriggerKind.DYNAMODB_STREAM),
            (":kafka:", TriggerKind.KAFKA),
            (":mq:", TriggerKind.MQ),
        ):
            if needle in arn:
                kind = k
    if kind is TriggerKind.OTHER and v.blocks("self_managed_event_source"):
        kind = TriggerKind.KAFKA
    failure = None
    for dc in v.blocks("destination_config"):
        for of in dc.blocks("on_failure"):
            failure = of.get("destination_arn")
    b.triggers.append(
        Trigger(
            kind,
            fid,
            v.src,
            (target if tdecl is not None else b.txt(arn)) if arn is not None else None,
            on_failure=b.txt(failure) if failure is not None else None,
        )
    )


def event_invoke_config(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    fid = b.tid(v.get("function_name"), _FN)
    if fid is None:
        return
    dest = None
    for dc in v.blocks("destination_config"):
        for of in dc.blocks("on_failure"):
            dest = of.get("destination")
    if dest is not None:
        b.pending_on_failure.append((fid, b.txt(dest)))
    elif fid in b.functions:
        b.functions[fid]["props"].setdefault("EventInvokeConfig", v.src)


def provisioned_concurrency(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    fid = b.tid(v.get("function_name"), _FN)
    if fid is not None and fid in b.functions:
        b.functions[fid]["provisioned_concurrency"] = b.num(v.get("provisioned_concurrent_executions"))


def event_target(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    fid = b.fn_in(v.get("arn"))
    if fid is None:
        return
    rule = b.tid(v.get("rule"), "aws_cloudwatch_event_rule")
    kind = TriggerKind.EVENTBRIDGE
    if rule is not None and b.decls[rule].view().has("schedule_expression"):
        kind = TriggerKind.SCHEDULE
    b.triggers.append(Trigger(kind, fid, v.src, rule or b.txt(v.get("rule"))))


def scheduler_schedule(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    for t in v.blocks("target"):
        fid = b.fn_in(t.get("arn"))
        if fid is not None:
            b.triggers.append(Trigger(TriggerKind.SCHEDULE, fid, v.src, decl.addr))


def sns_subscription(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    if v.get("protocol") != "lambda":
        return
    fid = b.fn_in(v.get("endpoint"))
    if fid is not None:
        topic = v.get("topic_arn")
        b.triggers.append(Trigger(TriggerKind.SNS, fid, v.src, b.tid(topic, "aws_sns_topic") or b.txt(topic)))


def log_subscription(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    fid = b.fn_in(v.get("destination_arn"))
    if fid is not None:
        b.triggers.append(Trigger(TriggerKind.CLOUDWATCH_LOGS, fid, v.src, b.txt(v.get("log_group_name"))))


# --- IAM -------------------------------------------------------------------------------------------


def _role_of(b: TfBuilder, value: object) -> str | None:
    rid = b.tid(value, "aws_iam_role")
    return rid if rid is not None and rid in b.roles else None


def iam_role(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    own = v.src
    draft = b.role(decl.addr, own)
    draft.source = own
    props: dict[str, SourceRef] = {}
    _block_props(
        v,
        props,
        {
            "name": "RoleName",
            "assume_role_policy": "AssumeRolePolicyDocument",
            "managed_policy_arns": "ManagedPolicyArns",
            "permissions_boundary": "PermissionsBoundary",
            "path": "Path",
        },
    )
    inline = v.blocks("inline_policy")
    if inline:
        props["Policies"] = inline[0].src
    draft.props = props
    if v.has("name"):
        draft.name = b.txt(v.get("name"))
    if v.has("assume_role_policy"):
        draft.trust = parse_policy(
            v.get("assume_role_policy"),
            "AssumeRolePolicyDocument",
            b.ref_of(v, "assume_role_policy"),
            b.ev,
            "trust",
        )
    for blk in inline:
        if not blk.has("policy"):
            continue
        name = blk.get("name")
        draft.policies.append(
            parse_policy(
                blk.get("policy"),
                str(name) if isinstance(name, str) else decl.addr,
                b.ref_of(blk, "policy"),
                b.ev,
            )
        )
    arns = v.get("managed_policy_arns")
    refs = b.item_refs(arns, b.ref_of(v, "managed_policy_arns"))
    for i, arn in enumerate(arns if isinstance(arns, list) else []):
        _attach_managed(b, decl.addr, arn, refs[i] if i < len(refs) else own)
    if isinstance(arns, Unknown):
        draft.managed.append(ManagedPolicyRef(arns, b.ref_of(v, "managed_policy_arns")))
    if v.has("permissions_boundary") and v.get("permissions_boundary") is not None:
        draft.boundary = b.txt(v.get("permissions_boundary"))


def _attach_managed(b: TfBuilder, role_id: str, arn: object, where: SourceRef) -> None:
    pid = b.tid(arn, "aws_iam_policy")
    if pid is not None:
        b.managed_attachments.append((pid, [RefTo(role_id)]))
    elif role_id in b.roles:
        b.roles[role_id].managed.append(ManagedPolicyRef(b.txt(arn), where))


def iam_role_policy(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    name = v.get("name")
    policy = parse_policy(
        v.get("policy"),
        str(name) if isinstance(name, str) else decl.addr,
        b.ref_of(v, "policy"),
        b.ev,
        "policy-resource",
    )
    rid = _role_of(b, v.get("role"))
    if rid is not None:
        b.role_attachments.append((policy, [RefTo(rid)]))


def iam_policy(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    name = v.get("name")
    b.managed_policies[decl.addr] = parse_policy(
        v.get("policy"),
        str(name) if isinstance(name, str) else decl.addr,
        b.ref_of(v, "policy"),
        b.ev,
        "managed-resource",
    )


def role_policy_attachment(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    rid = _role_of(b, v.get("role"))
    if rid is not None:
        _attach_managed(b, rid, v.get("policy_arn"), b.ref_of(v, "policy_arn"))


def role_policy_attachments_exclusive(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    rid = _role_of(b, v.get("role_name"))
    if rid is None:
        return
    arns = v.get("policy_arns")
    refs = b.item_refs(arns, b.ref_of(v, "policy_arns"))
    for i, arn in enumerate(arns if isinstance(arns, list) else []):
        _attach_managed(b, rid, arn, refs[i] if i < len(refs) else v.src)


def policy_attachment(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    roles = v.get("roles")
    for role in roles if isinstance(roles, list) else []:
        rid = _role_of(b, role)
        if rid is not None:
            _attach_managed(b, rid, v.get("policy_arn"), b.ref_of(v, "policy_arn"))


# --- API Gateway -----------------------------------------------------------------------------------


def _document(b: TfBuilder, value: object, where: SourceRef) -> object:
    """An OpenAPI body: a map with lines (jsonencode, JSON or YAML text), or None."""
    if isinstance(value, TStr) and value.data is not None:
        return value.data
    if isinstance(value, TMap):
        return value
    if isinstance(value, str) and not isinstance(value, Unknown):
        path = getattr(value, "path", None) or where.path
        line = getattr(value, "line", 0) or where.line
        try:
            docs = parse_yaml(str(value), path, b.ev.limits)
        except ReadFailure as exc:
            b.errors.append((path, (exc.line or 1) + line - 1, f"API body: {exc.message}"))
            return None
        return from_parsed(docs[0], path, line - 1) if docs else None
    return None


def rest_api(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    own = v.src
    endpoint: object = "EDGE"
    ec = _first(v, "endpoint_configuration")
    if ec is not None:
        types = ec.get("types")
        if isinstance(types, list) and types:
            endpoint = b.txt(types[0])
        elif isinstance(types, Unknown):
            endpoint = types
    props: dict[str, SourceRef] = {}
    _block_props(
        v,
        props,
        {
            "name": "Name",
            "body": "Body",
            "policy": "Policy",
            "disable_execute_api_endpoint": "DisableExecuteApiEndpoint",
        },
    )
    if ec is not None:
        props["EndpointConfiguration"] = ec.src
    api = ApiDraft(
        decl.addr,
        ApiKind.REST,
        own,
        name=b.txt(v.get("name")) if v.has("name") else None,
        endpoint_type=endpoint,
        disable_execute_api_endpoint=b.flag_of(v.get("disable_execute_api_endpoint")),
        props=props,
    )
    if v.has("policy") and v.get("policy") is not None:
        api.resource_policy = parse_policy(
            v.get("policy"), "Policy", b.ref_of(v, "policy"), b.ev, "resource-policy"
        )
    if v.has("body"):
        body = _document(b, v.get("body"), b.ref_of(v, "body"))
        if isinstance(body, TMap):
            api.spec = "inline" if body.path == v.path else body.path
            if body.path != v.path:
                b.extra_files.append(body.path)
            b.pending_specs.append((decl.addr, body, body.path))
    b.apis[decl.addr] = api


def rest_api_policy(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    api = b.tid(v.get("rest_api_id"), _REST)
    if api is not None and api in b.apis:
        b.apis[api].resource_policy = parse_policy(
            v.get("policy"), decl.addr, b.ref_of(v, "policy"), b.ev, "resource-policy"
        )


def rest_resource(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    b.rest_resources[decl.addr] = v


def rest_method(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    b.rest_methods.append((decl.addr, v))


def _resource_key(b: TfBuilder, value: object) -> str:
    addr = target_of(value)
    if addr is not None and addr in b.rest_resources:
        return addr
    return "/"


def rest_integration(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    api = b.tid(v.get("rest_api_id"), _REST)
    method = v.get("http_method")
    fid = b.fn_in(v.get("uri"))
    if api is None or fid is None:
        return
    key = (
        api,
        _resource_key(b, v.get("resource_id")),
        str(b.txt(method)).upper() if isinstance(method, str) else "?",
    )
    b.rest_integrations[key] = fid


def _rest_path(b: TfBuilder, key: str, depth: int = 0) -> str:
    if key == "/" or depth > 50:
        return "/"
    v = b.rest_resources.get(key)
    if v is None:
        return "/"
    part = v.get("path_part")
    prefix = _rest_path(b, _resource_key(b, v.get("parent_id")), depth + 1)
    return posixpath.join(prefix, str(part)) if isinstance(part, str) else posixpath.join(prefix, "?")


def _settle_rest_methods(b: TfBuilder) -> None:
    for _, v in b.rest_methods:
        api = b.tid(v.get("rest_api_id"), _REST)
        if api is None or api not in b.apis:
            continue
        rkey = _resource_key(b, v.get("resource_id"))
        path = _rest_path(b, rkey)
        m = v.get("http_method")
        method = str(m).upper() if isinstance(m, str) else "?"
        auth_type = v.get("authorization", "NONE")
        kind = (
            _REST_AUTH.get(str(auth_type), AuthKind.UNKNOWN)
            if isinstance(auth_type, str)
            else AuthKind.UNKNOWN
        )
        key_required = b.flag_of(v.get("api_key_required")) is True
        fid = b.rest_integrations.get((api, rkey, method))
        props: dict[str, SourceRef] = {}
        _block_props(
            v,
            props,
            {
                "authorization": "AuthorizationType",
                "authorizer_id": "AuthorizerId",
                "api_key_required": "ApiKeyRequired",
                "http_method": "HttpMethod",
            },
        )
        own = v.src
        b.routes.append(
            RouteDraft(
                api,
                method,
                path,
                own,
                fid,
                Auth(kind, target_of(v.get("authorizer_id")), key_required),
                key_required,
                props,
            )
        )
        if fid is not None:
            b.triggers.append(
                Trigger(TriggerKind.REST_API, fid, own, api, details={"route": f"{method} {path}"})
            )


def _stage_draft(b: TfBuilder, addr: str, api: str, name: object, src: SourceRef) -> _StageDraft:
    draft = b.stage_drafts.get(addr)
    if draft is None:
        draft = _StageDraft(api, name, src, route_throttles={}, props={})
        b.stage_drafts[addr] = draft
    return draft


def rest_stage(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    api = b.tid(v.get("rest_api_id"), _REST)
    if api is None:
        return
    draft = _stage_draft(b, decl.addr, api, b.txt(v.get("stage_name")), v.src)
    draft.tracing = b.flag_of(v.get("xray_tracing_enabled"))
    access = _first(v, "access_log_settings")
    draft.access_logging = access is not None and access.has("destination_arn")
    assert draft.props is not None
    _block_props(v, draft.props, {"xray_tracing_enabled": "TracingEnabled", "stage_name": "StageName"})
    if access is not None:
        draft.props["AccessLogSetting"] = access.src


def rest_deployment(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    api = b.tid(v.get("rest_api_id"), _REST)
    name = v.get("stage_name")
    if api is None or not v.has("stage_name") or name in (None, ""):
        return
    draft = _stage_draft(b, decl.addr, api, b.txt(name), v.src)
    assert draft.props is not None
    _block_props(v, draft.props, {"stage_name": "StageName"})


def method_settings(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    b.method_settings.append((decl.addr, v))


def _find_stage(b: TfBuilder, api: str, name: object) -> _StageDraft | None:
    addr = target_of(name)
    if addr is not None and addr in b.stage_drafts:
        return b.stage_drafts[addr]
    for draft in b.stage_drafts.values():
        if draft.api == api and isinstance(name, str) and draft.name == str(name):
            return draft
    return None


def _settle_method_settings(b: TfBuilder) -> None:
    for _, v in b.method_settings:
        api = b.tid(v.get("rest_api_id"), _REST)
        if api is None:
            continue
        draft = _find_stage(b, api, v.get("stage_name"))
        if draft is None:
            continue
        settings = _first(v, "settings")
        assert draft.props is not None and draft.route_throttles is not None
        draft.props.setdefault("MethodSettings", settings.src if settings is not None else v.src)
        if settings is None:
            continue
        throttle = _throttle(b, settings, "throttling_rate_limit", "throttling_burst_limit")
        if throttle is None:
            continue
        path = v.get("method_path")
        if not isinstance(path, str):
            draft.route_throttles["? ?"] = Throttle(b.unknown("method_path"), throttle.burst, throttle.source)
            continue
        if path in ("*/*", "*"):
            draft.throttle = throttle
            continue
        resource, _, method = str(path).rpartition("/")
        draft.route_throttles[f"{method.upper()} /{resource.lstrip('/')}"] = throttle


def _throttle(b: TfBuilder, view: BlockView | None, rate_key: str, burst_key: str) -> Throttle | None:
    if view is None or (not view.has(rate_key) and not view.has(burst_key)):
        return None
    rate = b.rate(view.get(rate_key)) if view.has(rate_key) else None
    burst_raw = view.get(burst_key) if view.has(burst_key) else None
    burst = b.num(burst_raw) if burst_raw is not None else None
    if isinstance(burst, int) and burst < 0:
        burst = None
    if rate is None and burst is None:
        return None
    return Throttle(rate, burst, b.ref_of(view, rate_key if view.has(rate_key) else burst_key))


def usage_plan(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    stages: list[tuple[object, object]] = []
    for s in v.blocks("api_stages"):
        api = b.tid(s.get("api_id"), _REST)
        stage = s.get("stage")
        stages.append((api if api else b.txt(s.get("api_id")), b.txt(stage)))
    quota = _first(v, "quota_settings")
    b.usage_plans.append(
        UsagePlan(
            decl.addr,
            v.src,
            tuple(stages),  # type: ignore[arg-type]
            _throttle(b, _first(v, "throttle_settings"), "rate_limit", "burst_limit"),
            b.num(quota.get("limit")) if quota is not None else None,
        )
    )


def domain_name(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    policy: object = v.get("security_policy")
    where = v.at("security_policy")
    cfg = _first(v, "domain_name_configuration")
    if policy is None and cfg is not None:
        policy = cfg.get("security_policy")
        where = cfg.at("security_policy") or cfg.src
    props: dict[str, SourceRef] = {}
    _block_props(v, props, {"domain_name": "DomainName"})
    props["SecurityPolicy"] = where or v.src
    b.domain_drafts[decl.addr] = {
        "id": decl.addr,
        "name": b.txt(v.get("domain_name")) if v.has("domain_name") else decl.addr,
        "source": v.src,
        "security_policy": b.txt(policy) if policy is not None else None,
        "apis": [],
        "props": props,
    }


def api_mapping(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    api = b.tid(v.get("api_id"), _REST, _V2)
    if api is None:
        return
    dom = b.tid(v.get("domain_name"), "aws_api_gateway_domain_name", "aws_apigatewayv2_domain_name")
    if dom is not None and dom in b.domain_drafts:
        b.domain_drafts[dom]["apis"].append(api)
        return
    b.domain_drafts.setdefault(
        decl.addr,
        {
            "id": decl.addr,
            "name": b.txt(v.get("domain_name")),
            "source": v.src,
            "security_policy": None,
            "apis": [api],
            "props": {},
        },
    )


def http_api(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    own = v.src
    protocol = v.get("protocol_type", "HTTP")
    kind = ApiKind.WEBSOCKET if protocol == "WEBSOCKET" else ApiKind.HTTP
    props: dict[str, SourceRef] = {}
    _block_props(
        v,
        props,
        {
            "name": "Name",
            "protocol_type": "ProtocolType",
            "disable_execute_api_endpoint": "DisableExecuteApiEndpoint",
            "target": "Target",
            "body": "Body",
            "route_key": "RouteKey",
        },
    )
    api = ApiDraft(
        decl.addr,
        kind,
        own,
        name=b.txt(v.get("name")) if v.has("name") else None,
        endpoint_type="REGIONAL",
        disable_execute_api_endpoint=b.flag_of(v.get("disable_execute_api_endpoint")),
        props=props,
    )
    b.apis[decl.addr] = api
    fid = b.fn_in(v.get("target")) if v.has("target") else None
    if fid is not None:
        key = v.get("route_key") if v.has("route_key") else "$default"
        method, path = _route_key(key)
        b.routes.append(RouteDraft(decl.addr, method, path, b.ref_of(v, "target"), fid, Auth(AuthKind.NONE)))
        b.triggers.append(
            Trigger(TriggerKind.HTTP_API, fid, own, decl.addr, details={"route": f"{method} {path}"})
        )
        api.stages["$default"] = Stage("$default", own)
    if v.has("body"):
        body = _document(b, v.get("body"), b.ref_of(v, "body"))
        if isinstance(body, TMap):
            api.spec = "inline" if body.path == v.path else body.path
            if body.path != v.path:
                b.extra_files.append(body.path)
            b.pending_specs.append((decl.addr, body, body.path))


def _route_key(key: object) -> tuple[str, str]:
    if isinstance(key, str) and " " in key:
        method, path = str(key).split(" ", 1)
        return method.upper(), path
    return "ANY", str(key) if isinstance(key, str) else "?"


def http_integration(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    b.v2_integrations[decl.addr] = b.fn_in(v.get("integration_uri"))


def http_route(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    b.v2_routes.append((decl.addr, v))


def _settle_http_routes(b: TfBuilder) -> None:
    for _, v in b.v2_routes:
        api = b.tid(v.get("api_id"), _V2)
        if api is None or api not in b.apis:
            continue
        method, path = _route_key(v.get("route_key"))
        target = v.get("target")
        fid = None
        integ = target_of(target)
        candidates = [integ] if integ else (addresses_in(target) if isinstance(target, str) else [])
        for cand in candidates:
            if cand in b.v2_integrations:
                fid = b.v2_integrations[cand]
                break
        auth_type = v.get("authorization_type", "NONE")
        kind = (
            _V2_AUTH.get(str(auth_type), AuthKind.UNKNOWN) if isinstance(auth_type, str) else AuthKind.UNKNOWN
        )
        key_required = b.flag_of(v.get("api_key_required")) is True
        props: dict[str, SourceRef] = {}
        _block_props(
            v,
            props,
            {
                "route_key": "RouteKey",
                "authorization_type": "AuthorizationType",
                "authorizer_id": "AuthorizerId",
                "api_key_required": "ApiKeyRequired",
                "target": "Target",
            },
        )
        own = v.src
        b.routes.append(
            RouteDraft(
                api,
                method,
                path,
                own,
                fid,
                Auth(kind, target_of(v.get("authorizer_id"))),
                key_required,
                props,
            )
        )
        if fid is not None:
            tkind = TriggerKind.WEBSOCKET if b.apis[api].kind is ApiKind.WEBSOCKET else TriggerKind.HTTP_API
            b.triggers.append(Trigger(tkind, fid, own, api, details={"route": f"{method} {path}"}))


def http_stage(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    api = b.tid(v.get("api_id"), _V2)
    if api is None:
        return
    draft = _stage_draft(b, decl.addr, api, b.txt(v.get("name", "$default")), v.src)
    assert draft.props is not None and draft.route_throttles is not None
    _block_props(v, draft.props, {"name": "StageName"})
    defaults = _first(v, "default_route_settings")
    if defaults is not None:
        draft.props["DefaultRouteSettings"] = defaults.src
        draft.throttle = _throttle(b, defaults, "throttling_rate_limit", "throttling_burst_limit")
    for rs in v.blocks("route_settings"):
        draft.props.setdefault("RouteSettings", rs.src)
        t = _throttle(b, rs, "throttling_rate_limit", "throttling_burst_limit")
        key = rs.get("route_key")
        if t is not None:
            draft.route_throttles[str(key) if isinstance(key, str) else "?"] = t
    access = _first(v, "access_log_settings")
    draft.access_logging = access is not None and access.has("destination_arn")
    if access is not None:
        draft.props["AccessLogSettings"] = access.src


def waf_association(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    target = v.get("resource_arn")
    addrs = (
        [target_of(target)]
        if target_of(target)
        else (addresses_in(target) if isinstance(target, str) else [])
    )
    for addr in addrs:
        d = b.decls.get(addr or "")
        if d is None:
            continue
        if d.type == _REST:
            b.waf_targets.append(RefTo(d.addr))
            return
        if d.type == "aws_api_gateway_stage":
            api = b.tid(d.view().get("rest_api_id"), _REST)
            if api is not None:
                b.waf_targets.append(RefTo(api))
                return
    b.waf_targets.append(target)


# --- data stores -----------------------------------------------------------------------------------


def _store(b: TfBuilder, value: object, rtype: str) -> str | None:
    sid = b.tid(value, rtype)
    return sid if sid is not None and sid in b.stores else None


def s3_bucket(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    own = v.src
    props: dict[str, SourceRef] = {}
    _block_props(v, props, {"bucket": "BucketName", "acl": "AccessControl", "policy": "Policy"})
    kms = _sse_kms(b, v.blocks("server_side_encryption_configuration"), props)
    website = _first(v, "website")
    if website is not None:
        props["WebsiteConfiguration"] = website.src
    acl = v.get("acl") if v.has("acl") else None
    b.add_store(
        decl.addr,
        kind=StoreKind.S3,
        source=own,
        name=b.txt(v.get("bucket")) if v.has("bucket") else None,
        kms_key=kms,
        public_access_block=None,
        acl=_acl(b, acl) if acl is not None else None,
        ownership=None,
        notifications=(),
        props=props,
    )
    if v.has("policy") and v.get("policy") not in (None, ""):
        policy = parse_policy(v.get("policy"), decl.addr, b.ref_of(v, "policy"), b.ev, "resource-policy")
        b.store_policies.append(([RefTo(decl.addr)], policy))


def _acl(b: TfBuilder, value: object) -> str | Unknown:
    text = b.txt(value)
    return _CANNED_ACLS.get(text, text) if isinstance(text, str) else text


def _sse_kms(b: TfBuilder, configs: list[BlockView], props: dict[str, SourceRef]) -> object:
    kms: object = None
    for cfg in configs:
        props.setdefault("BucketEncryption", cfg.src)
        for rule in cfg.blocks("rule"):
            for default in rule.blocks("apply_server_side_encryption_by_default"):
                algo = default.get("sse_algorithm")
                key = default.get("kms_master_key_id")
                if isinstance(algo, Unknown):
                    kms = algo
                elif algo in ("aws:kms", "aws:kms:dsse") and key not in (None, ""):
                    kms = b.txt(key)
    return kms


def s3_part(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    """The split S3 bucket resources: each sets one part of the bucket it names."""
    sid = _store(b, v.get("bucket"), "aws_s3_bucket")
    if sid is None:
        return
    store = b.stores[sid]
    props: dict[str, SourceRef] = store.setdefault("props", {})
    kind = decl.type
    if kind == "aws_s3_bucket_policy":
        policy = parse_policy(v.get("policy"), decl.addr, b.ref_of(v, "policy"), b.ev, "resource-policy")
        b.store_policies.append(([RefTo(sid)], policy))
    elif kind == "aws_s3_bucket_public_access_block":
        block: dict[str, object] = dict(store.get("public_access_block") or {})
        for tf, cfn in (
            ("block_public_acls", "BlockPublicAcls"),
            ("block_public_policy", "BlockPublicPolicy"),
            ("ignore_public_acls", "IgnorePublicAcls"),
            ("restrict_public_buckets", "RestrictPublicBuckets"),
        ):
            if v.has(tf):
                block[cfn] = b.flag_of(v.get(tf))
                props["PublicAccessBlockConfiguration." + cfn] = b.ref_of(v, tf)
        props.setdefault("PublicAccessBlockConfiguration", v.src)
        store["public_access_block"] = block
    elif kind == "aws_s3_bucket_acl":
        if v.has("acl"):
            store["acl"] = _acl(b, v.get("acl"))
            props["AccessControl"] = b.ref_of(v, "acl")
    elif kind == "aws_s3_bucket_ownership_controls":
        for rule in v.blocks("rule"):
            if rule.has("object_ownership"):
                store["ownership"] = b.txt(rule.get("object_ownership"))
                props["OwnershipControls"] = b.ref_of(rule, "object_ownership")
    elif kind == "aws_s3_bucket_server_side_encryption_configuration":
        props.pop("BucketEncryption", None)
        store["kms_key"] = _sse_kms(b, [v], props)
    elif kind == "aws_s3_bucket_website_configuration":
        props["WebsiteConfiguration"] = v.src
    elif kind == "aws_s3_bucket_notification":
        _s3_notification(b, sid, store, v)
    elif kind in ("aws_s3_object", "aws_s3_bucket_object"):
        acl = _acl(b, v.get("acl")) if v.has("acl") else None
        if acl in ("PublicRead", "PublicReadWrite", "AuthenticatedRead") and store.get("acl") in (
            None,
            "Private",
        ):
            store["acl"] = acl
            props["AccessControl"] = b.ref_of(v, "acl")


def _s3_notification(b: TfBuilder, sid: str, store: dict[str, Any], v: BlockView) -> None:
    notes = list(store.get("notifications") or ())
    for kind, block_name, arg in (
        ("lambda", "lambda_function", "lambda_function_arn"),
        ("sqs", "queue", "queue_arn"),
        ("sns", "topic", "topic_arn"),
    ):
        for blk in v.blocks(block_name):
            target = blk.get(arg)
            tid = b.fn_in(target) if kind == "lambda" else target_of(target)
            notes.append((kind, tid if tid else b.txt(target)))
            if kind == "lambda" and tid is not None:
                b.triggers.append(Trigger(TriggerKind.S3, tid, blk.src, sid))
    store["notifications"] = tuple(notes)


def _simple_store(
    kind: StoreKind, name_arg: str, table: dict[str, str]
) -> Callable[[TfBuilder, Decl, BlockView], None]:
    def handle(b: TfBuilder, decl: Decl, v: BlockView) -> None:
        props: dict[str, SourceRef] = {}
        _block_props(v, props, table)
        kms: object = None
        if kind is StoreKind.DYNAMODB:
            sse = _first(v, "server_side_encryption")
            if sse is not None:
                props["SSESpecification"] = sse.src
                if b.flag_of(sse.get("enabled")) is True and sse.get("kms_key_arn") not in (None, ""):
                    kms = b.txt(sse.get("kms_key_arn"))
        elif kind is StoreKind.KINESIS:
            enc = v.get("encryption_type")
            if isinstance(enc, Unknown) or enc == "KMS":
                props["StreamEncryption"] = b.ref_of(v, "encryption_type")
                kms = (
                    b.txt(v.get("kms_key_id"))
                    if v.has("kms_key_id")
                    else enc
                    if isinstance(enc, Unknown)
                    else None
                )
        else:
            for arg in ("kms_master_key_id", "kms_key_id"):
                if v.has(arg) and v.get(arg) not in (None, ""):
                    kms = b.txt(v.get(arg))
        b.add_store(
            decl.addr,
            kind=kind,
            source=v.src,
            name=b.txt(v.get(name_arg)) if v.has(name_arg) else None,
            kms_key=kms,
            props=props,
        )
        if v.has("policy") and v.get("policy") not in (None, ""):
            policy = parse_policy(v.get("policy"), decl.addr, b.ref_of(v, "policy"), b.ev, "resource-policy")
            b.store_policies.append(([RefTo(decl.addr)], policy))

    return handle


def queue_policy(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    arg = "queue_url" if decl.type == "aws_sqs_queue_policy" else "arn"
    rtype = "aws_sqs_queue" if decl.type == "aws_sqs_queue_policy" else "aws_sns_topic"
    sid = _store(b, v.get(arg), rtype)
    if sid is None:
        return
    policy = parse_policy(v.get("policy"), decl.addr, b.ref_of(v, "policy"), b.ev, "resource-policy")
    b.store_policies.append(([RefTo(sid)], policy))


def secret_version(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    value = v.get("secret_string")
    if isinstance(value, str) and not isinstance(value, Unknown) and "${" not in value and value:
        b.secret_literals.append((decl.addr, str(value), b.ref_of(v, "secret_string")))


# --- logging, monitoring, identity -----------------------------------------------------------------


def log_group(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    props: dict[str, SourceRef] = {}
    _block_props(
        v, props, {"name": "LogGroupName", "retention_in_days": "RetentionInDays", "kms_key_id": "KmsKeyId"}
    )
    name: object = None
    if v.has("name"):
        name = b.txt(v.get("name"))
    elif v.has("name_prefix"):
        name = b.unknown("a log group named by name_prefix", b.ref_of(v, "name_prefix"))
    retention = b.num(v.get("retention_in_days")) if v.has("retention_in_days") else None
    if retention == 0:
        retention = None  # 0: never expire
    b.log_groups.append(
        LogGroup(
            decl.addr,
            v.src,
            name,  # type: ignore[arg-type]
            retention,
            None,
            b.txt(v.get("kms_key_id")) if v.has("kms_key_id") else None,
            props,
        )
    )


def alarm(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    dims: dict[str, object] = {}
    metric: object = v.get("metric_name")
    namespace: object = v.get("namespace")
    sources: list[object] = [v.get("dimensions")]
    for q in v.blocks("metric_query"):
        for m in q.blocks("metric"):
            metric = metric or m.get("metric_name")
            namespace = namespace or m.get("namespace")
            sources.append(m.get("dimensions"))
    for d in sources:
        if isinstance(d, dict):
            for k, value in d.items():
                fid = b.tid(value, _FN)
                dims[str(k)] = fid or (
                    str(value)
                    if isinstance(value, str)
                    else b.txt(value)
                    if isinstance(value, RefTo)
                    else None
                )
        elif isinstance(d, Unknown):
            dims["FunctionName"] = d
    b.alarms.append(
        Alarm(
            decl.addr,
            v.src,
            b.txt(namespace) if namespace is not None else None,
            b.txt(metric) if metric is not None else None,
            dims,
        )
    )


def user_pool(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    own = v.src
    props: dict[str, SourceRef] = {}
    _block_props(v, props, {"mfa_configuration": "MfaConfiguration", "name": "UserPoolName"})
    policy: dict[str, object] = {}
    pp = _first(v, "password_policy")
    if pp is not None:
        props["Policies"] = pp.src
        for tf, cfn in (
            ("minimum_length", "MinimumLength"),
            ("require_lowercase", "RequireLowercase"),
            ("require_uppercase", "RequireUppercase"),
            ("require_numbers", "RequireNumbers"),
            ("require_symbols", "RequireSymbols"),
            ("temporary_password_validity_days", "TemporaryPasswordValidityDays"),
        ):
            if pp.has(tf):
                value = pp.get(tf)
                policy[cfn] = (
                    b.num(value)
                    if cfn in ("MinimumLength", "TemporaryPasswordValidityDays")
                    else b.flag_of(value)
                )
                props["PasswordPolicy." + cfn] = b.ref_of(pp, tf)
    attrs = []
    for s in v.blocks("schema"):
        name = s.get("name")
        if isinstance(name, str):
            attrs.append((str(name), b.flag_of(s.get("mutable"), True) is not False, s.src))
    for lc in v.blocks("lambda_config"):
        for arg in lc.names():
            fid = b.fn_in(lc.get(arg))
            if fid is not None:
                b.triggers.append(Trigger(TriggerKind.COGNITO, fid, b.ref_of(lc, arg), decl.addr))
    mfa = v.get("mfa_configuration")
    b.user_pools.append(
        UserPool(decl.addr, own, policy, b.txt(mfa) if mfa is not None else None, tuple(attrs), (), props)
    )


def user_pool_client(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    pool = b.tid(v.get("user_pool_id"), "aws_cognito_user_pool")
    if pool is None:
        return
    writes = v.get("write_attributes")
    if not isinstance(writes, list):
        b.client_writes.append((pool, decl.addr, "*", v.src))
        return
    refs = b.item_refs(writes, b.ref_of(v, "write_attributes"))
    for i, attr in enumerate(writes):
        if isinstance(attr, str):
            b.client_writes.append((pool, decl.addr, str(attr), refs[i] if i < len(refs) else v.src))


def identity_pool(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    props: dict[str, SourceRef] = {}
    _block_props(v, props, {"allow_unauthenticated_identities": "AllowUnauthenticatedIdentities"})
    b.identity_pools.append(
        IdentityPool(decl.addr, v.src, b.flag_of(v.get("allow_unauthenticated_identities")), props)
    )


def trail(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    b.trails.append(Trail(decl.addr, v.src))


def budget(b: TfBuilder, decl: Decl, v: BlockView) -> None:
    b.budgets.append(Budget(decl.addr, v.src))


Handler = Callable[[TfBuilder, Decl, BlockView], None]

# Owners first (roles, policies, stores, APIs, domains), then functions, then what links to them.
HANDLERS: dict[str, tuple[int, Handler]] = {
    "aws_iam_role": (0, iam_role),
    "aws_iam_policy": (0, iam_policy),
    "aws_s3_bucket": (0, s3_bucket),
    "aws_dynamodb_table": (0, _simple_store(StoreKind.DYNAMODB, "name", {"name": "TableName"})),
    "aws_sqs_queue": (
        0,
        _simple_store(
            StoreKind.SQS,
            "name",
            {
                "name": "QueueName",
                "kms_master_key_id": "KmsMasterKeyId",
                "sqs_managed_sse_enabled": "SqsManagedSseEnabled",
            },
        ),
    ),
    "aws_sns_topic": (
        0,
        _simple_store(StoreKind.SNS, "name", {"name": "TopicName", "kms_master_key_id": "KmsMasterKeyId"}),
    ),
    "aws_secretsmanager_secret": (
        0,
        _simple_store(StoreKind.SECRET, "name", {"name": "Name", "kms_key_id": "KmsKeyId"}),
    ),
    "aws_kinesis_stream": (0, _simple_store(StoreKind.KINESIS, "name", {"name": "Name"})),
    "aws_api_gateway_rest_api": (0, rest_api),
    "aws_apigatewayv2_api": (1, http_api),  # its quick-create target is a function
    "aws_api_gateway_domain_name": (0, domain_name),
    "aws_apigatewayv2_domain_name": (0, domain_name),
    "aws_api_gateway_resource": (0, rest_resource),
    "aws_lambda_layer_version": (0, lambda_layer_version),
    "aws_lambda_function": (1, lambda_function),
    "aws_lambda_permission": (2, lambda_permission),
    "aws_lambda_function_url": (2, lambda_url),
    "aws_lambda_event_source_mapping": (2, event_source_mapping),
    "aws_lambda_function_event_invoke_config": (2, event_invoke_config),
    "aws_lambda_provisioned_concurrency_config": (2, provisioned_concurrency),
    "aws_cloudwatch_event_target": (2, event_target),
    "aws_scheduler_schedule": (2, scheduler_schedule),
    "aws_sns_topic_subscription": (2, sns_subscription),
    "aws_cloudwatch_log_subscription_filter": (2, log_subscription),
    "aws_iam_role_policy": (2, iam_role_policy),
    "aws_iam_role_policy_attachment": (2, role_policy_attachment),
    "aws_iam_role_policy_attachments_exclusive": (2, role_policy_attachments_exclusive),
    "aws_iam_policy_attachment": (2, policy_attachment),
    "aws_api_gateway_rest_api_policy": (2, rest_api_policy),
    "aws_api_gateway_method": (2, rest_method),
    "aws_api_gateway_integration": (2, rest_integration),
    "aws_api_gateway_stage": (2, rest_stage),
    "aws_api_gateway_deployment": (2, rest_deployment),
    "aws_api_gateway_method_settings": (2, method_settings),
    "aws_api_gateway_usage_plan": (2, usage_plan),
    "aws_api_gateway_base_path_mapping": (2, api_mapping),
    "aws_apigatewayv2_api_mapping": (2, api_mapping),
    "aws_apigatewayv2_integration": (2, http_integration),
    "aws_apigatewayv2_route": (2, http_route),
    "aws_apigatewayv2_stage": (2, http_stage),
    "aws_wafv2_web_acl_association": (2, waf_association),
    "aws_wafregional_web_acl_association": (2, waf_association),
    "aws_s3_bucket_policy": (2, s3_part),
    "aws_s3_bucket_public_access_block": (2, s3_part),
    "aws_s3_bucket_acl": (2, s3_part),
    "aws_s3_bucket_ownership_controls": (2, s3_part),
    "aws_s3_bucket_server_side_encryption_configuration": (2, s3_part),
    "aws_s3_bucket_website_configuration": (2, s3_part),
    "aws_s3_bucket_notification": (2, s3_part),
    "aws_s3_object": (2, s3_part),
    "aws_s3_bucket_object": (2, s3_part),
    "aws_sqs_queue_policy": (2, queue_policy),
    "aws_sns_topic_policy": (2, queue_policy),
    "aws_secretsmanager_secret_version": (2, secret_version),
    "aws_cloudwatch_log_group": (0, log_group),
    "aws_cloudwatch_metric_alarm": (2, alarm),
    "aws_budgets_budget": (2, budget),
    "aws_cloudtrail": (2, trail),
    "aws_cognito_user_pool": (2, user_pool),
    "aws_cognito_user_pool_client": (2, user_pool_client),
    "aws_cognito_identity_pool": (2, identity_pool),
}


def settle(b: TfBuilder) -> None:
    """Links that need every resource: methods and their integrations, stages, URLs, log groups."""
    _settle_rest_methods(b)
    _settle_http_routes(b)
    _settle_method_settings(b)
    for draft in b.stage_drafts.values():
        api = b.apis.get(draft.api)
        if api is None:
            continue
        name = draft.name if isinstance(draft.name, (str, Unknown)) else "?"
        api.stages[str(name) if isinstance(name, str) else f"?{len(api.stages)}"] = Stage(
            name,
            draft.source,
            tracing=draft.tracing if isinstance(draft.tracing, (bool, Unknown)) else False,
            access_logging=draft.access_logging
            if isinstance(draft.access_logging, (bool, Unknown))
            else False,
            throttle=draft.throttle,
            route_throttles=dict(draft.route_throttles or {}),
            props=dict(draft.props or {}),
        )
    for fid, url in b.pending_urls:
        fn = b.functions.get(fid)
        if fn is None:
            continue
        fn["url"] = url
        fn["props"].setdefault("FunctionUrlConfig", url.source)
        public = url.auth_type == "NONE" if isinstance(url.auth_type, str) else url.auth_type
        b.triggers.append(Trigger(TriggerKind.FUNCTION_URL, fid, url.loc("AuthType"), fid, public=public))
    for fid, dest in b.pending_on_failure:
        if fid in b.functions:
            b.functions[fid]["on_failure"] = dest
    for api_id, body, rel in b.pending_specs:
        routes_from_spec(b, api_id, body, rel)
    from faasguard.loaders.cfn_resources import _custom_domain

    b.domains = [_custom_domain(b, draft) for draft in b.domain_drafts.values()]
    if b.client_writes:
        from dataclasses import replace

        writes: dict[str, list[tuple[str, str, SourceRef]]] = {}
        for pool, client, attr, where in b.client_writes:
            writes.setdefault(pool, []).append((client, attr, where))
        b.user_pools = [
            replace(p, client_write_attributes=tuple(writes.get(p.id, ()))) if p.id in writes else p
            for p in b.user_pools
        ]
    _link_log_groups(b)


def _link_log_groups(b: TfBuilder) -> None:
    """A log group belongs to a function when named /aws/lambda/<function name> (written out or as
    a reference to the function's name) or named by the function's logging_config."""
    from dataclasses import replace

    by_name: dict[str, str] = {}
    for fid, fn in b.functions.items():
        for attr in ("function_name", "id"):
            by_name["/aws/lambda/${" + fid + "." + attr + "}"] = fid
        if isinstance(fn.get("name"), str):
            by_name["/aws/lambda/" + fn["name"]] = fid
    by_ref: dict[str, str] = {}
    for fid, fn in b.functions.items():
        ref = fn.pop("_log_group_ref", None)
        if ref is None:
            continue
        addr = target_of(ref)
        if addr is not None:
            by_ref[addr] = fid
        elif isinstance(ref, str):
            by_name.setdefault(str(ref), fid)
    linked: dict[str, str] = {}
    for i, group in enumerate(b.log_groups):
        owner = by_ref.get(group.id)
        if owner is None and isinstance(group.name, str):
            owner = by_name.get(group.name)
        if owner is not None:
            b.log_groups[i] = replace(group, function=owner)
            linked[owner] = group.id
    for fid, group_id in linked.items():
        b.functions[fid]["log_group"] = group_id


__all__ = ["CFN_TYPES", "HANDLERS", "TfBuilder", "cfn_type", "index_names", "settle"]
