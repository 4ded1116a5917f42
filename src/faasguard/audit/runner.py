"""The audit pipeline: inventory -> model -> (code) -> (comparison with the IaC) -> rules -> result.

The live account becomes the same `Application` model every loader produces, so every rule of
`faasguard scan` applies unchanged; the drift rules (`faasguard.rules.drift`) add what only a
comparison with the IaC can say.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from faasguard.analysis.facts import Facts
from faasguard.audit.aws import AuditError, AwsContext, CallStats
from faasguard.audit.code import Fetch
from faasguard.audit.compare import Difference
from faasguard.findings import Coverage, Finding, ScanError, ScanResult, Severity
from faasguard.rules.base import Rule
from faasguard.settings import DEFAULT_SETTINGS, Settings


@dataclass(frozen=True)
class AuditOptions:
    profile: str | None = None
    regions: tuple[str, ...] = ()
    all_regions: bool = False
    # Compare with the IaC under this path (any loader); `against_label` is how its files are
    # named in the report (the path as the user typed it, by default).
    against: Path | None = None
    against_label: str | None = None
    with_code: bool = False
    workers: int = 8
    select: frozenset[str] = frozenset()
    skip: frozenset[str] = frozenset()
    severity_overrides: Mapping[str, Severity] = field(default_factory=dict)
    settings: Settings = DEFAULT_SETTINGS
    # A boto3 Session to use instead of one made from `profile` (embedding, tests).
    session: Any = None
    # Downloads a deployment package for --with-code (default: urllib, https only).
    fetch: Fetch | None = None


@dataclass
class AuditResult:
    result: ScanResult
    account: str
    regions: list[str]
    stats: CallStats
    differences: dict[str, list[Difference]] = field(default_factory=dict)

    def summary(self) -> dict[str, object]:
        """The audit's part of the JSON report's `summary` (an additive key)."""
        return {"account": self.account, "regions": self.regions, **self.stats.as_dict()}


class AuditFacts(Facts):
    """The per-scan facts, plus the comparison the drift rules read."""

    def __init__(self, root: Path, differences: Mapping[str, Sequence[Difference]]) -> None:
        super().__init__(root)
        self.differences = differences


def rule_classes(options: AuditOptions) -> list[type[Rule]]:
    """Every rule of `faasguard scan` and every audit rule, as selected."""
    from faasguard.rules.base import all_rules
    from faasguard.rules.drift import audit_rules

    registry: dict[str, type[Rule]] = {**all_rules(), **audit_rules()}
    known = {rid.upper() for rid in registry}
    unknown = sorted((options.select | options.skip) - known)
    if unknown:
        raise AuditError(f"unknown rule id(s): {', '.join(unknown)}")
    return [
        cls
        for rid, cls in sorted(registry.items())
        if (not options.select or rid in options.select) and rid not in options.skip
    ]


def run_audit(options: AuditOptions) -> AuditResult:
    from faasguard.audit.build import build
    from faasguard.audit.inventory import collect, enabled_regions
    from faasguard.engine import run_rules

    start = time.perf_counter()
    classes = rule_classes(options)
    ctx = AwsContext(options.profile, options.workers, options.session)
    regions = list(dict.fromkeys(options.regions))
    if options.all_regions:
        regions = enabled_regions(ctx, regions[0] if regions else ctx.default_region or "us-east-1")
        if not regions:
            raise AuditError("cannot list the account's regions (ec2 DescribeRegions failed): use --region")
    if not regions:
        if ctx.default_region is None:
            raise AuditError("no region: pass --region (or --all-regions), or configure a default region")
        regions = [ctx.default_region]
    inventory = collect(ctx, regions, options.workers)
    lives = build(inventory)
    errors: list[ScanError] = []
    workdir = Path(tempfile.mkdtemp(prefix="faasguard-audit-")) if options.with_code else None
    try:
        if workdir is not None:
            from faasguard.audit.code import fetch_code

            lives = fetch_code(ctx, lives, workdir, options.workers, options.fetch)
        differences: dict[str, list[Difference]] = {}
        if options.against is not None:
            differences, iac_errors = _compare(lives, options)
            errors.extend(iac_errors)
        facts = AuditFacts(workdir or Path("."), differences)
        rules = [cls(options.settings) for cls in classes]
        findings: list[Finding] = []
        severities = dict(options.severity_overrides)
        for live in lives:
            found, rule_errors = run_rules(live.app, rules, severities, facts)
            findings.extend(found)
            errors.extend(rule_errors)
        errors.extend(e for e in getattr(facts, "errors", ()) if e not in errors)  # analyses' own
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    errors.extend(ctx.calls.errors)
    findings.sort(key=Finding.sort_key)
    unique = list(
        {(f.fingerprint, f.location.path, f.location.line, f.message): f for f in findings}.values()
    )
    apps = [live.app for live in lives]
    coverage = Coverage(
        applications=len(apps),
        functions=sum(len(a.functions) for a in apps),
        handlers_mapped=sum(1 for a in apps for f in a.functions if f.handler_file),
        unknown_values=0,
        files=0,
        files_in_errors=len({e.path for e in errors}),
    )
    result = ScanResult(
        root=".",
        findings=unique,
        errors=sorted(errors, key=lambda e: (e.path, e.line or 0, e.message)),
        coverage=coverage,
        duration_s=round(time.perf_counter() - start, 3),
        applications=[a.root for a in apps],
    )
    return AuditResult(result, inventory.account, regions, ctx.calls.stats, differences)


def _compare(lives: list[Any], options: AuditOptions) -> tuple[dict[str, list[Difference]], list[ScanError]]:
    from faasguard.api import ScanOptions
    from faasguard.audit.compare import compare, join_label
    from faasguard.engine import load_applications

    assert options.against is not None
    path = options.against
    if not path.exists():
        raise AuditError(f"no such file or folder: {path}")
    root, only = path.resolve(), None
    if root.is_file():
        only, root = root.name, root.parent
    label = options.against_label
    if label is None:
        label = path.as_posix() if path.is_dir() else (path.parent.as_posix() or ".")
    elif not path.is_dir():
        label = str(Path(label).parent.as_posix())
    iac_apps, errors, _files = load_applications(root, ScanOptions(), only)
    relabel = join_label(label)
    shown = [ScanError(relabel(_as_ref(e.path)).path, e.line, e.message, e.kind) for e in errors]
    return compare(lives, iac_apps, relabel), shown


def _as_ref(path: str) -> Any:
    from faasguard.model import SourceRef

    return SourceRef(path, 1)


__all__ = ["AuditError", "AuditFacts", "AuditOptions", "AuditResult", "rule_classes", "run_audit"]
