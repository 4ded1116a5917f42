"""Test set-up: the shield under test is the wheel built from shield/, never the source tree.

`make shield-test` builds the wheel, installs it into shield/build/site the way a deployment
package is built (``pip install --target``) and points ``FGS_TEST_SITE`` at it. Without that
variable (pytest run by hand) the wheel is built here, once per session.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

SHIELD = Path(__file__).resolve().parent.parent
HARNESS = Path(__file__).resolve().parent / "harness.py"
# Set in the child's environment to prove secret values never reach an event line.
FAKE_SECRET = "fgs-test-secret-9f8e7d6c5b4a"


def _build_site(target: Path) -> Path:
    wheels = target / "wheel"
    site = target / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(SHIELD), "-w", str(wheels)],
        check=True,
    )
    (wheel,) = wheels.glob("faasguard_shield-*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
    )
    return site


def _site() -> Path:
    given = os.environ.get("FGS_TEST_SITE")
    if given:
        return Path(given).resolve()
    import shutil

    target = SHIELD / "build" / "pytest"
    shutil.rmtree(target, ignore_errors=True)
    return _build_site(target)


SITE = _site()
sys.path.insert(0, str(SITE))
import faasguard_shield  # noqa: E402

assert Path(faasguard_shield.__file__).resolve().is_relative_to(SITE), (
    "tests must run against the built wheel"
)

#: The interpreter that runs handlers: the test's own unless FGS_TEST_PYTHON names another
#: (to try other Python versions by hand).
CHILD_PYTHON = os.environ.get("FGS_TEST_PYTHON") or sys.executable


@pytest.fixture(scope="session")
def site() -> Path:
    return SITE


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    events: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def result(self) -> dict[str, Any]:
        assert len(self.results) == 1, (self.stdout, self.stderr)
        return self.results[0]

    def of(self, kind: str | None = None, family: str | None = None) -> list[dict[str, Any]]:
        return [
            e
            for e in self.events
            if (kind is None or e["kind"] == kind) and (family is None or e["family"] == family)
        ]


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(SITE),
        "LANG": "C.UTF-8",
        "AWS_REGION": "eu-west-1",
        "AWS_LAMBDA_FUNCTION_NAME": "shield-test-fn",
        "AWS_LAMBDA_FUNCTION_VERSION": "7",
        "AWS_SECRET_ACCESS_KEY": FAKE_SECRET,
        "APP_DB_PASSWORD": FAKE_SECRET,
        "PYTHONHASHSEED": "0",
    }
    env.update(extra or {})
    return env


def run_source(
    directory: Path,
    source: str,
    events: list[Any],
    env: dict[str, str] | None = None,
    timeout: float = 30,
) -> Run:
    """Write ``source`` as handler.py in ``directory`` and run its ``handler`` on each event."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "handler.py").write_text(textwrap.dedent(source), encoding="utf-8")
    spec = directory / "spec.json"
    spec.write_text(json.dumps({"handler_dir": str(directory), "events": events}), encoding="utf-8")
    done = subprocess.run(
        [CHILD_PYTHON, "-S", str(HARNESS), str(spec)],
        cwd=directory,
        env=child_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    run = Run(done.returncode, done.stdout, done.stderr)
    for line in done.stdout.splitlines():
        if not line.startswith("{"):
            continue
        data = json.loads(line)
        if "faasguard_shield" in data:
            run.events.append(data)
        elif "harness" in data:
            run.results.append(data)
    return run


@pytest.fixture
def run(tmp_path: Path):
    counter = iter(range(1000))

    def _run(source: str, events: list[Any] | None = None, env: dict[str, str] | None = None) -> Run:
        result = run_source(
            tmp_path / f"fn{next(counter)}", source, events if events is not None else [{}], env
        )
        assert result.returncode == 0, result.stderr
        return result

    return _run


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.hits += 1  # type: ignore[attr-defined]
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def http_server():
    """A local HTTP server on 127.0.0.1 standing in for a host outside the allow-list."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.hits = 0  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def http_event(body: str | None = None, **extra: Any) -> dict[str, Any]:
    """An API Gateway HTTP API (v2 payload) event."""
    event = {
        "version": "2.0",
        "routeKey": "POST /orders",
        "rawPath": "/orders",
        "rawQueryString": "",
        "headers": {"content-type": "application/json"},
        "requestContext": {
            "http": {"method": "POST", "path": "/orders", "sourceIp": "198.51.100.7"},
            "domainName": "abc123.execute-api.eu-west-1.amazonaws.com",
            "requestId": "gw-1",
        },
        "body": body,
        "isBase64Encoded": False,
    }
    event.update(extra)
    return event
