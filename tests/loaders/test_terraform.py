"""The Terraform loader: parsing with lines, static evaluation, modules, resources into the model."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from faasguard.api import ScanOptions, scan
from faasguard.loaders.cloudformation import LoadOptions
from faasguard.loaders.terraform import load_folder
from faasguard.loaders.tf_hcl import Lit, Tmpl, parse_hcl
from faasguard.model import Application, AuthKind, SourceRef, TriggerKind, Unknown


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


def load(root: Path, folder: str = ".", **options: object) -> tuple[Application, list[str]]:
    apps, errors = load_folder(root.resolve(), folder, folder, LoadOptions({}, **options))  # type: ignore[arg-type]
    assert len(apps) == 1, errors
    return apps[0], [f"{e.kind}:{e.path}:{e.line}:{e.message}" for e in errors]


FN = """
resource "aws_lambda_function" "fn" {
  function_name = "orders"
  filename      = "fn.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/x"
}
"""


# --- parsing ---------------------------------------------------------------------------------------


def test_attribute_and_block_lines() -> None:
    body = parse_hcl(
        textwrap.dedent(
            """\
            resource "aws_lambda_function" "fn" {
              timeout = 30

              environment {
                variables = {
                  A = "x"
                }
              }
              policy = <<-EOT
                {"a": "${aws_iam_role.r.arn}"}
              EOT
            }
            """
        ),
        "main.tf",
    )
    block = body.blocks[0]
    assert (block.type, block.labels, block.line, block.end_line) == (
        "resource",
        ["aws_lambda_function", "fn"],
        1,
        12,
    )
    assert block.body.attrs["timeout"].line == 2
    env = block.body.blocks[0]
    assert (env.type, env.line, env.end_line) == ("environment", 4, 8)
    policy = block.body.attrs["policy"]
    assert (policy.line, policy.end_line) == (9, 11)
    assert isinstance(policy.expr, Tmpl) and policy.expr.line == 10


def test_heredoc_marker_with_trailing_spaces() -> None:
    body = parse_hcl('a = <<EOF\n{"x": 1}\nEOF   \nb = 2\n', "main.tf")
    assert isinstance(body.attrs["b"].expr, Lit) and body.attrs["b"].line == 4


def test_parse_error_reports_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": FN, "broken.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n'})
    result = scan(tmp_path, ScanOptions(use_config=False))
    assert [(e.path, e.line, e.kind) for e in result.errors] == [("broken.tf", 2, "parse")]
    assert result.coverage.functions == 1


def test_tf_json(tmp_path: Path) -> None:
    doc = {
        "variable": {"name": {"default": "orders"}},
        "resource": {
            "aws_lambda_function": {
                "fn": {
                    "function_name": "${var.name}",
                    "filename": "fn.zip",
                    "handler": "app.handler",
                    "runtime": "python3.13",
                    "role": "${aws_iam_role.r.arn}",
                    "tracing_config": {"mode": "Active"},
                }
            },
            "aws_iam_role": {"r": {"name": "r", "assume_role_policy": "{}"}},
        },
    }
    (tmp_path / "main.tf.json").write_text(json.dumps(doc, indent=2))
    app, errors = load(tmp_path)
    fn = app.functions[0]
    assert errors == []
    assert (fn.id, fn.name, fn.role, fn.tracing) == (
        "aws_lambda_function.fn",
        "orders",
        "aws_iam_role.r",
        True,
    )
    assert fn.loc("Runtime") == SourceRef("main.tf.json", 13, 13)


# --- values ----------------------------------------------------------------------------------------


def test_variable_precedence(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
            variable "a" { default = "default" }
            variable "b" { default = "default" }
            variable "c" { default = "default" }
            variable "d" { default = "default" }
            variable "timeout" {
              type    = number
              default = 3
            }
            resource "aws_lambda_function" "fn" {
              function_name = "${var.a}-${var.b}-${var.c}-${var.d}"
              filename      = "fn.zip"
              handler       = "app.handler"
              runtime       = "python3.13"
              role          = "arn:aws:iam::123456789012:role/x"
              timeout       = var.timeout
            }
            """,
            "terraform.tfvars": 'a = "tfvars"\nb = "tfvars"\nc = "tfvars"\n',
            "x.auto.tfvars": 'b = "auto"\nc = "auto"\n',
            "prod.tfvars": 'c = "file"\ntimeout = 20\n',
        },
    )
    app, _ = load(tmp_path, var_files=(str(tmp_path / "prod.tfvars"),), variables={"d": "cli"})
    fn = app.functions[0]
    assert fn.name == "tfvars-auto-file-cli"
    assert fn.timeout == 20


