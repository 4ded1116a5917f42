"""Bad input becomes an `errors` entry with its file (and line), and the rest is still scanned."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from faasguard.api import ScanOptions, scan
from faasguard.limits import Limits

GOOD = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      FunctionUrlConfig:
        AuthType: NONE
"""


def _project(tmp_path: Path) -> Path:
    good = tmp_path / "good"
    good.mkdir(parents=True)
    (good / "template.yaml").write_text(GOOD)
    return tmp_path


def _scan(root: Path, limits: Limits | None = None) -> tuple[set[tuple[str, int | None]], set[str]]:
    result = scan(root, ScanOptions(limits=limits or Limits(), select=frozenset({"FG-AUTH-003"})))
    errors = {(e.path, e.line) for e in result.errors}
    found = {f"{f.location.path}:{f.location.line}" for f in result.findings}
    return errors, found


def test_malformed_yaml_reported_with_line(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "bad").mkdir()
    (root / "bad" / "template.yaml").write_text(
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n  - oops\n"
    )
    errors, found = _scan(root)
    assert errors == {("bad/template.yaml", 4)}
    assert found == {"good/template.yaml:10"}


def test_oversized_template(tmp_path: Path) -> None:
    root = _project(tmp_path)
    big = "Resources:\n" + "".join(f"  Q{i}:\n    Type: AWS::SQS::Queue\n" for i in range(3000))
    (root / "big.yaml").write_text(big)
    errors, found = _scan(root, Limits(max_file_bytes=20_000))
    assert errors == {("big.yaml", None)}
    assert found == {"good/template.yaml:10"}


def test_binary_template(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "template.yaml").write_bytes(b"\x00\x01AWS::Lambda::Function Resources\x00" * 100)
    errors, found = _scan(root)
    assert errors == {("template.yaml", None)}
    assert found == {"good/template.yaml:10"}


def test_alias_bomb_stops_at_the_bound_quickly(tmp_path: Path) -> None:
    root = _project(tmp_path)
    lines = ['a0: &a0 ["AWS::x", "Resources", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    lines.append("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: *a11")
    (root / "bomb.yaml").write_text("\n".join(lines) + "\n")
    errors, found = _scan(root)
    assert {p for p, _ in errors} == {"bomb.yaml"}
    assert found == {"good/template.yaml:10"}


def test_deep_nesting(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "deep.json").write_text(
        '{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": ' + "[" * 5000 + "]" * 5000 + "}}}"
    )
    errors, found = _scan(root)
    assert {p for p, _ in errors} == {"deep.json"}
    assert found == {"good/template.yaml:10"}


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlink_leaving_the_root_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(GOOD.replace("NONE", "NONE  # outside"))
    root = _project(tmp_path / "project")
    (root / "template.yaml").symlink_to(outside / "secret.yaml")
    errors, found = _scan(root)
    assert errors == {("template.yaml", None)}
    assert found == {"good/template.yaml:10"}


def test_invalid_utf8(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "latin.yaml").write_bytes(b"Resources:\n  Q:\n    Type: AWS::SQS::Queue # caf\xe9\n")
    errors, found = _scan(root)
    assert errors == {("latin.yaml", 3)}
    assert found == {"good/template.yaml:10"}
