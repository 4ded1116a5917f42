"""Loading candidates in worker processes: same results, same order, same errors as one process."""

from __future__ import annotations

import os
import sys
import textwrap
import threading
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from faasguard.api import ScanOptions, scan
from faasguard.findings import ScanError
from faasguard.loaders import pool
from faasguard.model import Application, SourceRef

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the pool forks: Linux only")
_active_count = threading.active_count


@pytest.fixture(autouse=True)
def _no_leftover_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    # Earlier tests in the same session may leave a thread running (a local AWS API server, a
    # browser driver), and the pool rightly never forks then: count only the threads a test
    # starts itself.
    baseline = _active_count()
    monkeypatch.setattr(pool.threading, "active_count", lambda: 1 + _active_count() - baseline)


def _app(i: int, paths: Any = None) -> Application:
    source = SourceRef(f"app{i:02}/main.tf", 1)
    return Application(root=f"app{i:02}", kind="terraform", source=source, construct_paths=paths or {})


def test_workers_for_small_scans_and_the_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAASGUARD_WORKERS", raising=False)
    assert pool.workers_for(pool.MIN_CANDIDATES - 1) == 1
    assert 1 <= pool.workers_for(1000) <= pool.MAX_WORKERS
    assert pool.workers_for(1000, requested=1) == 1  # the library's default: never fork
    assert pool.workers_for(5, requested=2) == 2
    assert ScanOptions().workers == 1
    monkeypatch.setattr(pool.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(pool.os, "getloadavg", lambda: (0.3, 0.2, 0.1))
    assert pool.workers_for(1000) == 2  # one per idle core
    monkeypatch.setattr(pool.os, "getloadavg", lambda: (2.4, 2.0, 1.0))
    assert pool.workers_for(1000) == 1  # every core busy already
    assert pool.workers_for(1000, requested=2) == 2  # asked for: no second-guessing
    monkeypatch.setenv("FAASGUARD_WORKERS", "1")
    assert pool.workers_for(1000) == 1
    monkeypatch.setenv("FAASGUARD_WORKERS", "3")
    assert pool.workers_for(5) == 3
    assert pool.workers_for(1) == 1  # one candidate never forks
    monkeypatch.setenv("FAASGUARD_WORKERS", "many")  # not a number: the automatic choice
    assert pool.workers_for(5) == 1
    monkeypatch.setenv("FAASGUARD_WORKERS", "3")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert pool.workers_for(1000) == 1  # never fork while another thread runs
    finally:
        stop.set()
        other.join()


@linux_only
def test_results_come_back_in_order_from_other_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAASGUARD_WORKERS", "2")
    parent = os.getpid()
    seen: list[tuple[int, str]] = []

    def load_one(i: int) -> tuple[list[Application], list[ScanError]]:
        # a read-only mapping in the model must survive the trip back
        app = _app(i, MappingProxyType({"fn": f"path/{i}"}))
        return [app], [ScanError(f"f{i}", i, str(os.getpid()))]

    out = list(pool.load_all(list(range(30)), load_one, lambda i, rel: seen.append((i, rel))))
    assert [apps[0].root for apps, _ in out] == [f"app{i:02}" for i in range(30)]
    assert [dict(apps[0].construct_paths) for apps, _ in out] == [{"fn": f"path/{i}"} for i in range(30)]
    assert [errs[0].path for _, errs in out] == [f"f{i}" for i in range(30)]
    assert any(errs[0].message != str(parent) for _, errs in out)  # loaded in a worker
    assert seen == [(i, str(i)) for i in range(30)]


@linux_only
def test_a_result_that_cannot_come_back_falls_back_to_loading_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAASGUARD_WORKERS", "2")
    parent = os.getpid()

    def load_one(i: int) -> tuple[list[Application], list[ScanError]]:
        if i == 7 and os.getpid() != parent:
            return [_app(i, {"x": lambda: None})], []  # a lambda: cannot be pickled
        return [_app(i)], []

    out = list(pool.load_all(list(range(30)), load_one))
    assert [apps[0].root for apps, _ in out] == [f"app{i:02}" for i in range(30)]
    assert out[7][0][0].construct_paths == {}  # loaded again, here


@linux_only
def test_a_worker_that_dies_leaves_the_rest_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAASGUARD_WORKERS", "2")
    parent = os.getpid()

    def load_one(i: int) -> tuple[list[Application], list[ScanError]]:
        if i == 7 and os.getpid() != parent:
            os._exit(3)  # killed mid-scan (out of memory, a signal)
        return [_app(i)], []

    out = list(pool.load_all(list(range(30)), load_one))
    assert [apps[0].root for apps, _ in out] == [f"app{i:02}" for i in range(30)]


MAIN = """
module "shared" {
  source = "../modules/shared"
}

resource "aws_lambda_function" "fn" {
  function_name = "fn-{i}"
  filename      = "fn.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/x"
}

resource "aws_lambda_function_url" "url" {
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = "NONE"
}
"""


def _project(root: Path, count: int) -> Path:
    (root / "modules" / "shared").mkdir(parents=True)
    (root / "modules" / "shared" / "main.tf").write_text('resource "aws_sqs_queue" "q" {\n  name = \n}\n')
    for i in range(count):
        folder = root / f"app{i:02}"
        folder.mkdir()
        (folder / "main.tf").write_text(textwrap.dedent(MAIN).replace("{i}", str(i)))
    return root


@linux_only
def test_a_scan_in_workers_reports_exactly_what_one_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path, 30)
    monkeypatch.setenv("FAASGUARD_NO_CACHE", "1")
    results = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("FAASGUARD_WORKERS", workers)
        results[workers] = scan(root, ScanOptions(use_config=False))
    one, two = results["1"], results["2"]
    assert one.applications == two.applications == [f"app{i:02}" for i in range(30)]
    assert [(f.rule, f.location, f.message, f.fingerprint) for f in two.findings] == [
        (f.rule, f.location, f.message, f.fingerprint) for f in one.findings
    ]
    assert len({f.location.path for f in one.findings if f.rule == "FG-AUTH-003"}) == 30
    assert two.errors == one.errors
    # the shared module's parse error: once per scan, however many workers read it
    assert [e.path for e in two.errors if e.path.startswith("modules/")] == ["modules/shared/main.tf"]