def test_locals_functions_and_templates(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
            locals {
              env    = { stage = "prod", suffix = null }
              name   = format("%s-%s", "orders", local.env.stage)
              parts  = split(",", "a,b")
              merged = merge({ A = "1" }, { B = "2" }, { for k in local.parts : upper(k) => k })
              pick   = try(local.env.missing, "fallback")
              cfg    = jsondecode(file("${path.module}/config.json"))
              tpl    = templatefile("${path.module}/env.tftpl", { items = ["x", "y"] })
            }
            resource "aws_lambda_function" "fn" {
              function_name = local.name
              filename      = "fn.zip"
              handler       = "app.handler"
              runtime       = local.cfg.runtime
              role          = "arn:aws:iam::123456789012:role/x"
              environment {
                variables = merge(local.merged, {
                  PICK  = local.pick
                  JOIN  = join("/", local.parts)
                  TPL   = local.tpl
                  COUNT = length(local.parts) * 2
                  COAL  = coalesce(local.env.suffix, "none")
                })
              }
            }
            """,
            "config.json": '{"runtime": "nodejs22.x"}',
            "env.tftpl": "%{ for i in items }[${i}]%{ endfor }",
        },
    )
    app, errors = load(tmp_path)
    fn = app.functions[0]
    assert errors == []
    assert (fn.name, fn.runtime) == ("orders-prod", "nodejs22.x")
    env = {v.name: v.value for v in fn.environment}
    assert env == {
        "A": "a",  # merge(): later maps win
        "B": "b",
        "PICK": "fallback",
        "JOIN": "a/b",
        "TPL": "[x][y]",
        "COUNT": 4,
        "COAL": "none",
    }
    # Variables merged in from locals keep the line where they are written.
    where = {v.name: v.source.line for v in fn.environment}
    assert where["A"] == 5 and where["PICK"] == 18


def test_unknowns_are_never_guesses(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
            variable "runtime" {}
            data "aws_caller_identity" "me" {}
            resource "aws_lambda_function" "fn" {
              function_name = "orders-${terraform.workspace}"
              filename      = "fn.zip"
              handler       = "app.handler"
              runtime       = var.runtime
              role          = "arn:aws:iam::${data.aws_caller_identity.me.account_id}:role/x"
              timeout       = data.aws_caller_identity.me.account_id == "1" ? 10 : 20
            }
            """
        },
    )
    app, _ = load(tmp_path)
    fn = app.functions[0]
    assert isinstance(fn.runtime, Unknown)
    assert isinstance(fn.name, Unknown)
    assert isinstance(fn.timeout, Unknown)
    assert isinstance(fn.role, Unknown)  # a role defined outside the configuration
    assert app.unknowns >= 3


