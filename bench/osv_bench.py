"""OSV database benchmark: import a synthetic OSV export, then match packages against it.

    .venv/bin/python bench/osv_bench.py [--records 50000] [--packages 1000] [--seed 0] [--keep DIR]

Writes a deterministic synthetic OSV zip export (PyPI and npm records shaped like the real ones:
GHSA records with CVSS vectors and aliases, PYSEC copies with `versions` lists, MAL- records,
some withdrawn), times `faasguard db import` of it into a SQLite database, then times matching
N pinned packages (half PyPI, half npm; a quarter of them vulnerable) the way a scan does:
look-up, range evaluation, alias grouping. Reports seconds and peak memory (RSS high-water mark).
Targets: import of 50,000 records under 60 s; matching 1,000 packages under 1 s.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from faasguard.analysis.deps.osv import fixed_after, group_aliases, is_affected
from faasguard.analysis.deps.store import Store, import_path

VECTORS = (
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N",
    "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N",
)


def _version(rnd: random.Random, npm: bool) -> tuple[int, int, int]:
    return (
        (rnd.randint(0, 9), rnd.randint(0, 30), rnd.randint(0, 20))
        if npm
        else (rnd.randint(0, 5), rnd.randint(0, 30), rnd.randint(0, 9))
    )


def _text(v: tuple[int, int, int]) -> str:
    return ".".join(map(str, v))


def generate(path: Path, records: int, seed: int) -> tuple[int, list[tuple[str, str, str]]]:
    """Write the export; returns (records written, a pool of (ecosystem, name, version) probes)."""
    rnd = random.Random(seed)
    n_packages = max(records // 5, 10)
    names = [
        ("npm" if i % 2 else "PyPI", f"pkg-{i:06d}" if i % 2 else f"Py_Pkg.{i:06d}")
        for i in range(n_packages)
    ]
    probes: list[tuple[str, str, str]] = []
    written = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(records):
            eco, name = names[rnd.randrange(n_packages)]
            npm = eco == "npm"
            low = _version(rnd, npm)
            high = (low[0], low[1] + rnd.randint(1, 5), 0)
            kind = rnd.random()
            rid = f"GHSA-{i:04x}-{rnd.randrange(16**4):04x}-{rnd.randrange(16**4):04x}"
            affected: dict[str, object] = {
                "package": {"ecosystem": eco, "name": name},
                "ranges": [
                    {
                        "type": "SEMVER" if npm else "ECOSYSTEM",
                        "events": [{"introduced": _text(low)}, {"fixed": _text(high)}],
                    }
                ],
            }
            record: dict[str, object] = {
                "schema_version": "1.6.0",
                "id": rid,
                "modified": "2025-01-01T00:00:00Z",
                "published": "2024-01-01T00:00:00Z",
                "aliases": [f"CVE-2024-{i:05d}"],
                "summary": f"Synthetic vulnerability {i} in {name}",
                "details": "A synthetic advisory for benchmarking. " * 20,
                "severity": [{"type": "CVSS_V3", "score": VECTORS[i % len(VECTORS)]}],
                "affected": [affected],
                "references": [{"type": "WEB", "url": f"https://example.com/advisory/{i}"}],
                "database_specific": {"severity": "HIGH", "cwe_ids": ["CWE-79"]},
            }
            if kind < 0.02:
                record["withdrawn"] = "2025-01-02T00:00:00Z"
            elif kind < 0.05:
                record["id"] = f"MAL-2025-{i}"
                affected["ranges"] = [
                    {"type": "ECOSYSTEM" if not npm else "SEMVER", "events": [{"introduced": "0"}]}
                ]
            elif kind < 0.30 and not npm:
                record["id"] = f"PYSEC-2024-{i}"
                record["aliases"] = [f"CVE-2024-{i:05d}"]
                affected["versions"] = [_text((low[0], low[1] + d, 0)) for d in range(high[1] - low[1])]
            zf.writestr(f"{record['id']}.json", json.dumps(record))
            written += 1
            probes.append((eco, name, _text(low)))  # vulnerable
            probes.append((eco, name, _text((high[0], high[1] + 1, 0))))  # likely fixed
    return written, probes


def match(store: Store, packages: list[tuple[str, str, str]]) -> int:
    findings = 0
    for eco, name, version in packages:
        hits = [a for a in store.lookup(eco, name) if is_affected(eco, version, a)]
        for group in group_aliases(hits):
            findings += 1
            for adv in group.advisories:
                fixed_after(eco, version, adv)
    return findings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--packages", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="write the export and database here (kept)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="faasguard-osv-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    export, database = work / "all.zip", work / "osv.sqlite"

    t0 = time.perf_counter()
    written, probes = generate(export, args.records, args.seed)
    t_gen = time.perf_counter() - t0

    t0 = time.perf_counter()
    stats = import_path(database, export)
    t_import = time.perf_counter() - t0

    rnd = random.Random(args.seed + 1)
    vulnerable = probes[0::2]
    clean = probes[1::2]
    quarter = args.packages // 4
    packages = rnd.sample(vulnerable, quarter) + rnd.sample(clean, args.packages - quarter)
    store = Store.open(database)
    t0 = time.perf_counter()
    findings = match(store, packages)
    t_match = time.perf_counter() - t0
    t0 = time.perf_counter()
    match(store, packages)  # the same packages again: per-scan look-up cache
    t_rematch = time.perf_counter() - t0
    store.close()

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_mb = database.stat().st_size / 1e6
    export_mb = export.stat().st_size / 1e6
    print(f"export   {written} records, {export_mb:.1f} MB zip, generated in {t_gen:.1f} s")
    print(
        f"import   {t_import:.2f} s  ({stats.records} kept, {stats.withdrawn} withdrawn, "
        f"{stats.malicious} malicious; db {size_mb:.1f} MB)   target < 60 s"
    )
    print(
        f"match    {t_match * 1000:.0f} ms for {len(packages)} packages ({findings} findings)   target < 1 s"
    )
    print(f"rematch  {t_rematch * 1000:.0f} ms (cached look-ups)")
    print(f"peak RSS {peak_mb:.0f} MB")
    if args.keep is None:
        for p in (export, database):
            p.unlink(missing_ok=True)
        work.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
