"""Scan the demo and every fixture with network access and process creation blocked.

Run as a script (never imported by pytest: an audit hook cannot be removed once installed). The
hook raises on every event that opens a connection, resolves a name or starts a program, and
records it, because a scanner's own `except Exception` could swallow the raise. Prints a JSON
summary on the last line: the scans run, the events blocked, and a self-test proving the hook
was live. Exit status 1 when faasguard itself triggered any blocked event or a scan raised.
"""

from __future__ import annotations

import json
import sys
from typing import Any

BLOCKED_EXACT = {
    "socket.connect",
    "socket.bind",
    "socket.sendto",
    "socket.sendmsg",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "subprocess.Popen",
    "os.system",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "os.startfile",
    "pty.spawn",
    "http.client.connect",
    "urllib.Request",
    "webbrowser.open",
}
BLOCKED_PREFIXES = ("os.exec",)
blocked: list[dict[str, str]] = []
armed = True


def hook(event: str, args: tuple[Any, ...]) -> None:
    if not armed:
        return
    if event in BLOCKED_EXACT or event.startswith(BLOCKED_PREFIXES):
        blocked.append({"event": event, "args": repr(args)[:300], "phase": phase})
        raise PermissionError(f"blocked by the test's audit hook: {event}")


phase = "import"
sys.addaudithook(hook)

import datetime as dt  # noqa: E402
from pathlib import Path  # noqa: E402

from click.testing import CliRunner  # noqa: E402

from faasguard import cli  # noqa: E402
from faasguard.api import ScanOptions, scan  # noqa: E402
from faasguard.report import json_report, sarif, text  # noqa: E402
from faasguard.settings import Settings  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def targets() -> list[Path]:
    tests = REPO / "tests"
    out = [REPO / "examples"]
    out += sorted(p for p in (tests / "rules").glob("FG-*") if p.is_dir())  # each rule's cases
    out += [tests / "loaders" / "sam_cases", tests / "audit" / "iac"]
    out += [tests, REPO]  # everything at once: fixtures side by side, and the repository itself
    return out


def main() -> int:
    global phase, armed
    phase = "scan"
    failures: list[str] = []
    scans = 0
    options = ScanOptions(settings=Settings(today=dt.date(2026, 11, 29)), osv_db=REPO / "examples" / "osv")
    for path in targets():
        try:
            result = scan(path, options)
            text.render(result, color=path.name == "examples", width=100)  # rich is slow on 4,000
            json_report.render(result)
            sarif.render(result, None)
            scans += 1
        except Exception as exc:
            failures.append(f"{path}: {exc!r}")
    phase = "cli"
    runner = CliRunner()
    for fmt in ("text", "json", "sarif"):
        outcome = runner.invoke(
            cli.main,
            [
                "scan",
                str(REPO / "examples"),
                "--format",
                fmt,
                "--fail-on",
                "never",
                "--osv-db",
                str(REPO / "examples" / "osv"),
            ],
        )
        if outcome.exit_code != 0:
            failures.append(f"cli --format {fmt}: exit {outcome.exit_code}: {outcome.output[-500:]}")
        scans += 1
    phase = "self-test"
    caught_before = len(blocked)
    self_test = {}
    for name, attempt in (
        ("subprocess", lambda: __import__("subprocess").run(["true"])),
        ("socket", lambda: __import__("socket").create_connection(("127.0.0.1", 9), timeout=1)),
        ("os.system", lambda: __import__("os").system("true")),
    ):
        try:
            attempt()
            self_test[name] = "NOT BLOCKED"
        except PermissionError:
            self_test[name] = "blocked"
        except OSError as exc:
            self_test[name] = f"other error: {exc!r}"
    armed = False
    by_faasguard = [b for b in blocked[:caught_before] if b["phase"] != "import"]
    print(
        json.dumps(
            {
                "scans": scans,
                "failures": failures,
                "blocked_during_scans": by_faasguard,
                "blocked_at_import": [b for b in blocked if b["phase"] == "import"],
                "self_test": self_test,
            }
        )
    )
    return 1 if failures or by_faasguard or blocked[:caught_before] else 0


if __name__ == "__main__":
    sys.exit(main())
