"""Run the watch: logs -> DuckDB -> every detection's SQL -> findings in a ScanResult."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from faasguard.findings import Coverage, Finding, Location, Related, ScanError, ScanResult
from faasguard.model import Application
from faasguard.settings import Settings
from faasguard.watch import context
from faasguard.watch.detections import ACCESS_VIEW, INJECTION_PATTERNS, WatchRule, watch_rules
from faasguard.watch.store import Store


@dataclass(frozen=True)
class WatchOptions:
    logs: tuple[Path, ...] = ()
    log_groups: tuple[str, ...] = ()  # CloudWatch Logs groups (boto3)
    since: timedelta | None = None
    against: Path | None = None
    store: Path | None = None  # a DuckDB file; None keeps the store in memory
    settings: Settings = field(default_factory=Settings)
    select: frozenset[str] = frozenset()
    skip: frozenset[str] = frozenset()
    flood_per_minute: int = 300
    spike_min: int = 20
    spike_factor: float = 3.0
    profile: str | None = None
    region: str | None = None
    now: datetime | None = None  # the end of the window (tests pin it)


def run_watch(options: WatchOptions, session: Any = None) -> ScanResult:
    started = time.monotonic()
    store = Store(options.store)
    try:
        store.ingest_paths(options.logs)
        apps: list[Application] = []
        errors: list[ScanError] = []
        if options.against is not None:
            from faasguard.api import ScanOptions
            from faasguard.engine import load_applications

            apps, load_errors, _ = load_applications(options.against.resolve(), ScanOptions())
            errors.extend(load_errors)
        groups = list(options.log_groups)
        if groups or (not options.logs and session is not None):
            from faasguard.watch.cloudwatch import ingest_groups

            end = options.now or datetime.now(UTC)
            start = end - (options.since or timedelta(hours=24))
            groups = groups or _groups_from_model(apps)
            ingest_groups(store, session, groups, start, end, options.region)
        findings = detect(store, apps, options)
        errors += [ScanError(origin, None, message, "io") for origin, message in store.ingested.errors]
        errors += missing_fields(store, options)
        return ScanResult(
            root=str(options.against or "."),
            findings=sorted(findings, key=Finding.sort_key),
            errors=errors,
            coverage=Coverage(
                applications=len(apps),
                functions=sum(len(a.functions) for a in apps),
                files=store.ingested.files,
            ),
            duration_s=time.monotonic() - started,
            applications=[a.root for a in apps],
        )
    finally:
        store.close()


def _groups_from_model(apps: list[Application]) -> list[str]:
    names = [f.name for a in apps for f in a.functions if isinstance(f.name, str)]
    return [f"/aws/lambda/{n}" for n in names]


def selected(options: WatchOptions) -> Iterator[type[WatchRule]]:
    for rid, cls in watch_rules().items():
        if options.select and rid not in options.select:
            continue
        if rid in options.skip:
            continue
        yield cls


def prepare(store: Store, apps: list[Application], options: WatchOptions) -> None:
    db = store.db
    context.build(db, apps, options.settings)
    since = None
    if options.since is not None:
        since = (options.now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None) - options.since
    req_price, ms_price = context.default_prices(options.settings)
    db.execute(
        "CREATE OR REPLACE TABLE params AS SELECT CAST(? AS TIMESTAMP) AS since, ? AS flood_per_minute, "
        "? AS spike_min, ? AS spike_factor, ? AS default_req_price, ? AS default_ms_price, "
        "100.0 AS default_ms",
        [since, options.flood_per_minute, options.spike_min, options.spike_factor, req_price, ms_price],
    )
    db.execute("CREATE OR REPLACE TABLE injection_patterns (ord INTEGER, kind VARCHAR, pattern VARCHAR)")
    db.executemany(
        "INSERT INTO injection_patterns VALUES (?, ?, ?)",
        [[i, kind, pattern] for i, (kind, pattern) in enumerate(INJECTION_PATTERNS)],
    )
    db.execute(ACCESS_VIEW)


def detect(store: Store, apps: list[Application], options: WatchOptions) -> list[Finding]:
    from faasguard.engine import _fingerprint

    prepare(store, apps, options)
    lacking = {cls.meta.id for cls in selected(options) if _lacks(store, cls, options)}
    findings: list[Finding] = []
    for cls in selected(options):
        if cls.meta.id in lacking:
            continue
        rule = cls(options.settings)
        cursor = store.db.execute(cls.sql)
        names = [d[0] for d in cursor.description or ()]
        for values in cursor.fetchall():
            hit = rule.hit(dict(zip(names, values, strict=True)))
            meta = cls.meta
            related = (Related(_iac_path(options, hit.iac[0]), hit.iac[1], hit.iac[2]),) if hit.iac else ()
            findings.append(
                Finding(
                    rule=meta.id,
                    category=meta.category,
                    severity=hit.severity or meta.severity,
                    title=meta.title,
                    message=hit.message,
                    location=Location(hit.origin, hit.line, hit.line),
                    application=hit.app,
                    resource=hit.resource,
                    related=related,
                    extra=dict(hit.extra),
                    fingerprint=_fingerprint(hit.app, meta.id, hit.resource, hit.key),
                )
            )
    return findings


def _iac_path(options: WatchOptions, path: str) -> str:
    base = options.against
    if base is None:
        return path
    folder = base if base.is_dir() else base.parent
    return (folder / path).as_posix()


def _lacks(store: Store, cls: type[WatchRule], options: WatchOptions) -> list[str]:
    if cls.needs_against and options.against is None:
        return ["--against"]
    if cls.kind != "access" or not _has(store, "access"):
        return []
    return [f for f in cls.needs if f not in store.ingested.access_fields]


def _has(store: Store, kind: str) -> bool:
    row = store.db.execute("SELECT count(*) FROM events WHERE kind = ?", [kind]).fetchone()
    return bool(row and row[0])


def missing_fields(store: Store, options: WatchOptions) -> list[ScanError]:
    """Detections that could not run because the access logs do not carry what they need."""
    out = []
    for cls in selected(options):
        lacks = [f for f in _lacks(store, cls, options) if f != "--against"]
        if lacks:
            out.append(
                ScanError(
                    "(access logs)",
                    None,
                    f"{cls.meta.id} ({cls.name}) did not run: the access logs do not log {', '.join(lacks)}",
                    "unsupported",
                )
            )
    return out
