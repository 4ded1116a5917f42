"""The short fuzz profile, on every test run: each target's parser and whole-scan properties with a
fixed set of examples (derandomized, so a failure here is reproducible), in two worker processes
that each cap their own memory (RLIMIT_AS) and time every example. `make fuzz` runs the long
profile (fresh examples for 30 minutes per target).
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "fuzz_driver.py"
TARGETS = [
    "cfn-yaml",
    "cfn-json",
    "serverless",
    "chalice",
    "terraform",
    "deps",
    "openapi",
    "python-code",
    "js-code",
]
SHARDS = 2


@cache
def _results() -> dict[str, dict[str, Any]]:
    procs = [
        subprocess.Popen(
            [sys.executable, str(DRIVER), "--profile", "short", *TARGETS[i::SHARDS]],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=HERE.parents[1],
        )
        for i in range(SHARDS)
    ]
    out: dict[str, dict[str, Any]] = {}
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=600)
        for line in stdout.splitlines():
            if line.startswith("{"):
                summary = json.loads(line)
                out[str(summary["target"])] = summary
        if proc.returncode not in (0, 1):
            raise AssertionError(f"fuzz driver exited {proc.returncode}:\n{stderr[-4000:]}")
    return out


def test_every_target_is_registered() -> None:
    listed = subprocess.run(
        [sys.executable, str(DRIVER), "--list"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert listed == TARGETS


@pytest.mark.parametrize("target", TARGETS)
def test_short_profile(target: str) -> None:
    summary = _results().get(target)
    assert summary is not None, f"the driver reported nothing for {target}"
    failures = summary["failures"]
    assert failures == [], "\n\n".join(f"{f['error']}\n{f['notes']}\n{f['trace']}" for f in failures)
    assert summary["scan_examples"] > 0 and summary["parse_examples"] > 0
