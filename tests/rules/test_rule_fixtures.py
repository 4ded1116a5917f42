"""Every rule fixture case: scan the case folder with only that rule, compare exact findings.

A case is `tests/rules/<RULE-ID>/<case>/` holding a small project and `expected.json`, the list
of that rule's findings as {rule, path, line, message}. Cases named `pass_*` must expect none,
`fail_*` at least one. `pytest --regen` (or FAASGUARD_REGEN=1) rewrites expected.json.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from faasguard.api import ScanOptions, scan
from faasguard.settings import Settings

HERE = Path(__file__).resolve().parent
FIXTURE_DAY = dt.date(2026, 11, 29)
CASES = sorted(p for p in HERE.glob("FG-*/*") if p.is_dir())


def _findings(case: Path, rule: str) -> list[dict[str, object]]:
    # Rules that judge dates (runtime deprecation) see a fixed day, so fixtures never drift.
    options = ScanOptions(select=frozenset({rule}), settings=Settings(today=FIXTURE_DAY), use_config=False)
    result = scan(case, options)
    assert not [e for e in result.errors if e.kind == "internal"], result.errors
    rows = [
        {"rule": f.rule, "path": f.location.path, "line": f.location.line, "message": f.message}
        for f in result.findings
    ]
    return sorted(rows, key=lambda r: (str(r["path"]), int(str(r["line"])), str(r["message"])))


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_rule_case(case: Path, regen: bool) -> None:
    rule = case.parent.name
    got = _findings(case, rule)
    expected_file = case / "expected.json"
    if regen:
        expected_file.write_text(json.dumps(got, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert got == expected
    if case.name.startswith("pass"):
        assert got == [], "a pass case must produce no finding"
    else:
        assert got, "a fail case must produce at least one finding"
