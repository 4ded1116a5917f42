"""faasguard and checkov side by side on the Terraform folders of a corpus.

Usage::

    python bench/terraform.py CORPUS_DIR [--checkov PATH] [--repeat N] [--json FILE]

Every top-level folder of CORPUS_DIR that holds a ``.tf`` or ``.tf.json`` file (anywhere below
it) is copied, whole, into ``bench/out/terraform-<hash>/`` (gitignored), so both tools read
exactly the same folders and nothing else. Then, with stdout discarded, in one run:

    python -m faasguard scan COPY --format json --output /dev/null --fail-on never
    checkov -d COPY --framework terraform --quiet --compact -o json

Wall time and peak RSS come from ``bench/run.py``'s ``measure`` (``os.wait4``). A last faasguard
run writes its JSON report to count what was loaded: applications, functions, handlers mapped,
errors by class (modules not downloaded, parse, bounds, others).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
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
        run.measure(cmd)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="faasguard vs checkov on the Terraform folders of a corpus")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--checkov", metavar="PATH", help="checkov executable")
    parser.add_argument("--python", default=sys.executable, help="interpreter with faasguard installed")
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool; the fastest counts")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    folders = terraform_folders(args.corpus.resolve())
    target = mirror(args.corpus.resolve(), folders)
    print(f"{len(folders)} Terraform patterns copied to {target}", file=sys.stderr)
    fg = run.best_of(run.faasguard_cmd(args.python, target, []), args.repeat, False)
    result: dict[str, object] = {
        "patterns": len(folders),
        "files": run.count_files(target),
        "faasguard": {"wall_s": fg.wall_s, "peak_mib": fg.peak_mib, "exit": fg.exit_code},
        "coverage": coverage(args.python, target),
    }
    line = f"faasguard: {fg.wall_s:.2f} s, {fg.peak_mib:.0f} MiB"
    if args.checkov:
        checkov = [args.checkov, "-d", str(target), "--framework", "terraform", "--quiet", "--compact"]
        ck = run.best_of([*checkov, "-o", "json"], args.repeat, False)
        result["checkov"] = {"wall_s": ck.wall_s, "peak_mib": ck.peak_mib, "exit": ck.exit_code}
        result["speed_ratio"] = round(ck.wall_s / fg.wall_s, 1) if fg.wall_s else None
        result["memory_ratio"] = round(fg.peak_mib / ck.peak_mib, 2) if ck.peak_mib else None
        line += f" | checkov: {ck.wall_s:.2f} s, {ck.peak_mib:.0f} MiB | {result['speed_ratio']}x faster"
    print(line)
    print(json.dumps(result["coverage"]))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    if fg.exit_code != 0:
        print(fg.stderr_tail, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
