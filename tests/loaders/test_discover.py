"""Discovery: which files under a root become loader candidates, and which become errors.

Every test builds its own small tree in tmp_path and compares exact lists, so a file found by
accident or lost by a filter shows up by name.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Mapping
from pathlib import Path

import pathspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import faasguard.loaders.discover as discover_module
from faasguard.limits import Limits
from faasguard.loaders import reader
from faasguard.loaders.discover import Candidate, Discovery, _Rules, discover, is_template_like
from faasguard.loaders.reader import ReadFailure

SAM_WITH_VERSION = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
"""
SAM_WITHOUT_VERSION = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
"""
PLAIN_CFN = """\
Resources:
  Bucket:
    Type: AWS::S3::Bucket
"""
JSON_CFN = json.dumps({"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}, indent=2)
SERVERLESS_YML = """\
service: orders
provider:
  name: aws
resources:
  Resources:
    Table:
      Type: AWS::DynamoDB::Table
"""


def build(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def found(result: Discovery) -> list[tuple[str, str, str]]:
    return [(c.kind, c.rel, c.app_root) for c in result.candidates]


def errors(result: Discovery) -> list[tuple[str, str]]:
    return [(e.path, e.kind) for e in result.errors]


def discover_within(root: Path, seconds: float = 20.0) -> Discovery:
    """Run discover in a thread so a hang fails the test instead of stalling the suite."""
    box: list[Discovery] = []
    worker = threading.Thread(target=lambda: box.append(discover(root)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "discover did not finish"
    return box[0]


# --- CloudFormation and SAM ---------------------------------------------------------------------


def test_sam_and_cloudformation_templates(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "template.yaml": SAM_WITH_VERSION,
            "services/orders/template.yml": SAM_WITHOUT_VERSION,
            "stacks/bucket.yaml": PLAIN_CFN,
            "stacks/queue.json": JSON_CFN,
            "stacks/legacy.template": PLAIN_CFN,
            "config/settings.yaml": "log_level: debug\n",
            "docs/notes.yaml": "Resources are listed in the AWS:: docs\n",  # both words, no resource type
            "README.md": PLAIN_CFN,
        },
    )
    result = discover(tmp_path)
    assert found(result) == [
        ("cloudformation", "services/orders/template.yml", "services/orders"),
        ("cloudformation", "stacks/bucket.yaml", "stacks"),
        ("cloudformation", "stacks/legacy.template", "stacks"),
        ("cloudformation", "stacks/queue.json", "stacks"),
        ("cloudformation", "template.yaml", "."),
    ]
    assert result.errors == []
    assert result.files_seen == 8
    for candidate in result.candidates:
        assert candidate.path == tmp_path.resolve() / candidate.rel
        assert candidate.path.is_absolute()


def test_known_non_templates_are_not_read(tmp_path: Path) -> None:
    # Each of these mentions AWS:: resources but is a tool's own file, never a template.
    names = [
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        "tsconfig.build.json",
        "composer.json",
        "cdk.json",
        "cdk.context.json",
        "tree.json",
        "manifest.json",
        "Stack.assets.json",
        ".eslintrc.json",
        "samconfig.yaml",
    ]
    build(tmp_path, {name: JSON_CFN for name in names} | {"openapi.yaml": PLAIN_CFN})
    assert found(discover(tmp_path)) == [("cloudformation", "openapi.yaml", ".")]


def test_service_model_mentioning_aws_types_is_not_a_template(tmp_path: Path) -> None:
    model = json.dumps({"shapes": {"Resources": {"documentation": "A list of AWS::EC2::Instance ids"}}})
    build(tmp_path, {"data/service-2.json": model})
    assert found(discover(tmp_path)) == []


# --- CDK ----------------------------------------------------------------------------------------


def test_cdk_cloud_assembly(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "infra/cdk.json": '{"app": "npx ts-node bin/app.ts"}',
            # cdk.out is gitignored in nearly every CDK project; its templates are still read.
            "infra/.gitignore": "cdk.out\n*.js\n",
            "infra/cdk.out/OrdersStack.template.json": JSON_CFN,
            "infra/cdk.out/OrdersStack.assets.json": JSON_CFN,
            "infra/cdk.out/manifest.json": JSON_CFN,
            "infra/cdk.out/tree.json": JSON_CFN,
            "infra/cdk.out/cdk.out": '{"version": "36.0.0"}',
            "infra/cdk.out/assembly-Prod/ProdOrdersStack.template.json": JSON_CFN,
            # Asset folders hold bundled copies of sources, including their templates.
            "infra/cdk.out/asset.3f2a9c/template.yaml": SAM_WITH_VERSION,
            "infra/cdk.out/asset.3f2a9c/Nested.template.json": JSON_CFN,
            "infra/cdk.out/extra.yaml": PLAIN_CFN,  # not a *.template.json: CDK bookkeeping
        },
    )
    result = discover(tmp_path)
    assert found(result) == [
        ("cdk", "infra/cdk.out/OrdersStack.template.json", "infra"),
        ("cdk", "infra/cdk.out/assembly-Prod/ProdOrdersStack.template.json", "infra"),
    ]
    assert result.errors == []


def test_cdk_out_at_root_and_user_exclude(tmp_path: Path) -> None:
    build(tmp_path, {"cdk.out/App.template.json": JSON_CFN})
    assert found(discover(tmp_path)) == [("cdk", "cdk.out/App.template.json", ".")]
    # The user's own excludes do apply to cdk.out.
    assert found(discover(tmp_path, exclude=["cdk.out"])) == []


# --- skipped folders ----------------------------------------------------------------------------


def test_dependency_build_and_tool_folders_are_skipped(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "template.yaml": SAM_WITH_VERSION,
            "node_modules/some-lib/template.yaml": SAM_WITH_VERSION,
            "fn/node_modules/other/serverless.yml": SERVERLESS_YML,
            ".aws-sam/build/template.yaml": SAM_WITH_VERSION,
            ".serverless/cloudformation-template-update-stack.json": JSON_CFN,
            ".terraform/modules/vpc/main.tf": "",
            ".git/template.yaml": SAM_WITH_VERSION,
            ".venv/lib/python3.11/site-packages/x/template.yaml": SAM_WITH_VERSION,
            "venv/template.yaml": SAM_WITH_VERSION,
            "__pycache__/template.yaml": SAM_WITH_VERSION,
            ".tox/py311/template.yaml": SAM_WITH_VERSION,
            ".mypy_cache/template.yaml": SAM_WITH_VERSION,
            # A virtualenv is known by its pyvenv.cfg, whatever its name.
            "pyenv-3.11/pyvenv.cfg": "home = /usr/bin\n",
            "pyenv-3.11/lib/template.yaml": SAM_WITH_VERSION,
            # `pip install --target` output (a Lambda layer): its package folders are skipped.
            "layer/python/boto3-1.34.0.dist-info/METADATA": "Name: boto3\n",
            "layer/python/botocore/data/cloudformation/template.yaml": SAM_WITH_VERSION,
            "layer/python/template.yaml": SAM_WITH_VERSION,
            # `env` is a common Terraform layout, so only a real virtualenv called env is skipped.
            "env/prod/main.tf": 'resource "aws_s3_bucket" "b" {}\n',
        },
    )
    result = discover(tmp_path)
    assert found(result) == [
        ("terraform", "env/prod", "env/prod"),
        ("cloudformation", "layer/python/template.yaml", "layer/python"),
        ("cloudformation", "template.yaml", "."),
    ]
    assert result.errors == []


# --- ignores ------------------------------------------------------------------------------------


def test_nested_gitignore_files(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            ".gitignore": "# build output\nbuild/\n*.generated.yaml\n",
            "template.yaml": SAM_WITH_VERSION,
            "build/template.yaml": SAM_WITH_VERSION,
            "x.generated.yaml": PLAIN_CFN,
            "svc/.gitignore": "!keep.generated.yaml\n/local.yaml\n",
            "svc/keep.generated.yaml": PLAIN_CFN,  # re-included by the deeper .gitignore
            "svc/drop.generated.yaml": PLAIN_CFN,  # still ignored by the root one
            "svc/local.yaml": PLAIN_CFN,  # anchored to svc/
            "svc/sub/local.yaml": PLAIN_CFN,  # not matched by /local.yaml in svc/
            "other/local.yaml": PLAIN_CFN,  # svc's rules do not reach siblings
            "other/build/template.yaml": SAM_WITH_VERSION,  # build/ matches at any depth
        },
    )
    assert found(discover(tmp_path)) == [
        ("cloudformation", "other/local.yaml", "other"),
        ("cloudformation", "svc/keep.generated.yaml", "svc"),
        ("cloudformation", "svc/sub/local.yaml", "svc/sub"),
        ("cloudformation", "template.yaml", "."),
    ]


def test_gitignore_with_a_bad_pattern_keeps_the_good_ones(tmp_path: Path) -> None:
    build(tmp_path, {".gitignore": "\\\nignored.yaml\n", "ignored.yaml": PLAIN_CFN, "kept.yaml": PLAIN_CFN})
    assert found(discover(tmp_path)) == [("cloudformation", "kept.yaml", ".")]


def test_exclude_globs(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "template.yaml": SAM_WITH_VERSION,
            "tests/fixtures/template.yaml": SAM_WITH_VERSION,
            "examples/a.sample.yaml": PLAIN_CFN,
            "legacy/serverless.yml": SERVERLESS_YML,
            "apps/legacy/template.yaml": SAM_WITH_VERSION,
            "apps/new/template.yaml": SAM_WITH_VERSION,
        },
    )
    result = discover(tmp_path, exclude=["tests/**", "*.sample.yaml", "legacy", "./apps/new/"])
    assert found(result) == [("cloudformation", "template.yaml", ".")]


# --- bad input ----------------------------------------------------------------------------------


def test_oversized_files(tmp_path: Path) -> None:
    padding = "# " + "x" * 400 + "\n"
    build(
        tmp_path,
        {
            "template.yaml": PLAIN_CFN + padding,  # template-like name
            "stacks/big.yaml": PLAIN_CFN + padding,  # AWS:: in its head
            "notes/big.yaml": padding + padding,  # neither: skipped silently
            "stacks/small.yaml": PLAIN_CFN,
            "serverless.yml": SERVERLESS_YML + padding,
        },
    )
    result = discover(tmp_path, limits=Limits(max_file_bytes=300))
    assert found(result) == [("cloudformation", "stacks/small.yaml", "stacks")]
    assert errors(result) == [
        ("serverless.yml", "bound"),
        ("stacks/big.yaml", "bound"),
        ("template.yaml", "bound"),
    ]
    assert all("max_file_bytes" in e.message for e in result.errors)


def test_binary_files(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "template.yaml": b"\x00\x01AWS::Resources\x00",
            "blob.json": b"AWS::S3::Bucket Resources Type: AWS::X \x00",  # not template-like: silent
        },
    )
    result = discover(tmp_path)
    assert found(result) == []
    assert errors(result) == [("template.yaml", "parse")]
    assert "binary file" in result.errors[0].message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_unreadable_template(tmp_path: Path) -> None:
    build(tmp_path, {"template.yaml": SAM_WITH_VERSION, "other.yaml": PLAIN_CFN})
    (tmp_path / "template.yaml").chmod(0)
    (tmp_path / "other.yaml").chmod(0)
    try:
        result = discover(tmp_path)
    finally:
        (tmp_path / "template.yaml").chmod(0o644)
        (tmp_path / "other.yaml").chmod(0o644)
    assert found(result) == []
    assert errors(result) == [("template.yaml", "io")]


def test_read_failures_reported_only_for_template_like_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path, {"template.yaml": SAM_WITH_VERSION, "stack.yaml": PLAIN_CFN, "ok.yaml": PLAIN_CFN})
    real_read = reader.read_bytes

    def failing_read(path: Path, root: Path, limits: Limits) -> bytes:
        if path.name != "ok.yaml":
            raise ReadFailure("cannot read file: Input/output error", kind="io")
        return real_read(path, root, limits)

    monkeypatch.setattr(discover_module, "read_bytes", failing_read)
    result = discover(tmp_path)
    assert found(result) == [("cloudformation", "ok.yaml", ".")]
    assert errors(result) == [("template.yaml", "io")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_and_dangling_link_are_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "template.yaml")  # opening it would block forever
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "template.yml").symlink_to(tmp_path / "svc" / "gone.yml")
    result = discover_within(tmp_path)
    assert found(result) == []
    assert errors(result) == [("svc/template.yml", "io"), ("template.yaml", "io")]


# --- symlinks -----------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlinks_leaving_the_root(tmp_path: Path) -> None:
    outside = build(tmp_path / "outside", {"template.yaml": SAM_WITH_VERSION, "notes.txt": "hi"})
    root = build(
        tmp_path / "project", {"real/template.yaml": SAM_WITH_VERSION, ".gitignore": "hidden.yaml\n"}
    )
    (root / "linked.yaml").symlink_to(outside / "template.yaml")
    (root / "shared").symlink_to(outside, target_is_directory=True)
    (root / "notes.txt").symlink_to(outside / "notes.txt")  # could never be a candidate: silent
    (root / "hidden.yaml").symlink_to(outside / "template.yaml")  # gitignored: silent
    (root / "alias.yaml").symlink_to(root / "real" / "template.yaml")  # stays inside: read
    (root / "real-dir").symlink_to(root / "real", target_is_directory=True)  # inside: not followed
    result = discover(root)
    assert found(result) == [
        ("cloudformation", "alias.yaml", "."),
        ("cloudformation", "real/template.yaml", "real"),
    ]
    assert errors(result) == [("linked.yaml", "outside-root"), ("shared", "outside-root")]
    assert all("outside the scanned folder" in e.message for e in result.errors)


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlink_loops_end(tmp_path: Path) -> None:
    build(tmp_path, {"app/template.yaml": SAM_WITH_VERSION})
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    (tmp_path / "template.yaml").symlink_to(tmp_path / "template.yaml")
    (tmp_path / "app" / "again").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "self").symlink_to(".")
    result = discover_within(tmp_path)
    assert found(result) == [("cloudformation", "app/template.yaml", "app")]
    assert errors(result) == [("template.yaml", "io")]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_root_reached_through_a_symlink(tmp_path: Path) -> None:
    build(tmp_path / "real", {"template.yaml": SAM_WITH_VERSION})
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    result = discover(tmp_path / "link")
    assert found(result) == [("cloudformation", "template.yaml", ".")]
    assert result.candidates[0].path == (tmp_path / "real" / "template.yaml").resolve()


# --- Serverless Framework, Chalice, Terraform ---------------------------------------------------


def test_serverless_files(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "orders/serverless.yml": SERVERLESS_YML,  # has Resources/AWS:: but is its own kind
            "users/serverless.yaml": "service: users\n",
            "billing/serverless.json": '{"service": "billing"}',
            "ts-app/serverless.ts": "export default {service: 'ts'}\n",
            "js-app/serverless.js": "module.exports = {service: 'js'}\n",
        },
    )
    result = discover(tmp_path)
    assert found(result) == [
        ("serverless", "billing/serverless.json", "billing"),
        ("serverless-ts", "js-app/serverless.js", "js-app"),
        ("serverless", "orders/serverless.yml", "orders"),
        ("serverless-ts", "ts-app/serverless.ts", "ts-app"),
        ("serverless", "users/serverless.yaml", "users"),
    ]
    assert result.errors == []


def test_chalice_project(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "api/app.py": "from chalice import Chalice\napp = Chalice(app_name='api')\n",
            "api/.chalice/config.json": '{"version": "2.0", "app_name": "api"}',
            "api/.chalice/deployed/dev.json": '{"resources": []}',
            "orphan/.chalice/config.json": '{"version": "2.0"}',  # no app.py beside it
        },
    )
    assert found(discover(tmp_path)) == [("chalice", "api/.chalice/config.json", "api")]


def test_terraform_folders(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "main.tf": 'provider "aws" {}\n',
            "infra/main.tf": 'module "vpc" { source = "./modules/vpc" }\n',
            "infra/variables.tf": 'variable "region" {}\n',
            "infra/terraform.tfvars": 'region = "eu-west-1"\n',
            "infra/modules/vpc/main.tf.json": '{"resource": {}}',
            "infra/.terraform/modules/remote/main.tf": "",
            "docs/readme.md": "no terraform here\n",
        },
    )
    result = discover(tmp_path)
    assert found(result) == [
        ("terraform", ".", "."),
        ("terraform", "infra", "infra"),
        ("terraform", "infra/modules/vpc", "infra/modules/vpc"),
    ]
    assert result.candidates[0].path == tmp_path.resolve()


# --- bounds and odd roots -----------------------------------------------------------------------


def test_max_files(tmp_path: Path) -> None:
    build(tmp_path, {f"f{i:02d}.txt": "x" for i in range(10)} | {"zz/template.yaml": SAM_WITH_VERSION})
    result = discover(tmp_path, limits=Limits(max_files=5))
    assert found(result) == []
    assert errors(result) == [(".", "bound")]
    assert "max_files" in result.errors[0].message
    assert result.files_seen == 5
    # Exactly at the bound is fine.
    exact = discover(tmp_path, limits=Limits(max_files=11))
    assert found(exact) == [("cloudformation", "zz/template.yaml", "zz")]
    assert exact.errors == []
    assert exact.files_seen == 11


def test_root_given_as_a_file(tmp_path: Path) -> None:
    build(tmp_path, {"stack.yaml": PLAIN_CFN, "notes.txt": "hello"})
    result = discover(tmp_path / "stack.yaml")
    assert found(result) == [("cloudformation", "stack.yaml", ".")]
    other = discover(tmp_path / "notes.txt")
    assert found(other) == []
    assert errors(other) == [("notes.txt", "unsupported")]


def test_missing_root(tmp_path: Path) -> None:
    result = discover(tmp_path / "nope")
    assert found(result) == []
    assert errors(result) == [(".", "io")]


def test_candidate_is_frozen(tmp_path: Path) -> None:
    candidate = Candidate("cloudformation", tmp_path, "template.yaml", ".")
    with pytest.raises(AttributeError):
        candidate.kind = "cdk"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("template.yaml", True),
        ("Template.YML", True),
        ("template.json", True),
        ("Orders.template.json", True),
        ("serverless.yml", True),
        ("stack.yaml", False),
        ("package.json", False),
    ],
)
def test_template_like_names(name: str, expected: bool) -> None:
    assert is_template_like(name) is expected


# --- the gitignore shortcut agrees with pathspec ------------------------------------------------

_PIECES = ["a", "b", "build", "*", "**", "?", "[ab]", ".", "x.yaml", "-", "\\*"]
_pattern = st.tuples(
    st.sampled_from(["", "!", "/"]),
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=4),
    st.sampled_from(["", "/"]),
    st.booleans(),
).map(lambda t: t[0] + ("/" if t[3] else "").join(t[1]) + t[2])
_path = st.tuples(
    st.lists(st.sampled_from(["a", "b", "build", "ab", "x.yaml", "a.b", "*"]), min_size=1, max_size=4),
    st.booleans(),
).map(lambda t: "/".join(t[0]) + ("/" if t[1] else ""))


@settings(max_examples=400, deadline=None)
@given(st.lists(_pattern, min_size=1, max_size=5), _path)
def test_rules_shortcut_matches_pathspec(lines: list[str], path: str) -> None:
    try:
        reference = pathspec.GitIgnoreSpec.from_lines(lines)
    except ValueError:
        return  # a pattern pathspec rejects; the per-line fallback is tested above
    expected = reference.check_file(path).include
    assert _Rules(lines, {}).verdict(path) == (None if expected is None else bool(expected))


def test_chalice_sample_config_when_config_json_is_not_committed(tmp_path: Path) -> None:
    # Repositories often commit .chalice/config-sample.json and keep config.json out of git.
    for name in ("sample", "real"):
        (tmp_path / name / ".chalice").mkdir(parents=True)
        (tmp_path / name / "app.py").write_text("from chalice import Chalice\napp = Chalice(app_name='a')\n")
        (tmp_path / name / ".chalice" / "config-sample.json").write_text('{"version": "2.0"}')
        (tmp_path / name / ".chalice" / "config.example.json").write_text('{"version": "2.0"}')
    (tmp_path / "real" / ".chalice" / "config.json").write_text('{"version": "2.0"}')
    found = [(c.kind, c.rel) for c in discover(tmp_path).candidates]
    assert found == [
        ("chalice", "real/.chalice/config.json"),
        ("chalice", "sample/.chalice/config-sample.json"),
    ]
