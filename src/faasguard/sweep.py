"""`faasguard sweep DIR`: scan every application under DIR one by one, each in its own worker
process under a time and memory bound, and report how each went.

The tool for large public corpora: one application that crashes the scanner, hangs it or eats
the machine's memory must not stop the sweep, and must show up in the table.

- Applications are found by discovery (in a worker too): each folder that holds a candidate
  (a template, serverless.yml, Chalice config, Terraform files; a CDK app's cloud assembly) is
  one application. It is scanned within its project (the top folder under DIR that holds it, so
  handler code and modules in sibling folders resolve as in a scan of that project), with the
  other applications' templates left out (`ScanOptions.exclude`).
- Each scan runs in `python -m faasguard.sweep --worker`, which caps its own address space
  (RLIMIT_AS) before reading anything; the parent kills it (its whole process group) when it
  runs past the timeout, and reads its peak RSS and CPU time from `wait4`.
- Outcomes: `ok`, `crash` (an exception escaped the scan, or the worker died), `timeout`,
  `memory` (MemoryError under the bound). An `internal` error (an exception a loader or rule
  raised, caught by the engine) is counted apart: the scan finished, but it is a bug all the same.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_TIMEOUT_S = 300.0
DEFAULT_MEMORY_MB = 2048
DISCOVERY_TIMEOUT_S = 900.0
PROBLEM_STATUSES = ("crash", "timeout", "memory")
# The worker's command line (REQUEST and RESPONSE file paths are appended).
WORKER = [sys.executable, "-m", "faasguard.sweep", "--worker"]


@dataclass(frozen=True, slots=True)
class Unit:
    """One application: its folder (POSIX, relative to the swept folder), the project folder the
    scan starts from, and the other applications' files there (gitignore patterns, from it)."""

    rel: str
    kinds: tuple[str, ...]
    project: str = "."
    exclude: tuple[str, ...] = ()


@dataclass(slots=True)
class Outcome:
    app: str
    status: str  # ok | crash | timeout | memory
    kinds: tuple[str, ...] = ()
    applications: int = 0  # applications loaded
    functions: int = 0
    findings: int = 0
    errors: dict[str, int] = field(default_factory=dict)  # by kind
    seconds: float = 0.0  # wall clock
    cpu_seconds: float = 0.0
    peak_mb: float = 0.0  # peak RSS of the worker
    detail: str = ""  # the crash's last lines, the first internal error

    @property
    def internal(self) -> int:
        return self.errors.get("internal", 0)


