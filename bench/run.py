"""Benchmark faasguard (and optionally checkov) on synthetic SAM monorepos and real corpora.

Usage::

    python bench/run.py [--sizes 10x5,50x10,200x10] [--seed 0] [--corpus DIR ...]
                        [--checkov PATH_TO_CHECKOV_BIN] [--repeat N] [--json FILE]

For each ``APPSxFUNCTIONS`` size a synthetic monorepo is generated with ``bench/generate.py`` (cached
under ``bench/out/``, which is gitignored), then ``faasguard scan`` runs on it as a child process
and we record its wall time and peak resident set size (``ru_maxrss`` from ``os.wait4``). Each
``--corpus DIR`` adds a row for an existing directory. See bench/README.md for the columns.

faasguard is measured as an installed package runs: with bytecode (``PYTHONDONTWRITEBYTECODE`` is
dropped from its environment and its modules are compiled once before timing, with
``compileall`` and a discarded warm-up scan) and cold, as on a project's first scan: without its
Terraform parse cache (``FAASGUARD_NO_CACHE=terraform``), with the installation's AWS SDK model
index (per botocore version, whatever the project) built by a discarded scan before timing.
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import generate

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "__pycache__"}


@dataclass
class Measurement:
    wall_s: float
    peak_mib: float
    exit_code: int
    stderr_tail: str = ""
    tree_mib: float | None = None
    cpu_s: float | None = None  # user + system time of the process and the children it waited for


@dataclass
class Row:
    target: str
    path: str
    files: int
    faasguard: Measurement | None
    checkov: Measurement | None = None

    @property
    def speed_ratio(self) -> float | None:
        """How many times faster faasguard is than checkov (checkov wall / faasguard wall)."""
        if self.faasguard is None or self.checkov is None or self.faasguard.wall_s <= 0:
            return None
        return self.checkov.wall_s / self.faasguard.wall_s

    @property
    def memory_ratio(self) -> float | None:
        """faasguard peak RSS as a fraction of checkov's (0.25 = a quarter of the memory)."""
        if self.faasguard is None or self.checkov is None or self.checkov.peak_mib <= 0:
            return None
        return self.faasguard.peak_mib / self.checkov.peak_mib


class TreeSampler(threading.Thread):
    """Polls the summed PSS of a process and all its descendants (Linux /proc only).

    ``ru_maxrss`` reports the largest single process, so a tool that forks workers looks
    smaller than it is; PSS splits shared pages between processes, so the sum is not inflated
    by copy-on-write sharing either.
    """

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self._halt = threading.Event()

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def run(self) -> None:
        while not self._halt.is_set():
            self.peak_kib = max(self.peak_kib, sum(_pss_kib(p) for p in _descendants(self.pid)))
            self._halt.wait(self.interval)


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def _pss_kib(pid: int) -> int:
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}", encoding="ascii", errors="replace") as fh:
                for line in fh:
                    if line.startswith(key):
                        return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return 0


def measure(cmd: list[str], tree: bool = False, env: dict[str, str] | None = None) -> Measurement:
    """Run ``cmd`` with stdout discarded; wall time and the child's peak RSS (MiB) via wait4.

    On Linux ``ru_maxrss`` is in KiB and covers the child and any descendants it has waited for
    (as the largest single process, not a sum). With ``tree`` the summed PSS of the whole process
    tree is sampled as well.
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env)
        sampler = TreeSampler(proc.pid) if tree else None
        if sampler:
            sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            if sampler:
                sampler.stop()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        size = err.seek(0, os.SEEK_END)
        err.seek(max(0, size - 2000))
        tail = err.read().decode("utf-8", "replace")
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # macOS reports bytes, Linux KiB
    return Measurement(
        round(wall, 3),
        round(usage.ru_maxrss / scale, 1),
        proc.returncode,
        tail,
        round(sampler.peak_kib / 1024, 1) if sampler else None,
        round(usage.ru_utime + usage.ru_stime, 3),
    )


def best_of(cmd: list[str], repeat: int, tree: bool, env: dict[str, str] | None = None) -> Measurement:
    """The fastest of ``repeat`` runs; memory figures are the smallest seen (stable in practice)."""
    runs = [measure(cmd, tree, env) for _ in range(repeat)]
    best = min(runs, key=lambda m: m.wall_s)
    best.peak_mib = min(m.peak_mib for m in runs)
    if tree:
        best.tree_mib = min(m.tree_mib or 0.0 for m in runs)
    return best


def count_files(root: Path) -> int:
    total = 0
    for _, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        total += len(files)
    return total


def _generator_key() -> str:
    return hashlib.sha256(Path(generate.__file__).read_bytes()).hexdigest()[:10]


def synthetic_corpus(apps: int, functions: int, seed: int) -> Path:
    """Generate (or reuse) ``bench/out/<apps>x<functions>-s<seed>-<generator hash>``."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    final = OUT_DIR / f"{apps}x{functions}-s{seed}-{_generator_key()}"
    if final.is_dir():
        return final
    tmp = Path(tempfile.mkdtemp(prefix=".gen-", dir=OUT_DIR))
    try:
        generate.generate(tmp, apps, functions, seed)
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def parse_sizes(text: str) -> list[tuple[int, int]]:
    sizes: list[tuple[int, int]] = []
    if text.strip().lower() in ("", "none"):
        return sizes
    for part in text.split(","):
        apps, sep, functions = part.strip().lower().partition("x")
        if not sep or not apps.isdigit() or not functions.isdigit() or int(apps) < 1 or int(functions) < 1:
            raise argparse.ArgumentTypeError(f"bad size {part!r}: expected APPSxFUNCTIONS, e.g. 50x10")
        sizes.append((int(apps), int(functions)))
    return sizes


