"""Serverless Framework variables: every source, fallbacks, nesting, files, cycles and bounds."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from faasguard.loaders import sls_vars
from faasguard.loaders.reader import parse_yaml
from faasguard.loaders.sls_vars import FMap, FStr, VariableResolver, file_of, split_template, split_top
from faasguard.model import Unknown


def _resolve(
    tmp_path: Path,
    text: str,
    stage: str | None = None,
    params: dict[str, str] | None = None,
    files: dict[str, str] | None = None,
) -> tuple[Any, VariableResolver]:
    for name, body in (files or {}).items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)
    (tmp_path / "serverless.yml").write_text(text)
    doc = parse_yaml(text, "serverless.yml")[0]
    resolver = VariableResolver(doc, root=tmp_path, main_rel="serverless.yml", stage=stage, params=params)
    return resolver.resolve_config(), resolver


def test_templates_split_at_serverless_variables_only() -> None:
    assert split_template("${self:a}") == [("self:a",)]
    assert split_template("a-${opt:stage, 'dev'}-b") == ["a-", ("opt:stage, 'dev'",), "-b"]
    # CloudFormation placeholders are text, not variables.
    assert split_template("arn:${AWS::Region}:${Table.Arn}") == ["arn:${AWS::Region}:${Table.Arn}"]
    assert split_template("${self:custom.${sls:stage}}") == [("self:custom.${sls:stage}",)]
    assert split_template("${self:a") == ["${self:a"]
    assert split_top("opt:stage, ${self:x, 'a,b'}, 'c'") == ["opt:stage", " ${self:x, 'a,b'}", " 'c'"]


def test_self_references_keep_types_and_nest(tmp_path: Path) -> None:
    cfg, _ = _resolve(
        tmp_path,
        """\
service: orders
custom:
  memory: 512
  flags: {tracing: true}
  tables: {dev: orders-dev, prod: orders-prod}
  table: ${self:custom.tables.${sls:stage}}
provider:
  name: aws
  memorySize: ${self:custom.memory}
  tracing: ${self:custom.flags}
  environment:
    TABLE: ${self:custom.table}
    NAME: ${self:service}-${sls:stage}-api
    ITEM: ${self:custom.list.1}
""".replace("custom:\n", "custom:\n  list: [a, b]\n"),
    )
    provider = cfg["provider"]
    assert provider["memorySize"] == 512
    assert provider["tracing"] == {"tracing": True}
    assert provider["environment"] == {"TABLE": "orders-dev", "NAME": "orders-dev-api", "ITEM": "b"}


def test_stage_from_option_provider_or_dev(tmp_path: Path) -> None:
    text = "service: s\nprovider:\n  name: aws\n  stage: ${opt:stage, 'qa'}\ncustom:\n  s: ${sls:stage}\n"
    cfg, r = _resolve(tmp_path, text)
    assert (r.stage, cfg["custom"]["s"]) == ("qa", "qa")
    cfg, r = _resolve(tmp_path, text, stage="prod")
    assert (r.stage, cfg["custom"]["s"], cfg["provider"]["stage"]) == ("prod", "prod", "prod")
    cfg, r = _resolve(tmp_path, "provider:\n  name: aws\ncustom:\n  s: ${self:provider.stage}\n")
    assert (r.stage, cfg["custom"]["s"]) == ("dev", "dev")
    # ${sls:stage} inside provider.stage cannot be known: the default stage applies.
    _, r = _resolve(tmp_path, "provider:\n  name: aws\n  stage: ${sls:stage}\n")
    assert r.stage == "dev"


def test_fallback_chains(tmp_path: Path) -> None:
    cfg, _ = _resolve(
        tmp_path,
        """\
provider:
  name: aws
  stage: dev
custom:
  a: ${opt:region, self:custom.missing, "eu-west-1"}
  b: ${env:NOT_SET, 10}
  c: ${self:custom.missing, self:provider.stage}
  d: ${opt:foo, ${self:custom.e}}
  e: deep
  f: ${env:NOT_SET, true}
  g: ${self:custom.none, ''}
