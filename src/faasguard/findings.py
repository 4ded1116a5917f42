"""Findings, errors and the scan result: what analyses and rules hand to the reporters."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from faasguard.analysis.facts import Facts
    from faasguard.model import Application


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.CRITICAL: 4, Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1, Severity.INFO: 0}


class Category(StrEnum):
    """The ten report categories (a contract: see CATEGORIES.md; never rename)."""

    EVENT_INJECTION = "event-injection"
    OVER_PRIVILEGE = "over-privilege"
    LOGGING_MONITORING = "logging-monitoring"
    VULNERABLE_DEPENDENCY = "vulnerable-dependency"
    BROKEN_AUTHENTICATION = "broken-authentication"
    DENIAL_OF_WALLET = "denial-of-wallet"
    SHADOW_API = "shadow-api"
    SENSITIVE_DATA = "sensitive-data"
    INSECURE_TRANSPORT = "insecure-transport"
    CODE_QUALITY = "code-quality"


@dataclass(frozen=True, slots=True)
class Location:
    path: str
    line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class Related:
    path: str
    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    category: Category
    severity: Severity
    title: str
    message: str
    location: Location
    application: str
    resource: str
    related: tuple[Related, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)
    fingerprint: str = ""

    def sort_key(self) -> tuple[int, str, str, int, str]:
        return (-self.severity.rank, self.application, self.location.path, self.location.line, self.rule)


@dataclass(frozen=True, slots=True)
class ScanError:
    """A file (or part of one) that could not be read; the scan went on without it."""

    path: str
    line: int | None
    message: str
    kind: str = "parse"  # parse | bound | unsupported | io | outside-root | internal


@dataclass(frozen=True, slots=True)
class Coverage:
    applications: int = 0
    functions: int = 0
    handlers_mapped: int = 0
    unknown_values: int = 0
    files: int = 0
    files_in_errors: int = 0
    suppressed: int = 0
    baselined: int = 0


@dataclass(slots=True)
class ScanResult:
    root: str
    findings: list[Finding]
    errors: list[ScanError]
    coverage: Coverage
    duration_s: float
    applications: list[str] = field(default_factory=list)
    app_exposure: dict[str, dict[str, float]] = field(default_factory=dict)
    # Findings hidden by a suppression: (finding, reason, where the suppression is written).
    suppressed: list[tuple[Finding, str, str]] = field(default_factory=list)
    # The scanned applications and the scan's memoised analyses (faasguard.analysis.facts.Facts),
    # kept only when ScanOptions.keep_models asks (the HTML report's per-function pages); never
    # part of the JSON report.
    models: list[Application] = field(default_factory=list)
    facts: Facts | None = None
    # Things the scan deliberately did not compare, said without a finding (kind "note").
    notes: list[ScanError] = field(default_factory=list)

    def by_severity(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for f in self.findings:
            counts[f.severity.value] += 1
        return counts

    def worst(self) -> Severity | None:
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: s.rank)
