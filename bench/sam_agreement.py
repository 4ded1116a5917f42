"""Compare faasguard's SAM reading with aws-sam-translator's own transform over a corpus.

Usage::

    python bench/sam_agreement.py CORPUS_DIR [--json OUT] [--top N] [--examples N]

Every SAM template under CORPUS_DIR (build output, node_modules and .git skipped) is translated
offline by aws-sam-translator and loaded by faasguard; the facts both hold (roles and their
actions, managed policies, permissions, routes, route auth and targets) are compared with the
accepted differences of tests/loaders/sam_agreement.py set aside. Prints the totals and the most
frequent kinds of remaining difference with example templates; --json writes every template's
result. Nothing here talks to AWS.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import sys
import time
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

LIBRARY = Path(__file__).resolve().parent.parent / "tests" / "loaders" / "sam_agreement.py"


def _load_library() -> ModuleType:
    """tests/loaders/sam_agreement.py, by path: this script has the same file name."""
    spec = importlib.util.spec_from_file_location("faasguard_sam_agreement", LIBRARY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


sa: Any = _load_library()


def _summary(results: list[Any], top: int, examples: int, seconds: float) -> dict[str, Any]:
    status = Counter(r.status for r in results)
    rejected = Counter(r.reason.split(":", 1)[0] for r in results if r.status == "translator-rejected")
    accepted: Counter[str] = Counter()
    sam_facts: Counter[str] = Counter()
    fg_facts: Counter[str] = Counter()
    categories: dict[str, list[tuple[str, str]]] = {}
    for r in results:
        if r.comparison is None:
            continue
        accepted.update(r.comparison.accepted)
        sam_facts.update(r.comparison.sam_facts)
        fg_facts.update(r.comparison.faasguard_facts)
        for d in r.comparison.differences:
            categories.setdefault(d.category, []).append((r.template, str(d)))
    ranked = sorted(categories.items(), key=lambda kv: (-len({t for t, _ in kv[1]}), -len(kv[1]), kv[0]))
    top_kinds = []
    for category, items in ranked[:top]:
        seen: dict[str, str] = {}
        for template, text in items:
            seen.setdefault(template, text)
        top_kinds.append(
            {
                "difference": category,
                "count": len(items),
                "templates": len(seen),
                "examples": [{"template": t, "difference": x} for t, x in list(seen.items())[:examples]],
            }
        )
    compared = status["agree"] + status["differ"]
    return {
        "templates_found": len(results) - status["not-sam"],
        "compared": compared,
        "agree": status["agree"],
        "differ": status["differ"],
        "agreement": round(status["agree"] / compared, 4) if compared else None,
        "translator_rejected": status["translator-rejected"],
        "rejected_by": dict(rejected.most_common()),
        "unreadable": status["unreadable"],
        "faasguard_error": status["faasguard-error"],
        "facts_sam": {k: sam_facts[k] for k in sa.KINDS},
        "facts_faasguard": {k: fg_facts[k] for k in sa.KINDS},
        "differences": sum(len(v) for v in categories.values()),
        "accepted_by_rule": dict(accepted.most_common()),
        "top_differences": top_kinds,
        "seconds": round(seconds, 2),
    }


def _print(summary: dict[str, Any]) -> None:
    print(f"SAM templates found      {summary['templates_found']}")
    print(f"  compared               {summary['compared']}")
    share = summary["agreement"]
    print(f"  fully agreeing         {summary['agree']}" + (f"  ({share:.1%})" if share is not None else ""))
    print(f"  with differences       {summary['differ']}")
    print(f"  translator-rejected    {summary['translator_rejected']}  {summary['rejected_by'] or ''}")
    print(f"  unreadable YAML/JSON   {summary['unreadable']}")
    print(f"  faasguard load error   {summary['faasguard_error']}")
    print(f"facts (SAM side)         {summary['facts_sam']}")
    print(f"facts (faasguard side)   {summary['facts_faasguard']}")
    print(f"remaining differences    {summary['differences']}")
    print(f"accepted (by rule)       {summary['accepted_by_rule']}")
    print(f"time                     {summary['seconds']} s")
    print()
    print("top differences (templates, facts):")
    for entry in summary["top_differences"]:
        print(f"  {entry['templates']:4d} {entry['count']:5d}  {entry['difference']}")
        for ex in entry["examples"]:
            print(f"              {ex['template']}  |  {ex['difference']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="folder to search for SAM templates")
    parser.add_argument("--json", type=Path, help="write the summary and every template's result here")
    parser.add_argument("--top", type=int, default=15, help="how many difference kinds to list")
    parser.add_argument("--examples", type=int, default=3, help="example templates per difference kind")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus} is not a folder")
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    logging.getLogger("samtranslator").setLevel(logging.ERROR)  # "unpublished metrics" and the like
    root = args.corpus.resolve()
    started = time.perf_counter()
    results = [sa.compare_template(path, root) for path in sa.find_sam_templates(root)]
    summary = _summary(results, args.top, args.examples, time.perf_counter() - started)
    _print(summary)
    if args.json is not None:
        detail = [
            {
                "template": r.template,
                "status": r.status,
                "reason": r.reason,
                "differences": [str(d) for d in r.comparison.differences] if r.comparison else [],
                "accepted": dict(r.comparison.accepted) if r.comparison else {},
            }
            for r in results
            if r.status != "not-sam"
        ]
        args.json.write_text(
            json.dumps({"summary": summary, "templates": detail}, indent=2), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