def test_count_and_for_each_one_element_stands_for_all(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
            variable "enabled" { default = false }
            locals {
              fns = {
                a = { runtime = "python3.13", handler = "a.handler" }
                b = { runtime = "python3.13", handler = "b.handler" }
              }
            }
            resource "aws_lambda_function" "each" {
              for_each      = local.fns
              function_name = "fn-${each.key}"
              filename      = "fn.zip"
              handler       = each.value.handler
              runtime       = each.value.runtime
              role          = "arn:aws:iam::123456789012:role/x"
            }
            resource "aws_lambda_function" "off" {
              count         = var.enabled ? 1 : 0
              function_name = "off"
              filename      = "fn.zip"
              handler       = "app.handler"
              runtime       = "python3.13"
              role          = "arn:aws:iam::123456789012:role/x"
            }
            resource "aws_lambda_function" "many" {
              count         = 3
              function_name = "many-${count.index}"
              filename      = "fn.zip"
              handler       = "app.handler"
              runtime       = "python3.13"
              role          = "arn:aws:iam::123456789012:role/x"
            }
            resource "aws_lambda_function_url" "many" {
              count              = 3
              function_name      = aws_lambda_function.many[count.index].function_name
              authorization_type = "NONE"
            }
            """
        },
    )
    app, _ = load(tmp_path)
    fns = {f.id: f for f in app.functions}
    assert set(fns) == {"aws_lambda_function.each", "aws_lambda_function.many"}
    each = fns["aws_lambda_function.each"]
    assert each.runtime == "python3.13"  # every element agrees
    assert isinstance(each.handler, Unknown) and isinstance(each.name, Unknown)
    assert fns["aws_lambda_function.many"].url is not None


def test_dynamic_blocks_and_policy_documents(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
            locals {
              buckets = ["a", "b"]
            }
            data "aws_iam_policy_document" "base" {
              statement {
                sid       = "Logs"
                actions   = ["logs:PutLogEvents"]
                resources = ["*"]
              }
            }
            data "aws_iam_policy_document" "fn" {
              source_policy_documents   = [data.aws_iam_policy_document.base.json]
              override_policy_documents = [jsonencode({
                Statement = [{ Sid = "Logs", Effect = "Deny", Action = "logs:*", Resource = "*" }]
              })]
              dynamic "statement" {
                for_each = local.buckets
                iterator = b
                content {
                  not_actions   = ["s3:DeleteObject"]
                  not_resources = ["arn:aws:s3:::${b.value}"]
                  condition {
                    test     = "StringEquals"
                    variable = "aws:PrincipalAccount"
                    values   = ["123456789012"]
                  }
                }
              }
            }
            resource "aws_iam_role" "r" {
              name               = "r"
              assume_role_policy = "{}"
            }
            resource "aws_iam_role_policy" "p" {
              role   = aws_iam_role.r.name
              policy = data.aws_iam_policy_document.fn.json
            }
            """
        },
    )
    app, _ = load(tmp_path)
    role = app.roles[0]
    statements = [st for _, st in role.statements()]
    assert [(st.sid, st.effect) for st in statements] == [("Logs", "Deny"), (None, "Allow"), (None, "Allow")]
    deny, first, second = statements
    assert deny.loc("Action") == SourceRef("main.tf", 14, 14)
    assert first.not_actions == ("s3:DeleteObject",) and first.not_resources == ("arn:aws:s3:::a",)
    assert second.not_resources == ("arn:aws:s3:::b",)
    assert first.conditions == {"StringEquals": {"aws:PrincipalAccount": ["123456789012"]}}
    assert first.loc("NotAction") == SourceRef("main.tf", 20, 20)


