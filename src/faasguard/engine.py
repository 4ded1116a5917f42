"""The scan pipeline: discover -> load -> rules -> findings. One way, no shared mutable state."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable
from pathlib import Path

from faasguard.api import ScanOptions
from faasguard.findings import (
    Coverage,
    Finding,
    Location,
    Related,
    ScanError,
    ScanResult,
    Severity,
)
from faasguard.model import Application


def _fingerprint(app: str, rule: str, resource: str, snippet: str) -> str:
    # Line numbers are deliberately left out so the fingerprint survives edits above the finding.
    norm = re.sub(r"\s+", " ", snippet).strip()
    norm = re.sub(r"(?<=[a-z.])\:\d+", "", norm)  # "app.py:22" -> "app.py"
    digest = hashlib.sha256("\x1f".join((app, rule, resource, norm)).encode("utf-8")).hexdigest()
    return digest[:32]


def load_applications(
    root: Path, options: ScanOptions, only: str | None = None
) -> tuple[list[Application], list[ScanError], int]:
    from faasguard.loaders.cloudformation import LoadOptions, load_template
    from faasguard.loaders.discover import discover

    found = discover(root, options.limits, options.exclude)
    errors = list(found.errors)
    candidates = [c for c in found.candidates if only is None or c.rel == only]
    if only is not None:
        errors = [e for e in errors if e.path == only]
    apps: list[Application] = []
    load_options = LoadOptions(options.parameters, options.config_env, options.limits)
    total = len(candidates)
    for i, cand in enumerate(candidates):
        if options.progress is not None:
            options.progress(i, total, cand.rel)
        if cand.kind in ("cloudformation", "cdk"):
            try:
                app, errs = load_template(cand.path, cand.rel, cand.app_root, root, cand.kind, load_options)
            except RecursionError:
                app, errs = (
                    None,
                    [ScanError(cand.rel, None, "template nested too deeply to evaluate", "bound")],
                )
            except Exception as exc:  # a loader bug must not end the scan: report it and go on
                app, errs = (
                    None,
                    [ScanError(cand.rel, None, f"internal error while loading: {exc!r}", "internal")],
                )
            errors.extend(errs)
            if app is not None:
                apps.append(app)
        elif cand.kind == "serverless-ts":
            errors.append(
                ScanError(
                    cand.rel,
                    None,
                    "serverless.ts/.js cannot be read without executing it; not scanned",
                    "unsupported",
                )
            )
    if options.progress is not None:
        options.progress(total, total, "")
    return apps, errors, found.files_seen


def run_rules(apps: Iterable[Application], options: ScanOptions) -> tuple[list[Finding], list[ScanError]]:
    from faasguard.rules.base import all_rules

    rules = [
        cls(options.settings)
        for rid, cls in all_rules().items()
        if (not options.select or rid in options.select) and rid not in options.skip
    ]
    findings: list[Finding] = []
    errors: list[ScanError] = []
    for app in apps:
        for rule in rules:
            meta = rule.meta
            try:
                violations = list(rule.check(app))
            except Exception as exc:  # one rule's bug must not hide the others' findings
                errors.append(ScanError(app.source.path, None, f"rule {meta.id} failed: {exc!r}", "internal"))
                continue
            for v in violations:
                severity = options.severity_overrides.get(meta.id) or v.severity or meta.severity
                resource = app.construct_paths.get(v.resource, v.resource)
                findings.append(
                    Finding(
                        rule=meta.id,
                        category=meta.category,
                        severity=severity,
                        title=meta.title,
                        message=v.message,
                        location=Location(v.source.path, v.source.line, v.source.end_line or v.source.line),
                        application=app.root,
                        resource=resource,
                        related=tuple(Related(r.source.path, r.source.line, r.message) for r in v.related),
                        extra=dict(v.extra),
                        fingerprint=_fingerprint(app.root, meta.id, resource, v.snippet or v.message),
                    )
                )
    return findings, errors


def run_scan(path: Path, options: ScanOptions) -> ScanResult:
    start = time.perf_counter()
    root = path.resolve()
    if not root.exists():
        raise FileNotFoundError(f"no such file or folder: {path}")
    only = None
    if root.is_file():  # a single template: scan its folder, keep only that file
        only = root.name
        root = root.parent
    apps, errors, files_seen = load_applications(root, options, only)
    findings, rule_errors = run_rules(apps, options)
    errors.extend(rule_errors)
    findings.sort(key=Finding.sort_key)
    unique = list({f.fingerprint + f.location.path + str(f.location.line): f for f in findings}.values())
    coverage = Coverage(
        applications=len(apps),
        functions=sum(len(a.functions) for a in apps),
        handlers_mapped=sum(1 for a in apps for f in a.functions if f.handler_file),
        unknown_values=sum(a.unknowns for a in apps),
        files=files_seen,
        files_in_errors=len({e.path for e in errors}),
    )
    return ScanResult(
        root=str(path),
        findings=unique,
        errors=sorted(errors, key=lambda e: (e.path, e.line or 0, e.message)),
        coverage=coverage,
        duration_s=round(time.perf_counter() - start, 3),
        applications=sorted({a.root for a in apps}),
        app_exposure=_exposure(apps, unique),
    )


def _exposure(apps: list[Application], findings: list[Finding]) -> dict[str, dict[str, float]]:
    """Per application, the worst-case flood spend (filled in by the denial-of-wallet analysis)."""
    out: dict[str, dict[str, float]] = {}
    for f in findings:
        total = f.extra.get("app_usd_per_hour")
        if isinstance(total, (int, float)):
            out[f.application] = {"usd_per_hour": float(total), "usd_per_day": float(total) * 24}
    return out


__all__ = ["Severity", "run_scan"]