@dataclass(slots=True)
class Sweep:
    root: str
    outcomes: list[Outcome]
    discovery_errors: dict[str, int]
    wall_seconds: float

    def totals(self) -> dict[str, Any]:
        by_status = Counter(o.status for o in self.outcomes)
        errors: Counter[str] = Counter()
        for o in self.outcomes:
            errors.update(o.errors)
        slowest = max(self.outcomes, key=lambda o: o.seconds, default=None)
        biggest = max(self.outcomes, key=lambda o: o.peak_mb, default=None)
        peaks = sorted(o.peak_mb for o in self.outcomes)
        return {
            "units": len(self.outcomes),
            "ok": by_status.get("ok", 0),
            "crashes": by_status.get("crash", 0),
            "timeouts": by_status.get("timeout", 0),
            "over_memory": by_status.get("memory", 0),
            "with_internal_errors": sum(1 for o in self.outcomes if o.internal),
            "loaded_units": sum(1 for o in self.outcomes if o.applications),
            "applications": sum(o.applications for o in self.outcomes),
            "functions": sum(o.functions for o in self.outcomes),
            "findings": sum(o.findings for o in self.outcomes),
            "errors_by_kind": dict(sorted(errors.items())),
            "discovery_errors_by_kind": dict(sorted(self.discovery_errors.items())),
            "scan_seconds": round(sum(o.seconds for o in self.outcomes), 1),
            "cpu_seconds": round(sum(o.cpu_seconds for o in self.outcomes), 1),
            "wall_seconds": round(self.wall_seconds, 1),
            "slowest": {"app": slowest.app, "seconds": slowest.seconds} if slowest else None,
            "peak_mb_max": {"app": biggest.app, "mb": biggest.peak_mb} if biggest else None,
            "peak_mb_median": peaks[len(peaks) // 2] if peaks else 0.0,
        }

    @property
    def failed(self) -> bool:
        return any(o.status in PROBLEM_STATUSES or o.internal for o in self.outcomes)


# --- finding the applications ----------------------------------------------------------------------


def units_from(candidates: Iterable[tuple[str, str, str]]) -> list[Unit]:
    """Applications from discovery's (kind, app_root, rel) triples: one per application folder,
    scanned from its project folder with every other application's files of that project left out."""
    kinds: dict[str, set[str]] = {}
    files: dict[str, list[str]] = {}  # application folder -> its candidate files, as patterns
    for kind, app_root, rel in candidates:
        app = app_root or "."
        kinds.setdefault(app, set()).add(kind)
        if kind == "terraform":  # the candidate is the folder: its .tf files (not its subfolders)
            base = "" if rel in ("", ".") else _glob_escape(rel) + "/"
            files.setdefault(app, []).extend([base + "*.tf", base + "*.tf.json"])
        else:
            files.setdefault(app, []).append(_glob_escape(rel))
    units = []
    for app in sorted(kinds):
        project = "." if app == "." else app.split("/")[0]
        prefix = "" if project == "." else _glob_escape(project) + "/"
        exclude = [
            _anchored(pattern[len(prefix) :])
            for other in sorted(kinds)
            if other != app
            for pattern in files[other]
            if pattern.startswith(prefix)
        ]
        units.append(Unit(app, tuple(sorted(kinds[app])), project, tuple(exclude)))
    return units


def _glob_escape(path: str) -> str:
    """A path as a gitignore pattern matching only itself. Bracket sets, not backslashes: the
    scanner reads a backslash in an exclude pattern as a Windows path separator."""
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in path)


def _anchored(pattern: str) -> str:
    """Relative to the scanned folder only; a trailing space kept (gitignore drops it)."""
    return "/" + (pattern[:-1] + "[ ]" if pattern.endswith(" ") else pattern)


# --- the worker (a separate process) ----------------------------------------------------------------


def _limit_memory(mb: int) -> None:
    if mb <= 0:
        return
    try:
        import resource

        limit = mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform: the timeout still bounds the worker


def _worker_discover(request: dict[str, Any]) -> dict[str, Any]:
    from faasguard.loaders.discover import discover

    found = discover(Path(request["root"]))
    units = units_from((c.kind, c.app_root, c.rel) for c in found.candidates)
    return {
        "units": [asdict(u) for u in units],
        "errors": dict(Counter(e.kind for e in found.errors)),
    }


def _worker_scan(request: dict[str, Any]) -> dict[str, Any]:
    from faasguard.api import ScanOptions, scan
    from faasguard.report.text import clean

    osv = request.get("osv_db")
    options = ScanOptions(
        exclude=tuple(request.get("exclude", ())),
        osv_db=Path(osv) if osv else None,
        use_config=bool(request.get("use_config", True)),
    )
    result = scan(Path(request["root"]) / request["project"], options)
    internal = next((e for e in result.errors if e.kind == "internal"), None)
    return {
        "applications": result.coverage.applications,
        "functions": result.coverage.functions,
        "findings": len(result.findings),
        "errors": dict(Counter(e.kind for e in result.errors)),
        "detail": clean(f"{internal.path}: {internal.message}")[:300] if internal else "",
    }


def worker_main(argv: Sequence[str]) -> int:
    """`python -m faasguard.sweep --worker REQUEST RESPONSE`: one discovery or one scan."""
    import traceback

    request_path, response_path = argv[0], argv[1]
    with open(request_path, encoding="utf-8") as fh:
        request: dict[str, Any] = json.load(fh)
    _limit_memory(int(request.get("memory_mb", DEFAULT_MEMORY_MB)))
    try:
        do = _worker_discover if request["mode"] == "discover" else _worker_scan
        response = {"status": "ok", **do(request)}
        code = 0
    except MemoryError:
        response, code = {"status": "memory", "detail": "MemoryError under the memory bound"}, 3
    except BaseException as exc:  # the point of the worker: whatever escapes is reported, not fatal
        tail = traceback.format_exception(exc)[-3:]
        response, code = {"status": "crash", "detail": "".join(tail)[-1500:]}, 3
    with open(response_path, "w", encoding="utf-8") as fh:
        json.dump(response, fh)
    return code


