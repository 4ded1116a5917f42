"""`python -m faasguard` ends a scan without the interpreter's teardown (cli.run): the report must
still be whole, on stdout or in --output, and the exit code the one `--fail-on` asks for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def _faasguard(*args: str) -> subprocess.CompletedProcess[str]:
    # one hash seed: a few messages depend on set order (reported), the two runs must agree
    env = {**os.environ, "FAASGUARD_NO_CACHE": "1", "PYTHONHASHSEED": "0"}
    return subprocess.run(
        [sys.executable, "-m", "faasguard", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=REPO,
    )


def test_the_report_is_whole_and_the_exit_code_kept(tmp_path: Path) -> None:
    common = ["scan", str(EXAMPLES), "--format", "json", "--no-progress", "--osv-db", str(EXAMPLES / "osv")]
    on_stdout = _faasguard(*common, "--fail-on", "low")
    assert on_stdout.returncode == 1, on_stdout.stderr[-2000:]
    findings = json.loads(on_stdout.stdout)["findings"]
    assert findings
    report = tmp_path / "report.json"
    in_file = _faasguard(*common, "--fail-on", "never", "--output", str(report))
    assert in_file.returncode == 0, in_file.stderr[-2000:]
    assert in_file.stdout == ""
    assert json.loads(report.read_text())["findings"] == findings


def test_usage_errors_exit_as_before(tmp_path: Path) -> None:
    missing = _faasguard("scan", str(tmp_path / "missing"))
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr
    version = _faasguard("--version")
    assert version.returncode == 0 and version.stdout.startswith("faasguard ")
