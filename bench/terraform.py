"""faasguard and checkov side by side on the Terraform folders of a corpus.

Usage::

    python bench/terraform.py CORPUS_DIR [--checkov PATH] [--repeat N] [--json FILE]

Every top-level folder of CORPUS_DIR that holds a ``.tf`` or ``.tf.json`` file (anywhere below
it) is copied, whole, into ``bench/out/terraform-<hash>/`` (gitignored), so both tools read
exactly the same folders and nothing else. Then, with stdout discarded, in one run:

    python -m faasguard scan COPY --format json --output /dev/null --fail-on never
    checkov -d COPY --framework terraform --quiet --compact -o json

Wall time, CPU time and peak RSS come from ``bench/run.py``'s ``measure`` (``os.wait4``); with
``--tree-memory`` the summed PSS of each tool's process tree is sampled too. A last faasguard
run writes its JSON report to count what was loaded: applications, functions, handlers mapped,
errors by class (modules not downloaded, parse, bounds, others).

faasguard runs as an installed package does, with bytecode: ``PYTHONDONTWRITEBYTECODE`` is dropped
from both tools' environments, and faasguard's modules are compiled before timing
(``compileall`` plus one discarded scan, as a pip install would have them). The headline
figure is a cold scan, a project's first: ``FAASGUARD_NO_CACHE=terraform`` (no parse cache:
every file parsed; the installation's AWS SDK model index, built once per botocore version
whatever the project, is present as after any earlier scan), with the CLI's automatic choice of
loading workers (none when the load average says the cores are busy). More lines, clearly
labelled, show a cold scan in one process (``FAASGUARD_WORKERS=1``), one with a loading worker
per core (``FAASGUARD_WORKERS=<cores>``), a fresh installation's first run
(``FAASGUARD_NO_CACHE=1``: no cache at all) and a warm scan (the caches
filled by an earlier scan of the same, unchanged files, in a temporary ``XDG_CACHE_HOME``). Runs
are interleaved (every configuration once, then again) so a change in machine load hits all of
them alike; the fastest run of each counts. The load average before the runs is printed:
workers only help when cores are idle (a background job in another session takes its share of
the cores whatever its nice value, under Linux's autogroup scheduling).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import run

SKIP = {".git", "node_modules", ".venv", "venv", "__pycache__", "cdk.out", ".aws-sam"}


def terraform_folders(corpus: Path) -> list[Path]:
    out = []
    for entry in sorted(corpus.iterdir()):
        if not entry.is_dir() or entry.name in SKIP:
            continue
        for _, dirs, files in os.walk(entry):
            dirs[:] = [d for d in dirs if d not in SKIP]
            if any(f.endswith((".tf", ".tf.json")) for f in files):
                out.append(entry)
                break
    return out


def mirror(corpus: Path, folders: list[Path]) -> Path:
    key = hashlib.sha256("\n".join(str(f) for f in folders).encode()).hexdigest()[:10]
    target = run.OUT_DIR / f"terraform-{key}"
    if target.is_dir():
        return target
    run.OUT_DIR.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tf-", dir=run.OUT_DIR))
    try:
        for folder in folders:
            shutil.copytree(folder, tmp / folder.name, symlinks=True, ignore=shutil.ignore_patterns(*SKIP))
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def coverage(python: str, target: Path) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = run.faasguard_cmd(python, target, [])
        cmd[cmd.index(os.devnull)] = str(report)
        run.measure(cmd, env=run.faasguard_env())
        data = json.loads(report.read_text())
    summary = data["summary"]
    return {
        "applications": summary.get("applications"),
        "functions": summary.get("functions"),
        "handlers_mapped": summary.get("handlers_mapped"),
        "unknown_values": summary.get("unknown_values"),
        "errors": dict(Counter(_error_class(e.get("message", "")) for e in data.get("errors", []))),
        "findings": len(data.get("findings", [])),
    }


def _error_class(message: str) -> str:
    """The JSON report has no error kinds: a short class from the message."""
    if "is not downloaded" in message:
        return "module not downloaded"
    if message.startswith("invalid HCL") or message.startswith("invalid JSON"):
        return "parse"
    if "parse_seconds" in message or "bound" in message:
        return "bound"
    return message.split(":")[0][:60]


def _cores(python: str) -> str:
    code = "import os; print(len(os.sched_getaffinity(0)))"
    out = subprocess.run(
        [python, "-c", code], capture_output=True, text=True, env=run.tool_env(), check=False
    )
    return out.stdout.strip() or "1"


def _interleaved(
    configs: dict[str, tuple[list[str], dict[str, str]]], repeat: int, tree: bool
) -> dict[str, run.Measurement]:
    runs: dict[str, list[run.Measurement]] = {name: [] for name in configs}
    for _ in range(repeat):
        for name, (cmd, env) in configs.items():
            runs[name].append(run.measure(cmd, tree, env))
    best = {}
    for name, ms in runs.items():
        m = min(ms, key=lambda x: x.wall_s)
        m.peak_mib = min(x.peak_mib for x in ms)
        if tree:
            m.tree_mib = min(x.tree_mib or 0.0 for x in ms)
        best[name] = m
    return best


def _figures(m: run.Measurement) -> dict[str, object]:
    return {
        "wall_s": m.wall_s,
        "cpu_s": m.cpu_s,
        "peak_mib": m.peak_mib,
        "tree_mib": m.tree_mib,
        "exit": m.exit_code,
    }


def _line(label: str, m: run.Measurement) -> str:
    text = f"{label}: {m.wall_s:.2f} s wall, {m.cpu_s or 0:.2f} s cpu, {m.peak_mib:.0f} MiB peak"
    return text + (f" ({m.tree_mib:.0f} MiB process tree)" if m.tree_mib is not None else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="faasguard vs checkov on the Terraform folders of a corpus")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--checkov", metavar="PATH", help="checkov executable")
    parser.add_argument("--python", default=sys.executable, help="interpreter with faasguard installed")
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool; the fastest counts")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--tree-memory", action="store_true", help="also sample the summed PSS of each process tree"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    folders = terraform_folders(args.corpus.resolve())
    target = mirror(args.corpus.resolve(), folders)
    print(f"{len(folders)} Terraform patterns copied to {target}", file=sys.stderr)
    run.warm_bytecode(args.python, target)
    scan = run.faasguard_cmd(args.python, target, [])
    cores = _cores(args.python)
    load_before = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory() as cache_home:
        warm_env = run.faasguard_env(cache=True, XDG_CACHE_HOME=cache_home)
        run.measure(scan, env=warm_env)  # fills the parse cache

        # A project's first scan: no parse cache, but the installation's SDK model index (built
        # once per botocore/boto3 version, whatever the project) is there, as after any scan.
        def cold_env(**extra: str) -> dict[str, str]:
            return run.faasguard_env(no_cache="terraform", XDG_CACHE_HOME=cache_home, **extra)

        configs = {
            "cold": (scan, cold_env()),
            "cold_one_process": (scan, cold_env(FAASGUARD_WORKERS="1")),
            "cold_all_cores": (scan, cold_env(FAASGUARD_WORKERS=cores)),
            "first_run": (scan, run.faasguard_env()),
            "warm": (scan, warm_env),
        }
        if args.checkov:
            checkov = [args.checkov, "-d", str(target), "--framework", "terraform", "--quiet", "--compact"]
            configs["checkov"] = ([*checkov, "-o", "json"], run.tool_env())
        best = _interleaved(configs, args.repeat, args.tree_memory)
    fg = best["cold"]
    labels = {
        "cold": "faasguard cold (bytecode, no parse cache, automatic worker choice)",
        "cold_one_process": "faasguard cold, one process (FAASGUARD_WORKERS=1)",
        "cold_all_cores": f"faasguard cold, {cores} loading workers (FAASGUARD_WORKERS={cores})",
        "first_run": "faasguard first run of a fresh installation (FAASGUARD_NO_CACHE=1: no cache at all)",
        "warm": "faasguard warm (parse cache filled by an earlier scan of the same files)",
    }
    result: dict[str, object] = {
        "patterns": len(folders),
        "files": run.count_files(target),
        "cores": cores,
        "load_average_before": load_before,
        "faasguard": _figures(fg),
        "faasguard_one_process": _figures(best["cold_one_process"]),
        "faasguard_all_cores": _figures(best["cold_all_cores"]),
        "faasguard_first_run": _figures(best["first_run"]),
        "faasguard_warm": _figures(best["warm"]),
        "coverage": coverage(args.python, target),
    }
    ck = best.get("checkov")
    if ck is not None:
        result["checkov"] = _figures(ck)
        result["speed_ratio"] = round(ck.wall_s / fg.wall_s, 1) if fg.wall_s else None
        result["speed_ratio_one_process"] = round(ck.wall_s / best["cold_one_process"].wall_s, 1)
        result["speed_ratio_all_cores"] = round(ck.wall_s / best["cold_all_cores"].wall_s, 1)
        result["speed_ratio_first_run"] = round(ck.wall_s / best["first_run"].wall_s, 1)
        result["speed_ratio_warm"] = round(ck.wall_s / best["warm"].wall_s, 1)
        result["memory_ratio"] = round(fg.peak_mib / ck.peak_mib, 2) if ck.peak_mib else None
        print(_line("checkov --framework terraform", ck))
    for key, label in labels.items():
        line = _line(label, best[key])
        if ck is not None and best[key].wall_s:
            line += f" | {ck.wall_s / best[key].wall_s:.1f}x faster than checkov"
        print(line)
    print(f"load average before the runs: {load_before} on {cores} cores")
    print(json.dumps(result["coverage"]))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    if fg.exit_code != 0:
        print(fg.stderr_tail, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