# --- running workers ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Run:
    status: str
    response: dict[str, Any]
    seconds: float
    cpu_seconds: float
    peak_mb: float
    stderr: str


def _run_worker(request: dict[str, Any], timeout: float) -> _Run:
    with tempfile.TemporaryDirectory(prefix="faasguard-sweep-") as tmp:
        req, resp, err = (os.path.join(tmp, n) for n in ("request.json", "response.json", "stderr.txt"))
        with open(req, "w", encoding="utf-8") as fh:
            json.dump(request, fh)
        start = time.monotonic()
        with open(err, "wb") as stderr:
            proc = subprocess.Popen(
                [*WORKER, req, resp],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,  # its own process group: a timeout kills all it started
            )
            status, rusage = _wait(proc, timeout)
        seconds = time.monotonic() - start
        response: dict[str, Any] = {}
        if os.path.exists(resp):
            try:
                with open(resp, encoding="utf-8") as fh:
                    response = json.load(fh)
            except (OSError, ValueError):
                response = {}
        with open(err, "rb") as fh:
            stderr_text = fh.read()[-2000:].decode("utf-8", "replace")
    if status == "exited":
        status = str(response.get("status", "crash"))
    peak = rusage.ru_maxrss / 1024 if rusage is not None else 0.0  # KiB on Linux
    cpu = rusage.ru_utime + rusage.ru_stime if rusage is not None else 0.0
    return _Run(status, response, seconds, cpu, peak, stderr_text)


def _wait(proc: subprocess.Popen[bytes], timeout: float) -> tuple[str, Any]:
    """Wait for the worker (with its resource usage), killing its process group after `timeout`."""
    deadline = time.monotonic() + timeout
    status = "exited"
    delay = 0.005
    while True:
        pid, code, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid != 0:
            break
        if time.monotonic() > deadline:
            status = "timeout"
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                proc.kill()
            pid, code, rusage = os.wait4(proc.pid, 0)
            break
        time.sleep(delay)
        delay = min(delay * 2, 0.1)
    proc.returncode = os.waitstatus_to_exitcode(code)  # reaped here: Popen must not wait again
    if status == "exited" and proc.returncode < 0:
        status = "crash"  # killed by a signal (the kernel's OOM killer, a segfault in C code)
    return status, rusage


def discover_units(root: Path, memory_mb: int) -> tuple[list[Unit], dict[str, int]]:
    run = _run_worker({"mode": "discover", "root": str(root), "memory_mb": memory_mb}, DISCOVERY_TIMEOUT_S)
    if run.status != "ok":
        detail = run.response.get("detail") or run.stderr or run.status
        raise RuntimeError(f"discovery failed ({run.status}): {detail}")
    units = [
        Unit(u["rel"], tuple(u["kinds"]), u["project"], tuple(u["exclude"])) for u in run.response["units"]
    ]
    return units, {str(k): int(v) for k, v in run.response.get("errors", {}).items()}


def scan_unit(
    root: Path,
    unit: Unit,
    timeout: float,
    memory_mb: int,
    osv_db: str | None = None,
    use_config: bool = True,
) -> Outcome:
    request = {
        "mode": "scan",
        "root": str(root),
        "rel": unit.rel,
        "project": unit.project,
        "exclude": list(unit.exclude),
        "memory_mb": memory_mb,
        "osv_db": osv_db,
        "use_config": use_config,
    }
    run = _run_worker(request, timeout)
    r = run.response
    detail = str(r.get("detail") or "")
    if run.status == "timeout":
        detail = f"no result within {timeout:g} s: killed"
    elif run.status != "ok" and not detail:
        detail = run.stderr.strip()[-300:] or f"worker ended without a result ({run.status})"
    return Outcome(
        app=unit.rel,
        status=run.status,
        kinds=unit.kinds,
        applications=int(r.get("applications", 0)),
        functions=int(r.get("functions", 0)),
        findings=int(r.get("findings", 0)),
        errors={str(k): int(v) for k, v in r.get("errors", {}).items()},
        seconds=round(run.seconds, 2),
        cpu_seconds=round(run.cpu_seconds, 2),
        peak_mb=round(run.peak_mb, 1),
        detail=detail,
    )


