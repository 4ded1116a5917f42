"""The demo app in examples/ fires exactly the seeded findings (rule, path, line, message)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from faasguard.api import ScanOptions, scan
from faasguard.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = Path(__file__).resolve().parent / "expected.json"


def _rows() -> list[dict[str, object]]:
    options = ScanOptions(
        settings=Settings(today=dt.date(2026, 11, 29)), use_config=False, osv_db=ROOT / "examples" / "osv"
    )
    result = scan(ROOT / "examples", options)
    assert result.errors == []
    rows = [
        {"rule": f.rule, "path": f.location.path, "line": f.location.line, "message": f.message}
        for f in result.findings
    ]
    return sorted(rows, key=lambda r: (str(r["rule"]), int(str(r["line"])), str(r["message"])))


def test_demo_findings_are_exactly_the_seeded_flaws(regen: bool) -> None:
    got = _rows()
    if regen:
        EXPECTED.write_text(json.dumps(got, indent=2) + "\n", encoding="utf-8")
    assert got == json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_demo_covers_eight_categories_and_prices_the_flood() -> None:
    options = ScanOptions(settings=Settings(today=dt.date(2026, 11, 29)), use_config=False)
    result = scan(ROOT / "examples", options)
    categories = {f.category.value for f in result.findings}
    assert categories >= {
        "broken-authentication",
        "over-privilege",
        "logging-monitoring",
        "vulnerable-dependency",
        "denial-of-wallet",
        "shadow-api",
        "sensitive-data",
        "insecure-transport",
    }
    # 10,000 req/s (account API limit) x 60 s timeout > 1000 concurrency; 1 GB x86_64; REST fee.
    per_hour = (1000 * 1.0 * 0.0000166667 + 10_000 * (0.20e-6 + 3.50e-6)) * 3600
    assert result.app_exposure["."]["usd_per_hour"] == round(per_hour, 2)