def test_heredoc_and_file_policies_keep_their_lines(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
            resource "aws_iam_role" "r" {
              name = "r"
              assume_role_policy = <<EOF
            {
              "Statement": [
                {"Effect": "Allow", "Action": "sts:AssumeRole",
                 "Principal": {"Service": "lambda.amazonaws.com"}}
              ]
            }
            EOF
            }
            resource "aws_iam_policy" "p" {
              name   = "p"
              policy = file("${path.module}/policy.json")
            }
            resource "aws_iam_role_policy_attachment" "a" {
              role       = aws_iam_role.r.name
              policy_arn = aws_iam_policy.p.arn
            }
            """,
            "policy.json": (
                '{\n  "Statement": [\n    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}\n  ]\n}\n'
            ),
        },
    )
    app, _ = load(tmp_path)
    role = app.roles[0]
    assert role.trust is not None
    assert role.trust.statements[0].loc("Principal") == SourceRef("main.tf", 7, 7)
    policy, st = next(role.statements())
    assert policy.origin == "managed-resource"
    assert st.loc("Action") == SourceRef("policy.json", 3, 3)
    assert "policy.json" in app.files


# --- modules ---------------------------------------------------------------------------------------

MODULE = """
variable "name" {}
variable "timeout" { default = 3 }
resource "aws_lambda_function" "this" {
  function_name = var.name
  filename      = "fn.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = aws_iam_role.this.arn
  timeout       = var.timeout
}
resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = "{}"
}
output "function_name" { value = aws_lambda_function.this.function_name }
output "arn" { value = aws_lambda_function.this.arn }
"""


def test_local_module_inputs_outputs_and_locations(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app/main.tf": """
            module "orders" {
              source  = "../modules/fn"
              name    = "orders"
              timeout = 40
            }
            resource "aws_lambda_function_url" "orders" {
              function_name      = module.orders.function_name
              authorization_type = "NONE"
            }
            """,
            "modules/fn/main.tf": MODULE,
        },
    )
    result = scan(tmp_path, ScanOptions(use_config=False, select=frozenset({"FG-AUTH-003", "FG-DOW-004"})))
    assert result.applications == ["app"]  # modules/fn is only a module
    app, errors = load(tmp_path, "app")
    fn = app.functions[0]
    assert errors == []
    assert (fn.id, fn.name, fn.timeout, fn.role) == (
        "module.orders.aws_lambda_function.this",
        "orders",
        40,
        "module.orders.aws_iam_role.this",
    )
    assert fn.source == SourceRef("modules/fn/main.tf", 3, 10)
    assert fn.url is not None and fn.url.loc("AuthType") == SourceRef("app/main.tf", 8, 8)
    assert "modules/fn/main.tf" in app.files


def test_module_called_but_also_a_root_stays_an_application(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'module "fn" {\n  source = "./fn"\n  name = "a"\n}\n',
            "fn/main.tf": MODULE,
            "fn/terraform.tfvars": 'name = "standalone"\n',
        },
    )
    result = scan(tmp_path, ScanOptions(use_config=False, select=frozenset({"FG-LOG-001"})))
    assert result.applications == [".", "fn"]


def test_registry_module_without_download_is_a_note(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
            module "lambda" {
              source        = "terraform-aws-modules/lambda/aws"
              function_name = "orders"
            }
            resource "aws_lambda_permission" "p" {
              action        = "lambda:InvokeFunction"
              function_name = module.lambda.lambda_function_name
              principal     = "*"
            }
            """
        },
    )
    app, errors = load(tmp_path)
    assert errors == [
        "unsupported:main.tf:1:module lambda (terraform-aws-modules/lambda/aws) is not downloaded "
        "(.terraform/modules): its resources and outputs are unknown"
    ]
    assert isinstance(app.permissions[0].function, Unknown)


def test_downloaded_module_from_dot_terraform(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
            module "lambda" {
              source      = "terraform-aws-modules/lambda/aws"
              name        = "orders"
              source_path = "${path.module}/src"
            }
            """,
            ".terraform/modules/lambda/main.tf": MODULE.replace(
                'filename      = "fn.zip"', "filename = null"
            ),
            ".terraform/modules/lambda/variables.tf": 'variable "source_path" { default = null }\n',
            ".terraform/modules/modules.json": json.dumps(
                {"Modules": [{"Key": "", "Dir": "."}, {"Key": "lambda", "Dir": ".terraform/modules/lambda"}]}
            ),
            "src/app.py": "def handler(event, context):\n    return {}\n",
        },
    )
    app, errors = load(tmp_path)
    fn = app.functions[0]
    assert errors == []
    assert fn.id == "module.lambda.aws_lambda_function.this"
    assert fn.source.path == ".terraform/modules/lambda/main.tf"
    assert (fn.code_uri, fn.handler_file) == ("src", "src/app.py")


# --- resources -------------------------------------------------------------------------------------


def test_handler_files_from_archives_and_objects(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
            data "archive_file" "dir" {
              type        = "zip"
              source_dir  = "${path.module}/src"
              output_path = "${path.module}/build/dir.zip"
            }
            data "archive_file" "file" {
              type        = "zip"
              source_file = "single/handler.js"
              output_path = "build/file.zip"
            }
            data "archive_file" "content" {
              type        = "zip"
              output_path = "build/content.zip"
              source {
                filename = "worker.py"
                content  = file("${path.module}/worker.py")
              }
            }
            resource "aws_s3_object" "code" {
              bucket = "code"
              key    = "dir.zip"
              source = data.archive_file.dir.output_path
            }
            resource "aws_lambda_function" "dir" {
              function_name = "dir"
              filename      = data.archive_file.dir.output_path
              handler       = "pkg.app.handler"
              runtime       = "python3.13"
              role          = "arn:aws:iam::123456789012:role/x"
            }
            resource "aws_lambda_function" "file" {
              function_name = "file"
              filename      = "build/file.zip"
              handler       = "handler.main"
              runtime       = "nodejs22.x"
              role          = "arn:aws:iam::123456789012:role/x"
            }
            resource "aws_lambda_function" "content" {
              function_name = "content"
              filename      = data.archive_file.content.output_path
              handler       = "worker.run"
              runtime       = "python3.13"
              role          = "arn:aws:iam::123456789012:role/x"
            }
            resource "aws_lambda_function" "s3" {
              function_name = "s3"
              s3_bucket     = "code"
              s3_key        = aws_s3_object.code.key
              handler       = "pkg.app.handler"
              runtime       = "python3.13"
              role          = "arn:aws:iam::123456789012:role/x"
            }
            resource "aws_lambda_function" "prebuilt" {
              function_name = "prebuilt"
              filename      = "prebuilt.zip"
              handler       = "index.handler"
              runtime       = "nodejs22.x"
              role          = "arn:aws:iam::123456789012:role/x"
            }
            """,
            "src/pkg/app.py": "def handler(e, c):\n    return 1\n",
            "single/handler.js": "exports.main = async () => 1;\n",
            "worker.py": "def run(e, c):\n    return 1\n",
        },
    )
    app, _ = load(tmp_path)
    mapped = {f.id.split(".")[-1]: (f.code_uri, f.handler_file) for f in app.functions}
    assert mapped == {
        "dir": ("src", "src/pkg/app.py"),
        "file": ("single/handler.js", "single/handler.js"),
        "content": ("worker.py", "worker.py"),
        "s3": ("src", "src/pkg/app.py"),
        "prebuilt": (None, None),
    }