@linux_only
def test_an_included_template_stays_part_of_its_serverless_app_in_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path, 26)
    (root / "sls").mkdir()
    (root / "sls" / "serverless.yml").write_text(
        "service: s\nprovider:\n  name: aws\nresources: ${file(cfn/extra.yml)}\n"
    )
    (root / "sls" / "cfn").mkdir()
    (root / "sls" / "cfn" / "extra.yml").write_text("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    monkeypatch.setenv("FAASGUARD_NO_CACHE", "1")
    monkeypatch.setenv("FAASGUARD_WORKERS", "2")
    two = scan(root, ScanOptions(use_config=False))
    monkeypatch.setenv("FAASGUARD_WORKERS", "1")
    one = scan(root, ScanOptions(use_config=False))
    assert "sls/cfn" not in two.applications
    assert two.applications == one.applications == sorted([*(f"app{i:02}" for i in range(26)), "sls"])
    assert [(f.rule, f.location, f.message) for f in two.findings] == [
        (f.rule, f.location, f.message) for f in one.findings
    ]
    assert two.errors == one.errors


def test_the_cli_asks_for_workers_and_the_library_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from faasguard import cli

    root = _project(tmp_path, 3)
    asked: list[int] = []
    real = pool.workers_for

    def spy(count: int, requested: int = 0) -> int:
        asked.append(requested)
        return real(count, requested)

    monkeypatch.setattr(pool, "workers_for", spy)
    monkeypatch.setenv("FAASGUARD_NO_CACHE", "1")
    scan(root, ScanOptions(use_config=False))
    assert asked and 0 not in asked
    del asked[:]
    outcome = CliRunner().invoke(cli.main, ["scan", str(root), "--format", "json", "--fail-on", "never"])
    assert outcome.exit_code == 0, outcome.output
    assert asked[0] == 0


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_scan_leaves_the_cycle_collector_as_it_found_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    import gc

    root = _project(tmp_path, 25)
    monkeypatch.setenv("FAASGUARD_NO_CACHE", "1")
    monkeypatch.setenv("FAASGUARD_WORKERS", workers)
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    scan(root, ScanOptions(use_config=False))
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
