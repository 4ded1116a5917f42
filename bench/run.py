"""Benchmark faasguard (and optionally checkov) on synthetic SAM monorepos and real corpora.

Usage::

    python bench/run.py [--sizes 10x5,50x10,200x10] [--seed 0] [--corpus DIR ...]
                        [--checkov PATH_TO_CHECKOV_BIN] [--repeat N] [--json FILE]

For each ``APPSxFUNCTIONS`` size a synthetic monorepo is generated with ``bench/generate.py`` (cached
under ``bench/out/``, which is gitignored), then ``faasguard scan`` runs on it as a child process
and we record its wall time and peak resident set size (``ru_maxrss`` from ``os.wait4``). Each
``--corpus DIR`` adds a row for an existing directory. See bench/README.md for the columns.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
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


def measure(cmd: list[str], cwd: Path | None = None) -> Measurement:
    """Run ``cmd`` with stdout discarded; wall time and the child's peak RSS (MiB) via wait4.

    On Linux ``ru_maxrss`` is in KiB and covers the child and any descendants it has waited for
    (as the largest single process, not a sum).
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # macOS reports bytes, Linux KiB
    return Measurement(round(wall, 3), round(usage.ru_maxrss / scale, 1), proc.returncode, tail)


def best_of(cmd: list[str], repeat: int) -> Measurement:
    """The fastest of ``repeat`` runs (peak RSS is the smallest seen, which is stable in practice)."""
    runs = [measure(cmd) for _ in range(repeat)]
    best = min(runs, key=lambda m: m.wall_s)
    best.peak_mib = min(m.peak_mib for m in runs)
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


def render(rows: list[Row], with_checkov: bool) -> str:
    header = ["target", "files", "wall s", "peak MiB"]
    if with_checkov:
        header += ["checkov wall s", "checkov MiB", "speed ratio", "memory ratio"]
    table = [header]
    for row in rows:
        fg = row.faasguard
        cells = [row.target, str(row.files)]
        if fg is None:
            cells += ["-", "-"]
        elif fg.exit_code != 0:
            cells += [f"FAILED({fg.exit_code})", _fmt(fg.peak_mib, ".1f")]
        else:
            cells += [_fmt(fg.wall_s, ".2f"), _fmt(fg.peak_mib, ".1f")]
        if with_checkov:
            ck = row.checkov
            cells += [
                _fmt(ck.wall_s if ck else None, ".2f"),
                _fmt(ck.peak_mib if ck else None, ".1f"),
                _fmt(row.speed_ratio if fg and fg.exit_code == 0 else None, ".1f", "x"),
                _fmt(row.memory_ratio if fg and fg.exit_code == 0 else None, ".2f"),
            ]
        table.append(cells)
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = []
    for n, r in enumerate(table):
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
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

    rows: list[Row] = []
    for name, path in targets:
        row = Row(name, str(path), count_files(path), None)
        if not args.no_faasguard:
            print(f"faasguard: {name} ...", file=sys.stderr)
            row.faasguard = best_of(faasguard_cmd(args.python, path, args.scan_arg), args.repeat)
            if row.faasguard.exit_code != 0:
                print(
                    f"  faasguard exited {row.faasguard.exit_code}:\n{row.faasguard.stderr_tail}",
                    file=sys.stderr,
                )
        if args.checkov:
            print(f"checkov: {name} ...", file=sys.stderr)
            row.checkov = best_of(checkov_cmd(args.checkov, path), args.repeat)
            if row.checkov.exit_code not in (0, 1):  # 1 means "failed checks found"
                print(
                    f"  checkov exited {row.checkov.exit_code}:\n{row.checkov.stderr_tail}", file=sys.stderr
                )
        rows.append(row)

    print(render(rows, bool(args.checkov)))

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
    return {"wall_s": m.wall_s, "peak_mib": m.peak_mib, "exit_code": m.exit_code}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


if __name__ == "__main__":
    raise SystemExit(main())
