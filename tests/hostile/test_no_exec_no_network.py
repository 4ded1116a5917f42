"""No execution, no network: full scans of the demo and every fixture (and the CLI on the demo)
run in a subprocess whose audit hook raises on socket.connect, name lookups, subprocess.Popen,
os.system, os.exec*, os.posix_spawn and os.fork, and they all pass without triggering it.

The hook lives in a subprocess because `sys.addaudithook` cannot be undone: installed here it would
block the rest of the test session (moto's server, the CLI tests).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_full_scans_neither_execute_nor_connect() -> None:
    run = subprocess.run(
        [sys.executable, str(HERE / "guarded_scan.py")],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=HERE.parents[1],
    )
    assert run.stdout.strip(), run.stderr[-3000:]
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    # The hook was live: the self-test's own attempts were stopped.
    assert summary["self_test"] == {"subprocess": "blocked", "socket": "blocked", "os.system": "blocked"}
    assert summary["failures"] == []
    assert summary["blocked_during_scans"] == []
    assert summary["blocked_at_import"] == []
    assert summary["scans"] > 70
    assert run.returncode == 0, run.stderr[-3000:]