def sweep(
    root: Path,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
    jobs: int = 1,
    osv_db: str | None = None,
    use_config: bool = True,
    progress: Callable[[int, int, Outcome], None] | None = None,
) -> Sweep:
    start = time.monotonic()
    root = root.resolve()
    units, discovery_errors = discover_units(root, memory_mb)
    outcomes: list[Outcome] = []

    def one(unit: Unit) -> Outcome:
        return scan_unit(root, unit, timeout, memory_mb, osv_db, use_config)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for outcome in pool.map(one, units):
            outcomes.append(outcome)
            if progress is not None:
                progress(len(outcomes), len(units), outcome)
    return Sweep(str(root), outcomes, discovery_errors, time.monotonic() - start)


# --- the table ------------------------------------------------------------------------------------------


def _kinds(errors: dict[str, int]) -> str:
    return " ".join(f"{k}:{n}" for k, n in sorted(errors.items())) or "-"


def table(result: Sweep, *, all_rows: bool = True) -> str:
    from faasguard.report.text import clean

    header = ("APPLICATION", "STATUS", "LOADED", "FNS", "FINDINGS", "ERRORS BY KIND", "TIME S", "PEAK MB")
    rows = [
        (
            clean(o.app),
            o.status + (" +internal" if o.internal else ""),
            str(o.applications),
            str(o.functions),
            str(o.findings),
            _kinds(o.errors),
            f"{o.seconds:.2f}",
            f"{o.peak_mb:.0f}",
        )
        for o in result.outcomes
        if all_rows or o.status != "ok" or o.internal
    ]
    lines: list[str] = []
    if rows:
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        right = {2, 3, 4, 6, 7}
        for r in [header, *rows]:
            cells = [
                c.rjust(w) if i in right else c.ljust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            ]
            lines.append("  ".join(cells).rstrip())
        lines.append("")
    problems = [o for o in result.outcomes if o.status != "ok" or o.internal]
    for o in problems:
        lines.append(f"{clean(o.app)}: {o.status}: {clean(o.detail)}")
    if problems:
        lines.append("")
    t = result.totals()
    lines += [
        f"swept {clean(result.root)}: {t['units']} applications in {t['wall_seconds']} s "
        f"(scan time {t['scan_seconds']} s, CPU {t['cpu_seconds']} s)",
        f"outcomes: {t['ok']} ok, {t['crashes']} crashed, {t['timeouts']} timed out, "
        f"{t['over_memory']} over the memory bound, {t['with_internal_errors']} with internal errors",
        f"loaded: {t['loaded_units']} of {t['units']} folders gave {t['applications']} applications, "
        f"{t['functions']} functions, {t['findings']} findings",
        f"errors by kind: {_kinds(t['errors_by_kind'])} (discovery: {_kinds(t['discovery_errors_by_kind'])})",
    ]
    if t["slowest"]:
        lines.append(
            f"slowest: {t['slowest']['seconds']:.2f} s ({clean(t['slowest']['app'])}); "
            f"peak memory: max {t['peak_mb_max']['mb']:.0f} MB ({clean(t['peak_mb_max']['app'])}), "
            f"median {t['peak_mb_median']:.0f} MB"
        )
    return "\n".join(lines) + "\n"


def to_json(result: Sweep) -> str:
    doc = {
        "root": result.root,
        "totals": result.totals(),
        "outcomes": [{**asdict(o), "kinds": list(o.kinds)} for o in result.outcomes],
    }
    return json.dumps(doc, indent=1, ensure_ascii=True) + "\n"


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        sys.exit(worker_main(sys.argv[2:]))
    sys.exit("usage: python -m faasguard.sweep --worker REQUEST RESPONSE (started by `faasguard sweep`)")