""",
    )
    assert cfg["custom"] == {
        "a": "eu-west-1",
        "b": 10,
        "c": "dev",
        "d": "deep",
        "e": "deep",
        "f": True,
        "g": "",
    }


def test_env_takes_defaults_or_the_projects_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FROM_SHELL", "never-read")
    text = (
        "provider:\n  name: aws\ncustom:\n  a: ${env:FROM_SHELL, 'default'}\n"
        "  b: ${env:FROM_DOTENV}\n  c: ${env:FROM_SHELL}\n"
    )
    cfg, r = _resolve(tmp_path, text)
    assert cfg["custom"]["a"] == "default"
    assert isinstance(cfg["custom"]["c"], Unknown)
    (tmp_path / ".env").write_text("# comment\nexport FROM_DOTENV='from-file'\n")
    r.load_dotenv()
    assert r.resolve(parse_yaml("x: ${env:FROM_DOTENV}", "x")[0], "serverless.yml")["x"] == "from-file"
    assert ".env" in r.files


def test_params_per_stage_default_v4_stages_and_cli(tmp_path: Path) -> None:
    text = """\
provider:
  name: aws
params:
  default: {domain: default.example.com, size: 1}
  prod: {domain: prod.example.com}
stages:
  qa:
    params: {domain: qa.example.com}
custom:
  domain: ${param:domain}
  size: ${param:size}
"""
    assert _resolve(tmp_path, text)[0]["custom"] == {"domain": "default.example.com", "size": 1}
    assert _resolve(tmp_path, text, stage="prod")[0]["custom"]["domain"] == "prod.example.com"
    assert _resolve(tmp_path, text, stage="qa")[0]["custom"]["domain"] == "qa.example.com"
    cfg, _ = _resolve(tmp_path, text, params={"domain": "cli.example.com"})
    assert cfg["custom"]["domain"] == "cli.example.com"


def test_file_sources_yaml_json_text_and_keys(tmp_path: Path) -> None:
    cfg, r = _resolve(
        tmp_path,
        """\
provider:
  name: aws
  environment: ${file(./config/env.yml)}
custom:
  db: ${file(config/settings.json):database.host}
  stageFile: ${file(./config/${sls:stage}.yml):level}
  key: ${file(./keys/public.pem)}
""",
        files={
            "config/env.yml": "A: one\nB: ${self:custom.db}\n",
            "config/settings.json": '{"database": {"host": "db.internal"}}',
            "config/dev.yml": "level: debug\n",
            "keys/public.pem": "PUBLIC\n",
        },
    )
    env = cfg["provider"]["environment"]
    assert env == {"A": "one", "B": "db.internal"}
    assert isinstance(env, FMap) and env.file == "config/env.yml"
    assert env.key_lines["B"] == 2
    assert isinstance(env["A"], FStr) and file_of(env["A"], "x") == "config/env.yml"
    assert cfg["custom"]["db"] == "db.internal"
    assert cfg["custom"]["stageFile"] == "debug"
    assert cfg["custom"]["key"] == "PUBLIC\n"
    assert set(r.files) == {"config/env.yml", "config/settings.json", "config/dev.yml", "keys/public.pem"}


def test_file_outside_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (tmp_path / "secrets.yml").write_text("password: hunter2\n")
    cfg, r = _resolve(
        root,
        "provider:\n  name: aws\ncustom:\n  a: ${file(../secrets.yml):password}\n  b: ${file(/etc/passwd)}\n",
    )
    assert isinstance(cfg["custom"]["a"], Unknown)
    assert isinstance(cfg["custom"]["b"], Unknown)
    assert [(e[0], e[1], e[3]) for e in r.errors] == [
        ("serverless.yml", 4, "outside-root"),
        ("serverless.yml", 5, "outside-root"),
    ]


def test_file_symlink_leaving_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (tmp_path / "secret.yml").write_text("a: 1\n")
    (root / "link.yml").symlink_to(tmp_path / "secret.yml")
    cfg, r = _resolve(root, "provider:\n  name: aws\ncustom:\n  a: ${file(./link.yml):a}\n")
    assert isinstance(cfg["custom"]["a"], Unknown)
    assert [e[3] for e in r.errors] == ["outside-root"]


def test_missing_file_uses_fallback_or_is_reported(tmp_path: Path) -> None:
    cfg, r = _resolve(
        tmp_path,
        (
            "provider:\n  name: aws\ncustom:\n"
            "  a: ${file(./optional.yml), 'none'}\n"
            "  b: ${file(./secrets.yml):key}\n"
        ),
    )
    assert cfg["custom"]["a"] == "none"
    assert isinstance(cfg["custom"]["b"], Unknown)
    assert [(e[1], e[2], e[3]) for e in r.errors] == [
        (5, "${file(./secrets.yml)} names no file in the project", "io")
    ]


def test_javascript_files_and_remote_sources_stay_unknown(tmp_path: Path) -> None:
    cfg, r = _resolve(
        tmp_path,
        """\
