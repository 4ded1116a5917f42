"""The CI-facing scan options end to end through the CLI: baseline files, config, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from faasguard.cli import main

TEMPLATE = """\
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
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    return tmp_path


def test_write_baseline_then_only_new_findings_fail(tmp_path: Path) -> None:
    root = _project(tmp_path / "app")
    baseline = tmp_path / "baseline.json"
    runner = CliRunner()
    first = runner.invoke(main, ["scan", str(root), "--format", "json", "--write-baseline", str(baseline)])
    assert first.exit_code == 1  # FG-AUTH-003 is high
    assert json.loads(baseline.read_text())["fingerprints"]
    again = runner.invoke(main, ["scan", str(root), "--format", "json", "--baseline", str(baseline)])
    assert again.exit_code == 0
    summary = json.loads(again.output)["summary"]
    assert summary["baselined"] >= 1 and summary["by_severity"]["high"] == 0


def test_no_config_ignores_project_settings(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / ".faasguard.toml").write_text('skip = ["FG-AUTH-003"]\n')
    runner = CliRunner()
    with_config = runner.invoke(main, ["scan", str(root), "--select", "FG-AUTH-003", "--format", "json"])
    assert json.loads(with_config.output)["findings"] == []
    without = runner.invoke(
        main, ["scan", str(root), "--select", "FG-AUTH-003", "--no-config", "--format", "json"]
    )
    assert [f["rule"] for f in json.loads(without.output)["findings"]] == ["FG-AUTH-003"]


def test_fail_on_error_with_an_unreadable_template(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "broken.yaml").write_text("Resources:\n  X:\n    Type: AWS::SQS::Queue\n  - nope\n")
    runner = CliRunner()
    relaxed = runner.invoke(main, ["scan", str(root), "--fail-on", "never"])
    strict = runner.invoke(main, ["scan", str(root), "--fail-on", "never", "--fail-on-error"])
    assert (relaxed.exit_code, strict.exit_code) == (0, 1)
