"""Suppressions: inline (resource Metadata, `faasguard: ignore` comments) and from config.

A suppression needs a reason; one without a reason, or past its `until` date, does not suppress
and is reported in `errors` so it gets fixed rather than silently ignored.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from faasguard.config import Config
from faasguard.findings import Finding, ScanError
from faasguard.model import Application, Ignore, SourceRef

# `# faasguard: ignore FG-IAM-001 reason="shared by design" until=2027-01-31` (also `//`, `--`).
_COMMENT = re.compile(
    r"faasguard:\s*ignore\s+(?P<ids>[A-Za-z0-9*,\-]+)"
    r"(?:\s+reason=(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'))?"
    r"(?:\s+until=(?P<until>\d{4}-\d{2}-\d{2}))?"
)


@dataclass(frozen=True, slots=True)
class Suppressed:
    finding: Finding
    reason: str
    where: str  # "path:line" of the suppression


class _Lines:
    """Lines of scanned files, read only where a finding points. Findings arrive application by
    application, so the files of the last few stay at hand and older ones are let go (a corpus
    of hundreds of applications would otherwise hold every file with a finding)."""

    KEEP = 64

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: OrderedDict[str, list[str]] = OrderedDict()

    def get(self, rel: str, line: int) -> str:
        lines = self._cache.get(rel)
        if lines is None:
            try:
                text = (self.root / rel).read_text(encoding="utf-8", errors="replace")
                lines = text.splitlines()
            except OSError:
                lines = []
            self._cache[rel] = lines
            if len(self._cache) > self.KEEP:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(rel)
        return lines[line - 1] if 0 < line <= len(lines) else ""


def _comment_ignores(lines: _Lines, rel: str, line: int) -> list[Ignore]:
    """Comments on the line itself or the line above it."""
    out = []
    for n in (line, line - 1):
        text = lines.get(rel, n)
        if "faasguard:" not in text:
            continue
        for m in _COMMENT.finditer(text):
            reason = m.group("dq") if m.group("dq") is not None else m.group("sq")
            for rid in m.group("ids").split(","):
                if rid:
                    out.append(
                        Ignore(
                            rule=rid.upper() if rid != "*" else "*",
                            source=SourceRef(rel, n, n),
                            reason=reason.strip() if reason and reason.strip() else None,
                            until=m.group("until"),
                        )
                    )
    return out


def _expired(until: str | None, today: dt.date) -> bool:
    if until is None:
        return False
    try:
        return dt.date.fromisoformat(until) < today
    except ValueError:
        return True  # an unreadable date must not suppress forever


class Suppressor:
    """Applies every suppression form to one application's findings."""

    def __init__(self, root: Path, today: dt.date) -> None:
        self.lines = _Lines(root)
        self.today = today
        self.problems: dict[tuple[str, int | None, str], ScanError] = {}

    def _usable(self, rule: str, reason: str | None, until: str | None, path: str, line: int | None) -> bool:
        where = f"{path}:{line}" if line else path
        if reason is None:
            self.problems[(path, line, "reason")] = ScanError(
                path, line, f"suppression of {rule} at {where} has no reason: not applied", "suppression"
            )
            return False
        if _expired(until, self.today):
            self.problems[(path, line, "expired")] = ScanError(
                path, line, f"suppression of {rule} at {where} expired on {until}: not applied", "suppression"
            )
            return False
        return True

    def _inline(self, f: Finding, app: Application) -> list[Ignore]:
        candidates = _comment_ignores(self.lines, f.location.path, f.location.line)
        resource_id = _resource_id(app, f.resource)
        decl = app.resource_lines.get(resource_id) if resource_id else None
        if decl is not None:
            candidates.extend(_comment_ignores(self.lines, decl.path, decl.line))
        candidates.extend(i for i in app.ignores if i.resource == resource_id)
        return candidates

    def match(self, f: Finding, app: Application, config: Config) -> Suppressed | None:
        for ig in self._inline(f, app):
            if ig.rule in ("*", f.rule) and self._usable(
                f.rule, ig.reason, ig.until, ig.source.path, ig.source.line
            ):
                return Suppressed(f, ig.reason or "", f"{ig.source.path}:{ig.source.line}")
        for cig in config.ignores:
            if cig.rule not in ("*", f.rule):
                continue
            if cig.path and not fnmatch.fnmatch(f.location.path, cig.path):
                continue
            if cig.resource and cig.resource not in (f.resource, _resource_id(app, f.resource)):
                continue
            if self._usable(f.rule, cig.reason, cig.until, cig.source, None):
                return Suppressed(f, cig.reason or "", cig.source)
        return None

    def errors(self) -> list[ScanError]:
        return list(self.problems.values())


def _resource_id(app: Application, resource: str) -> str | None:
    """The logical id behind a finding's resource name (CDK findings carry the construct path)."""
    if resource in app.resource_lines:
        return resource
    for rid, path in app.construct_paths.items():
        if path == resource:
            return rid
    return None