def tool_env(**extra: str) -> dict[str, str]:
    """This environment with bytecode allowed (a pip-installed tool has its .pyc files), plus
    ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def faasguard_env(cache: bool = False, no_cache: str = "1", **extra: str) -> dict[str, str]:
    """The environment faasguard is timed in: bytecode allowed and, unless ``cache``,
    ``FAASGUARD_NO_CACHE=<no_cache>`` ("1": no cache at all, as on a fresh installation's first
    run; "terraform": no parse cache, every file parsed, as on a project's first scan)."""
    env = tool_env(**extra)
    if cache:
        env.pop("FAASGUARD_NO_CACHE", None)
    else:
        env["FAASGUARD_NO_CACHE"] = no_cache
    return env


def warm_bytecode(python: str, target: Path) -> None:
    """Compile faasguard's modules once (an editable install has no .pyc files otherwise), then
    run one discarded scan so every module it imports from site-packages is compiled too."""
    where = subprocess.run(
        [python, "-c", "import faasguard, os; print(os.path.dirname(faasguard.__file__))"],
        capture_output=True,
        text=True,
        check=True,
        env=tool_env(),
    ).stdout.strip()
    subprocess.run(
        [python, "-m", "compileall", "-q", where], check=False, stdout=subprocess.DEVNULL, env=tool_env()
    )
    measure(faasguard_cmd(python, target, []), env=faasguard_env())


def faasguard_cmd(python: str, target: Path, extra: list[str]) -> list[str]:
    return [
        python,
        "-m",
        "faasguard",
        "scan",
        str(target),
        "--format",
        "json",
        "--output",
        os.devnull,
        "--fail-on",
        "never",
        *extra,
    ]


def checkov_cmd(checkov: str, target: Path) -> list[str]:
    return [checkov, "-d", str(target), "--framework", "cloudformation", "--quiet", "--compact", "-o", "json"]


def _fmt(value: float | None, spec: str, suffix: str = "") -> str:
    return "-" if value is None else f"{value:{spec}}{suffix}"


def _tool_cells(m: Measurement | None, tree: bool) -> list[str]:
    cells = ["-", "-"] if m is None else [_fmt(m.wall_s, ".2f"), _fmt(m.peak_mib, ".1f")]
    if tree:
        cells.append(_fmt(m.tree_mib if m else None, ".1f"))
    return cells


def render(rows: list[Row], with_checkov: bool, tree: bool) -> str:
    header = ["target", "files", "wall s", "peak MiB", *(["tree MiB"] if tree else [])]
    if with_checkov:
        header += ["checkov wall s", "checkov MiB", *(["checkov tree MiB"] if tree else [])]
        header += ["speed ratio", "memory ratio"]
    table = [header]
    for row in rows:
        fg = row.faasguard
        ok = fg is not None and fg.exit_code == 0
        cells = [row.target, str(row.files), *_tool_cells(fg, tree)]
        if fg is not None and not ok:
            cells[2] = f"FAILED({fg.exit_code})"
        if with_checkov:
            cells += _tool_cells(row.checkov, tree)
            cells += [
                _fmt(row.speed_ratio if ok else None, ".1f", "x"),
                _fmt(row.memory_ratio if ok else None, ".2f"),
            ]
        table.append(cells)
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = []
    for n, cells in enumerate(table):
        padded = [
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        lines.append("  ".join(padded))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def tool_version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = (out.stdout or out.stderr).strip().splitlines()
    return lines[-1] if lines else "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time and peak memory of faasguard (vs checkov).")
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=parse_sizes("10x5,50x10,200x10"),
        help="comma-separated APPSxFUNCTIONS synthetic sizes (default 10x5,50x10,200x10; 'none' to skip)",
    )
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--corpus", type=Path, action="append", default=[], help="extra directory to scan")
    parser.add_argument("--checkov", metavar="PATH", help="checkov executable; adds the comparison columns")
    parser.add_argument("--repeat", type=int, default=1, help="runs per target, fastest kept (default 1)")
    parser.add_argument("--python", default=sys.executable, help="interpreter with faasguard installed")
    parser.add_argument("--no-faasguard", action="store_true", help="only run checkov")
    parser.add_argument("--scan-arg", action="append", default=[], help="extra argument for faasguard scan")
    parser.add_argument(
        "--tree-memory",
        action="store_true",
        help="also sample the summed PSS of each tool's whole process tree (Linux; 'tree MiB' columns)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.checkov and shutil.which(args.checkov) is None:
        parser.error(f"checkov not found: {args.checkov}")
    for corpus in args.corpus:
        if not corpus.is_dir():
            parser.error(f"not a directory: {corpus}")

    targets: list[tuple[str, Path]] = []
    for apps, functions in args.sizes:
        print(f"preparing synthetic {apps}x{functions} (seed {args.seed})...", file=sys.stderr)
        targets.append((f"synthetic {apps}x{functions}", synthetic_corpus(apps, functions, args.seed)))
    targets += [(corpus.name or str(corpus), corpus.resolve()) for corpus in args.corpus]
    if not targets:
        parser.error("nothing to do: give --sizes and/or --corpus")

    # A project's first scan on an installation that has run before: no parse cache, but the
    # installation's AWS SDK model index (built once per botocore version) in place.
    installation_cache = tempfile.mkdtemp(prefix="fg-bench-cache-")
    atexit.register(shutil.rmtree, installation_cache, True)
    cold_env = faasguard_env(no_cache="terraform", XDG_CACHE_HOME=installation_cache)
    if not args.no_faasguard:
        warm_bytecode(args.python, targets[0][1])
        for _, path in targets:  # builds the index for the services these projects use
            measure(faasguard_cmd(args.python, path, args.scan_arg), env=cold_env)
    rows: list[Row] = []
    for name, path in targets:
        row = Row(name, str(path), count_files(path), None)
        if not args.no_faasguard:
            print(f"faasguard: {name} ...", file=sys.stderr)
            row.faasguard = best_of(
                faasguard_cmd(args.python, path, args.scan_arg),
                args.repeat,
                args.tree_memory,
                cold_env,
            )
            if row.faasguard.exit_code != 0:
                print(
                    f"  faasguard exited {row.faasguard.exit_code}:\n{row.faasguard.stderr_tail}",
                    file=sys.stderr,
                )
        if args.checkov:
            print(f"checkov: {name} ...", file=sys.stderr)
            row.checkov = best_of(checkov_cmd(args.checkov, path), args.repeat, args.tree_memory, tool_env())
            if row.checkov.exit_code not in (0, 1):  # 1 means "failed checks found"
                print(
                    f"  checkov exited {row.checkov.exit_code}:\n{row.checkov.stderr_tail}", file=sys.stderr
                )
        rows.append(row)

    print(render(rows, bool(args.checkov), args.tree_memory))

    if args.json:
        doc = {
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "host": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
            },
            "seed": args.seed,
            "repeat": args.repeat,
            "checkov_version": tool_version([args.checkov, "--version"]) if args.checkov else None,
            "rows": [
                {
                    **{k: v for k, v in asdict(row).items() if k not in ("faasguard", "checkov")},
                    "faasguard": _measurement_json(row.faasguard),
                    "checkov": _measurement_json(row.checkov),
                    "speed_ratio": _round(row.speed_ratio),
                    "memory_ratio": _round(row.memory_ratio),
                }
                for row in rows
            ],
        }
        args.json.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}", file=sys.stderr)
    failed = any(r.faasguard is not None and r.faasguard.exit_code != 0 for r in rows)
    return 1 if failed else 0


def _measurement_json(m: Measurement | None) -> dict[str, object] | None:
    if m is None:
        return None
    return {
        "wall_s": m.wall_s,
        "cpu_s": m.cpu_s,
        "peak_mib": m.peak_mib,
        "tree_mib": m.tree_mib,
        "exit_code": m.exit_code,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


if __name__ == "__main__":
    raise SystemExit(main())