provider:
  name: aws
custom:
  js: ${file(./config.js):values}
  ssm: ${ssm:/app/db-password}
  cf: ${cf:other-stack.TableName}
  s3: ${s3:bucket/key}
  account: ${aws:accountId}
  region: ${aws:region}
  arn: arn:aws:sqs:${aws:region}:${aws:accountId}:jobs
  mixed: prefix-${ssm:/x}
  plugin: ${construct:jobs.queueUrl}
  instance: ${sls:instanceId}
""",
        files={"config.js": "module.exports = () => { throw new Error('never run') }"},
    )
    c = cfg["custom"]
    for key in ("js", "ssm", "cf", "s3", "account", "mixed", "plugin", "instance"):
        assert isinstance(c[key], Unknown), key
    assert "JavaScript" in c["js"].reason
    assert c["region"] == "us-east-1"
    assert c["arn"] == "arn:aws:sqs:us-east-1:${AWS::AccountId}:jobs"
    assert r.files == []  # the .js file is not even read


def test_str_to_bool(tmp_path: Path) -> None:
    cfg, _ = _resolve(
        tmp_path,
        (
            "provider:\n  name: aws\ncustom:\n  yes_: ${strToBool(true)}\n"
            "  no_: ${strToBool(${self:custom.zero})}\n  zero: '0'\n"
        ),
    )
    assert (cfg["custom"]["yes_"], cfg["custom"]["no_"]) == (True, False)


def test_cycles_are_detected(tmp_path: Path) -> None:
    cfg, r = _resolve(
        tmp_path,
        (
            "provider:\n  name: aws\ncustom:\n  a: ${self:custom.b}\n"
            "  b: ${self:custom.a}\n  c: x-${self:custom.c}\n"
        ),
        files={"loop.yml": "v: ${file(./loop.yml):v}\n"},
    )
    assert isinstance(cfg["custom"]["a"], Unknown)
    assert isinstance(cfg["custom"]["c"], Unknown)
    assert any("circular" in e[2] for e in r.errors)
    cfg2, r2 = _resolve(tmp_path, "provider:\n  name: aws\ncustom:\n  v: ${file(./loop.yml):v}\n")
    assert isinstance(cfg2["custom"]["v"], Unknown)
    assert any("circular" in e[2] for e in r2.errors)


def test_exponential_strings_stop_at_a_bound(tmp_path: Path) -> None:
    lines = ["provider:\n  name: aws\ncustom:\n  x0: abcdefghij\n"]
    for i in range(1, 40):
        lines.append(f"  x{i}: ${{self:custom.x{i - 1}}}${{self:custom.x{i - 1}}}\n")
    start = time.monotonic()
    cfg, r = _resolve(tmp_path, "".join(lines))
    assert time.monotonic() - start < 5
    assert isinstance(cfg["custom"]["x39"], Unknown)
    assert [e[3] for e in r.errors] == ["bound"]


def test_deep_variable_chains_stop_at_the_nesting_bound(tmp_path: Path) -> None:
    n = sls_vars.MAX_NESTING + 10
    # v0 -> v1 -> ... -> end: resolving v0 first goes n deep.
    lines = ["provider:\n  name: aws\ncustom:\n"]
    lines += [f"  v{i}: ${{self:custom.v{i + 1}}}\n" for i in range(n)]
    lines.append(f"  v{n}: end\n")
    cfg, r = _resolve(tmp_path, "".join(lines))
    assert cfg["custom"][f"v{n - 5}"] == "end"
    assert isinstance(cfg["custom"]["v0"], Unknown)
    assert any(e[3] == "bound" for e in r.errors)


def test_each_node_is_resolved_once(tmp_path: Path) -> None:
    refs = "".join(f"    K{i}: ${{self:custom.shared}}\n" for i in range(2000))
    _, r = _resolve(
        tmp_path,
        "provider:\n  name: aws\n  environment:\n"
        + refs
        + "custom:\n  shared: ${self:custom.base}-x\n  base: b\n",
    )
    # 2000 references + the shared value's own expression, each evaluated once.
    assert r._expansions == 2001
