"""Run fuzz targets in this process under a memory bound and a per-example time bound.

    python tests/fuzz/fuzz_driver.py --profile short [TARGET ...]       # what the test suite runs
    python tests/fuzz/fuzz_driver.py --profile long --minutes 30 TARGET  # what `make fuzz` runs

The process caps its own address space (RLIMIT_AS, --memory-mb) before any input is read, so a
memory blow-up fails the example with MemoryError instead of exhausting the machine; a SIGALRM
timer fails an example that runs longer than --example-seconds (a hang) with the stack it was
stuck in. Each target runs two hypothesis properties (see fuzz_targets): its parser alone, and a
whole scan. The short profile is derandomized (the same examples every run, so CI is stable);
the long one draws fresh examples until its time is up and records every failure it meets
(the minimal input is written under --failures).

Prints one JSON line per target: name, examples run per property, seconds, slowest example,
peak RSS, failures. Exit status 1 when any target failed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "hostile")]

PROFILES = {
    # (parser examples, scan examples) per target; seconds per example.
    "short": {"parse": 60, "scan": 20, "example_seconds": 30.0},
    "long": {"parse": 400, "scan": 100, "example_seconds": 60.0},
}


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so no `except Exception` in the scanner swallows it."""


def _alarm(signum: int, frame: Any) -> None:
    raise Hang()


class Runner:
    def __init__(self, example_seconds: float, failures_dir: Path | None) -> None:
        self.example_seconds = example_seconds
        self.failures_dir = failures_dir
        self.count = 0
        self.slowest = 0.0
        self.last_failing: Any = None

    def call(self, fn: Any, value: Any) -> None:
        self.count += 1
        signal.setitimer(signal.ITIMER_REAL, self.example_seconds)
        start = time.perf_counter()
        try:
            fn(value)
        except Hang:
            self.last_failing = value
            raise AssertionError(f"no result within {self.example_seconds} s (a hang)") from None
        except BaseException:
            self.last_failing = value
            raise
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            self.slowest = max(self.slowest, time.perf_counter() - start)


def _describe(value: Any) -> str:
    describe = getattr(value, "describe", None)
    return describe() if callable(describe) else repr(value)[:20000]


def run_property(
    name: str, kind: str, strategy: Any, fn: Any, examples: int, profile: str, runner: Runner
) -> list[dict[str, str]]:
    from hypothesis import HealthCheck, Phase, given, settings

    phases = list(Phase)
    if profile == "long":
        phases = [p for p in phases if p is not Phase.explain]

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=profile == "short",
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=phases,
        print_blob=False,
    )
    @given(strategy)
    def prop(value: Any) -> None:
        runner.call(fn, value)

    try:
        prop()
    except Exception as exc:
        detail = "".join(traceback.format_exception(exc))[-6000:]
        notes = "\n".join(getattr(exc, "__notes__", []))[:4000]
        failure = {
            "property": kind,
            "error": f"{type(exc).__name__}: {str(exc)[:2000]}",
            "trace": detail,
            "notes": notes,
        }
        if runner.failures_dir is not None and runner.last_failing is not None:
            runner.failures_dir.mkdir(parents=True, exist_ok=True)
            out = runner.failures_dir / f"{name}-{kind}-{int(time.time() * 1000)}.txt"
            out.write_text(
                f"{failure['error']}\n\n{notes}\n\n{_describe(runner.last_failing)}\n\n{detail}\n", "utf-8"
            )
            failure["saved"] = str(out)
        return [failure]
    return []


def run_target(name: str, profile: str, seconds: float, runner_args: dict[str, Any]) -> dict[str, Any]:
    from fuzz_targets import TARGETS, run_scan

    target = TARGETS[name]
    plan = PROFILES[profile]
    parse_runner = Runner(**runner_args)
    scan_runner = Runner(**runner_args)
    failures: list[dict[str, str]] = []
    start = time.monotonic()
    rounds = 0
    while True:
        rounds += 1
        failures += run_property(
            name, "parse", target.parse_input, target.parse, int(plan["parse"]), profile, parse_runner
        )
        failures += run_property(
            name,
            "scan",
            target.project,
            lambda p: run_scan(p, target.use_config),
            int(plan["scan"]),
            profile,
            scan_runner,
        )
        if profile == "short" or time.monotonic() - start >= seconds or len(failures) >= 10:
            break
    return {
        "target": name,
        "profile": profile,
        "rounds": rounds,
        "parse_examples": parse_runner.count,
        "scan_examples": scan_runner.count,
        "seconds": round(time.monotonic() - start, 1),
        "slowest_example_s": round(max(parse_runner.slowest, scan_runner.slowest), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "failures": failures,
    }


def main(argv: list[str] | None = None) -> int:
    from fuzz_targets import TARGETS

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("targets", nargs="*", help=f"default: all of {', '.join(TARGETS)}")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="short")
    parser.add_argument("--minutes", type=float, default=30.0, help="long profile: minutes per target")
    parser.add_argument("--memory-mb", type=int, default=3072, help="address-space bound of this process")
    parser.add_argument("--example-seconds", type=float, help="time bound of one example")
    parser.add_argument("--failures", type=Path, help="write each failure's minimal input here")
    parser.add_argument("--list", action="store_true", help="print the target names and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(TARGETS))
        return 0
    names = args.targets or list(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}")
    limit = args.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _alarm)
    # Terraform's parse cache and anything else a scan writes go to a folder removed afterwards.
    cache = tempfile.TemporaryDirectory(prefix="fgfuzz-cache-")
    os.environ["XDG_CACHE_HOME"] = cache.name
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    runner_args = {
        "example_seconds": args.example_seconds or float(PROFILES[args.profile]["example_seconds"]),
        "failures_dir": args.failures,
    }
    failed = False
    for name in names:
        summary = run_target(name, args.profile, args.minutes * 60, runner_args)
        failed = failed or bool(summary["failures"])
        print(json.dumps(summary), flush=True)
    cache.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