def test_log_groups_link_by_name_and_logging_config(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": FN
            + """
            resource "aws_cloudwatch_log_group" "by_name" {
              name              = "/aws/lambda/${aws_lambda_function.fn.function_name}"
              retention_in_days = 7
            }
            resource "aws_lambda_function" "other" {
              function_name = "other"
              filename      = "fn.zip"
              handler       = "app.handler"
              runtime       = "python3.13"
              role          = "arn:aws:iam::123456789012:role/x"
              logging_config {
                log_format = "JSON"
                log_group  = aws_cloudwatch_log_group.custom.name
              }
            }
            resource "aws_cloudwatch_log_group" "custom" {
              name = "/custom/other"
            }
            """
        },
    )
    app, _ = load(tmp_path)
    groups = {g.id: (g.function, g.retention_days) for g in app.log_groups}
    assert groups == {
        "aws_cloudwatch_log_group.by_name": ("aws_lambda_function.fn", 7),
        "aws_cloudwatch_log_group.custom": ("aws_lambda_function.other", None),
    }
    assert {f.id: f.log_group for f in app.functions} == {
        "aws_lambda_function.fn": "aws_cloudwatch_log_group.by_name",
        "aws_lambda_function.other": "aws_cloudwatch_log_group.custom",
    }


def test_s3_split_resources_join_their_bucket(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": FN
            + """
            resource "aws_s3_bucket" "b" {
              bucket = "example-bucket"
            }
            resource "aws_s3_bucket_public_access_block" "b" {
              bucket              = aws_s3_bucket.b.id
              block_public_policy = false
            }
            resource "aws_s3_bucket_ownership_controls" "b" {
              bucket = "example-bucket"
              rule {
                object_ownership = "BucketOwnerEnforced"
              }
            }
            resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
              bucket = aws_s3_bucket.b.bucket
              rule {
                apply_server_side_encryption_by_default {
                  sse_algorithm     = "aws:kms"
                  kms_master_key_id = "arn:aws:kms:us-east-1:123456789012:key/abc"
                }
              }
            }
            resource "aws_s3_bucket_notification" "b" {
              bucket = aws_s3_bucket.b.id
              lambda_function {
                lambda_function_arn = aws_lambda_function.fn.arn
                events              = ["s3:ObjectCreated:*"]
              }
            }
            resource "aws_s3_object" "page" {
              bucket = aws_s3_bucket.b.id
              key    = "index.html"
              acl    = "public-read"
            }
            """
        },
    )
    app, _ = load(tmp_path)
    store = app.stores[0]
    assert store.public_access_block == {"BlockPublicPolicy": False}
    assert store.ownership == "BucketOwnerEnforced"
    assert store.kms_key == "arn:aws:kms:us-east-1:123456789012:key/abc"
    assert store.acl == "PublicRead" and store.loc("AccessControl").line == 41
    assert store.notifications == (("lambda", "aws_lambda_function.fn"),)
    assert [(t.kind, t.function, t.target) for t in app.triggers] == [
        (TriggerKind.S3, "aws_lambda_function.fn", "aws_s3_bucket.b")
    ]


