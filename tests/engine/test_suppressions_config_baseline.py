"""Living with findings: suppressions (inline and config), config per folder, baselines, changed-only."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from faasguard.api import ScanOptions, scan
from faasguard.config import clear_cache
from faasguard.engine import baseline_json
from faasguard.settings import Settings

URL_APP = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function{meta}
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      FunctionUrlConfig:
        AuthType: NONE{comment}
"""

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def _fresh_config_cache() -> None:
    clear_cache()


def _write(folder: Path, meta: str = "", comment: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "template.yaml").write_text(URL_APP.format(meta=meta, comment=comment))
    return folder


def _scan(root: Path, **kw: object) -> tuple[list[str], list[str], int]:
    options = ScanOptions(select=frozenset({"FG-AUTH-003"}), settings=Settings(today=TODAY), **kw)  # type: ignore[arg-type]
    result = scan(root, options)
    found = [f"{f.rule} {f.location.path}:{f.location.line}" for f in result.findings]
    errors = [f"{e.path}:{e.line} {e.message}" for e in result.errors]
    return found, errors, result.coverage.suppressed


def test_unsuppressed_baseline(tmp_path: Path) -> None:
    assert _scan(_write(tmp_path)) == (["FG-AUTH-003 template.yaml:10"], [], 0)


def test_comment_on_the_line_with_reason(tmp_path: Path) -> None:
    root = _write(tmp_path, comment='  # faasguard: ignore FG-AUTH-003 reason="public webhook, HMAC-checked"')
    assert _scan(root) == ([], [], 1)


def test_comment_without_reason_does_not_suppress(tmp_path: Path) -> None:
    root = _write(tmp_path, comment="  # faasguard: ignore FG-AUTH-003")
    found, errors, suppressed = _scan(root)
    assert found == ["FG-AUTH-003 template.yaml:10"]
    assert errors == [
        "template.yaml:10 suppression of FG-AUTH-003 at template.yaml:10 has no reason: not applied"
    ]
    assert suppressed == 0


def test_expired_comment_stops_suppressing(tmp_path: Path) -> None:
    root = _write(
        tmp_path, comment='  # faasguard: ignore FG-AUTH-003 reason="until launch" until=2026-01-31'
    )
    found, errors, _ = _scan(root)
    assert found == ["FG-AUTH-003 template.yaml:10"]
    assert errors == [
        "template.yaml:10 suppression of FG-AUTH-003 at template.yaml:10 expired on 2026-01-31: not applied"
    ]


def test_resource_metadata_suppression(tmp_path: Path) -> None:
    meta = (
        "\n    Metadata:\n      faasguard:\n        ignore:\n"
        "          - id: FG-AUTH-003\n            reason: signed requests only\n            until: 2027-06-30"
    )
    assert _scan(_write(tmp_path, meta=meta)) == ([], [], 1)


def test_config_suppression_per_folder(tmp_path: Path) -> None:
    _write(tmp_path / "svc" / "a")
    _write(tmp_path / "svc" / "b")
    (tmp_path / "svc" / "a" / ".faasguard.toml").write_text(
        '[[ignore]]\nid = "FG-AUTH-003"\nreason = "internal tool behind VPN"\n'
    )
    found, errors, suppressed = _scan(tmp_path)
    assert found == ["FG-AUTH-003 svc/b/template.yaml:10"]
    assert (errors, suppressed) == ([], 1)


def test_config_skip_and_severity_in_pyproject(tmp_path: Path) -> None:
    root = _write(tmp_path)
    (root / "pyproject.toml").write_text('[tool.faasguard]\nseverity = {FG-AUTH-003 = "critical"}\n')
    result = scan(root, ScanOptions(select=frozenset({"FG-AUTH-003"})))
    assert [f.severity.value for f in result.findings] == ["critical"]
    clear_cache()
    (root / "pyproject.toml").write_text('[tool.faasguard]\nskip = ["FG-AUTH-003"]\n')
    assert scan(root, ScanOptions()).findings == [] or all(
        f.rule != "FG-AUTH-003" for f in scan(root, ScanOptions()).findings
    )


def test_rules_version_pin_hides_newer_rules(tmp_path: Path) -> None:
    root = _write(tmp_path)
    (root / ".faasguard.toml").write_text('rules_version = "0.0.9"\n')
    assert _scan(root)[0] == []


def test_bad_config_is_an_error_and_the_scan_goes_on(tmp_path: Path) -> None:
    root = _write(tmp_path)
    (root / ".faasguard.toml").write_text("select = [\n")
    found, errors, _ = _scan(root)
    assert found == ["FG-AUTH-003 template.yaml:10"]
    assert len(errors) == 1 and errors[0].startswith(".faasguard.toml:None invalid TOML")


def test_baseline_round_trip(tmp_path: Path) -> None:
    root = _write(tmp_path)
    result = scan(root, ScanOptions(select=frozenset({"FG-AUTH-003", "FG-AUTH-004"})))
    baseline = tmp_path / "baseline.json"
    baseline.write_text(baseline_json(result))
    options = ScanOptions(select=frozenset({"FG-AUTH-003", "FG-AUTH-004"}), baseline=baseline)
    assert scan(root, options).findings == []
    # Lines shift above the finding: still nothing new.
    text = (root / "template.yaml").read_text()
    (root / "template.yaml").write_text(text.replace("Resources:\n", "Description: shifted\nResources:\n"))
    assert scan(root, options).findings == []
    # A new flaw: exactly one new finding.
    (root / "template.yaml").write_text(
        (root / "template.yaml").read_text() + "  Open:\n    Type: AWS::Lambda::Permission\n    Properties:\n"
        "      FunctionName: !Ref Fn\n      Action: lambda:InvokeFunction\n      Principal: '*'\n"
    )
    new = scan(root, options).findings
    assert [(f.rule, f.location.line) for f in new] == [("FG-AUTH-004", 17)]
    assert json.loads(baseline.read_text())["version"] == 1


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_changed_since_scans_only_touched_applications(tmp_path: Path) -> None:
    _write(tmp_path / "a")
    _write(tmp_path / "b")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "-c", "user.email=t@t", "-c", "user.name=t", "add", "-A")
    _git(tmp_path, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "init")
    assert _scan(tmp_path, changed_since="HEAD")[0] == []
    (tmp_path / "b" / "src").mkdir()
    (tmp_path / "b" / "src" / "app.py").write_text("def handler(e, c): ...\n")
    assert _scan(tmp_path, changed_since="HEAD")[0] == ["FG-AUTH-003 b/template.yaml:10"]