def test_rest_api_from_openapi_body_and_http_api(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": FN
            + """
            resource "aws_api_gateway_rest_api" "spec" {
              name = "spec"
              body = templatefile("${path.module}/openapi.yaml", {
                fn_arn = aws_lambda_function.fn.invoke_arn
              })
            }
            resource "aws_apigatewayv2_api" "http" {
              name          = "http"
              protocol_type = "HTTP"
            }
            resource "aws_apigatewayv2_integration" "i" {
              api_id          = aws_apigatewayv2_api.http.id
              integration_uri = aws_lambda_function.fn.invoke_arn
            }
            resource "aws_apigatewayv2_route" "r" {
              api_id             = aws_apigatewayv2_api.http.id
              route_key          = "GET /items/{id}"
              target             = "integrations/${aws_apigatewayv2_integration.i.id}"
              authorization_type = "AWS_IAM"
            }
            resource "aws_apigatewayv2_stage" "s" {
              api_id = aws_apigatewayv2_api.http.id
              name   = "prod"
              route_settings {
                route_key             = "GET /items/{id}"
                throttling_rate_limit = 5
              }
            }
            """,
            "openapi.yaml": """
            openapi: 3.0.1
            paths:
              /orders:
                post:
                  x-amazon-apigateway-integration:
                    uri: ${fn_arn}
                    type: aws_proxy
            """,
        },
    )
    app, _ = load(tmp_path)
    routes = {(r.api, r.method, r.path): r for r in app.routes}
    spec_route = routes[("aws_api_gateway_rest_api.spec", "POST", "/orders")]
    assert spec_route.function == "aws_lambda_function.fn"
    assert spec_route.source.path == "openapi.yaml" and spec_route.source.line == 5
    http_route = routes[("aws_apigatewayv2_api.http", "GET", "/items/{id}")]
    assert http_route.auth.kind is AuthKind.IAM and http_route.function == "aws_lambda_function.fn"
    stage = next(a for a in app.apis if a.id == "aws_apigatewayv2_api.http").stages[0]
    throttle = stage.route_throttles["GET /items/{id}"]
    assert throttle.rate == 5.0


def test_file_outside_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (tmp_path / "secret.json").write_text('{"runtime": "python3.13"}')
    write(
        root,
        {
            "main.tf": FN.replace('"python3.13"', 'jsondecode(file("../secret.json")).runtime'),
        },
    )
    app, errors = load(root)
    assert isinstance(app.functions[0].runtime, Unknown)
    assert errors == ["outside-root:main.tf:5:file ../secret.json leaves the scanned folder: not read"]


def test_comment_suppression_on_a_resource(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": '# faasguard: ignore FG-LOG-001 reason="sampled elsewhere"\n' + FN.lstrip("\n"),
        },
    )
    result = scan(tmp_path, ScanOptions(use_config=False, select=frozenset({"FG-LOG-001"})))
    assert result.findings == [] and len(result.suppressed) == 1


def test_parse_cache_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from faasguard.loaders import tf_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FAASGUARD_NO_CACHE", raising=False)
    text = textwrap.dedent(
        """\
        locals {
          a = [for k, v in var.m : "${k}=${v}" if v != null]
          b = { for x in var.l : x => x... }
          c = var.x ? -1 : !var.y
          d = aws_lambda_function.fn[*].arn
          e = "%{ if var.x }yes%{ else }no%{ endif }%{ for i in var.l }${i}%{ endfor }"
          f = <<-EOT
            ${jsonencode({ a = 1.5 })}
          EOT
        }
        resource "x" "y" {
          dynamic "d" {
            for_each = var.l
            content { v = d.value }
          }
        }
        """
    )
    body = parse_hcl(text, "main.tf")
    tf_cache.store("main.tf", text, body)
    cached = tf_cache.load("main.tf", text)
    assert cached is not None and cached is not body
    assert tf_cache._enc_body(cached) == tf_cache._enc_body(body)
    assert tf_cache.load("main.tf", text + " ") is None  # another text, another entry
    monkeypatch.setenv("FAASGUARD_NO_CACHE", "1")
    assert tf_cache.load("main.tf", text) is None
