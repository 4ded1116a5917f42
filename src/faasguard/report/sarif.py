"""The SARIF 2.1.0 report, for GitHub code scanning and other SARIF viewers. Emitted as plain dicts.

Shape, and why:
- One run per application, each with `automationDetails.id = "faasguard/<application>/"`: SARIF
  allows one automation id per run, and GitHub keys an analysis (its "category") on it, so an
  application's alerts are opened and closed only by scans of that application. The application is
  written relative to the repository root, so two CI jobs scanning different folders that both hold
  an `orders` app don't overwrite each other's alerts. Above 20 applications (GitHub's limit of runs
  per file) one run covers the scanned folder, and each result still names its application.
- Every registered rule is in every run's `tool.driver.rules`, so GitHub has help for all of them
  and can tell "ran and found nothing" from "unknown rule".
- URIs are relative to the repository root (`%SRCROOT%`): the folder holding `.git` above the scanned
  path (or `repo_root` when given), else the scanned folder. `%SRCROOT%` carries a description but
  no absolute `uri`, which SARIF allows (§3.14.14): the report stays free of local user names and is
  the same on every machine.
- Files that could not be read become `toolExecutionNotifications`; a run is `executionSuccessful`
  unless faasguard itself failed (an `internal` error, such as a rule crash).
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from faasguard import __version__
from faasguard.findings import Finding, Related, ScanError, ScanResult, Severity
from faasguard.report.json_report import _jsonable

if TYPE_CHECKING:
    from faasguard.rules.base import Rule

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "faasguard/v1"

LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub maps these to its own critical/high/medium/low (CVSS bands: >=9, >=7, >=4, >0).
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.0",
    Severity.HIGH: "7.5",
    Severity.MEDIUM: "5.0",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}


# GitHub code scanning accepts at most 20 runs per SARIF file.
MAX_RUNS = 20


def render(result: ScanResult, repo_root: Path | None = None) -> str:
    """The SARIF log as JSON text. `repo_root` None: found by walking up to a `.git` entry."""
    text = json.dumps(to_dict(result, repo_root), ensure_ascii=True, allow_nan=False)
    return text + "\n"


def to_dict(result: ScanResult, repo_root: Path | None = None) -> dict[str, Any]:
    prefix, in_repo = _prefix(_scanned_dir(result.root), repo_root)
    base = {
        SRCROOT: {
            "description": {
                "text": "The root of the git repository holding the scanned folder."
                if in_repo
                else "The scanned folder (it is not inside a git repository)."
            }
        }
    }
    rules = _rules(result.findings)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    driver: dict[str, Any] = {"name": "faasguard", "version": __version__}
    homepage = _homepage()
    if homepage:
        driver["informationUri"] = homepage
    driver["rules"] = rules

    apps = sorted({*result.applications, *(f.application for f in result.findings)})
    if not apps:  # nothing found at all: still one run, for the scanned folder
        runs = [_run(driver, base, prefix, [], result.errors, index, prefix)]
    elif len(apps) > MAX_RUNS:  # GitHub rejects files with more runs: one run for the scanned folder
        runs = [_run(driver, base, prefix, list(result.findings), result.errors, index, prefix)]
    else:
        findings: dict[str, list[Finding]] = {app: [] for app in apps}
        for f in result.findings:
            findings[f.application].append(f)
        errors = _errors_by_app(result.errors, apps)
        runs = [
            _run(driver, base, _join(prefix, app), findings[app], errors[app], index, prefix) for app in apps
        ]
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": runs}


def _run(
    driver: dict[str, Any],
    base: dict[str, Any],
    app_in_repo: str,
    findings: list[Finding],
    errors: list[ScanError],
    index: Mapping[str, int],
    prefix: str,
) -> dict[str, Any]:
    return {
        "tool": {"driver": driver},
        "automationDetails": {"id": f"faasguard/{app_in_repo}/"},
        "originalUriBaseIds": base,
        "invocations": [_invocation(errors, prefix)],
        "results": [_result(f, index[f.rule], prefix) for f in findings],
    }


def _invocation(errors: list[ScanError], prefix: str) -> dict[str, Any]:
    invocation: dict[str, Any] = {
        "executionSuccessful": not any(e.kind == "internal" for e in errors),
    }
    if errors:
        invocation["toolExecutionNotifications"] = [_notification(e, prefix) for e in errors]
    return invocation


def _notification(e: ScanError, prefix: str) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "level": "error" if e.kind == "internal" else "warning",
        "message": {"text": _message(e.message) or "could not be read"},
        "descriptor": {"id": f"faasguard/{e.kind or 'error'}"},
    }
    location = _location(prefix, e.path, e.line, e.line)
    if location is not None:
        notification["locations"] = [location]
    return notification


def _result(f: Finding, rule_index: int, prefix: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": _message(f.message) or _message(f.title) or f.rule},
    }
    location = _location(prefix, f.location.path, f.location.line, f.location.end_line)
    if location is not None:
        out["locations"] = [location]
    related = [_related(i, step, prefix) for i, step in enumerate(f.related)]
    if any(r is not None for r in related):
        out["relatedLocations"] = [r for r in related if r is not None]
    if f.fingerprint:
        out["partialFingerprints"] = {FINGERPRINT_KEY: f.fingerprint}
    out["properties"] = {
        "application": f.application,
        "resource": f.resource,
        "category": f.category.value,
        "severity": f.severity.value,
        "extra": _jsonable(f.extra),
    }
    return out


def _related(i: int, step: Related, prefix: str) -> dict[str, Any] | None:
    location = _location(prefix, step.path, step.line, step.line)
    if location is None:
        return None
    location["id"] = i
    location["message"] = {"text": _message(step.message) or "related"}
    return location


def _location(prefix: str, path: str, line: int | None, end_line: int | None) -> dict[str, Any] | None:
    uri = _uri(prefix, path)
    if uri is None:
        return None
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "uriBaseId": SRCROOT}}
    if line is not None and line >= 1:
        end = end_line if end_line is not None and end_line >= line else line
        physical["region"] = {"startLine": line, "endLine": end}
    return {"physicalLocation": physical}


def _uri(prefix: str, path: str) -> str | None:
    """`path` (relative to the scanned folder) as a URI reference relative to %SRCROOT%."""
    if not path or path.startswith("/") or "\\" in path:
        return None
    joined = posixpath.normpath(posixpath.join(prefix, path))
    if joined in (".", "..") or joined.startswith("../"):
        return None
    try:  # a file name's undecodable bytes (lone surrogates) back as the bytes on disk
        raw = joined.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = joined.encode("utf-8", "replace")
    return quote(raw, safe="/")  # spaces, '#', '%', ':' and non-ASCII percent-encoded


def _message(text: str) -> str:
    """One printable line. `[x](y)` would be an embedded link in SARIF plain text: break it."""
    from faasguard.report.text import clean

    return clean(text).replace("](", "] (").strip()


# -- rules -------------------------------------------------------------------------------------


def _rules(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Every registered rule, sorted by id, then any rule a finding names that is not registered."""
    from faasguard.rules.base import all_rules

    registry = all_rules()
    rules = [_descriptor(cls) for cls in registry.values()]
    unknown: dict[str, Finding] = {}
    for f in findings:
        if f.rule not in registry:
            unknown.setdefault(f.rule, f)
    rules += [_bare_descriptor(f) for _, f in sorted(unknown.items())]
    return rules


def _descriptor(rule: type[Rule]) -> dict[str, Any]:
    from faasguard.docs import rule_markdown, rule_text, what_it_does

    meta = rule.meta
    return {
        "id": meta.id,
        "name": rule.__name__,
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": what_it_does(rule)},
        "help": {"text": rule_text(rule), "markdown": rule_markdown(rule)},
        "defaultConfiguration": {"level": LEVEL[meta.severity]},
        "properties": {
            "security-severity": SECURITY_SEVERITY[meta.severity],
            "tags": ["security", meta.category.value, *(f"CWE-{cwe}" for cwe in meta.cwe)],
            "precision": "high",
        },
    }


def _bare_descriptor(f: Finding) -> dict[str, Any]:
    """A rule not in the registry (a result built elsewhere): what its findings say about it."""
    return {
        "id": f.rule,
        "shortDescription": {"text": f.title or f.rule},
        "defaultConfiguration": {"level": LEVEL[f.severity]},
        "properties": {
            "security-severity": SECURITY_SEVERITY[f.severity],
            "tags": ["security", f.category.value],
            "precision": "high",
        },
    }


# -- paths -------------------------------------------------------------------------------------


def _scanned_dir(root: str) -> Path:
    path = Path(root).resolve()
    return path.parent if path.is_file() else path


def find_repo_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding a `.git` entry (a folder, or a worktree file)."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _prefix(scanned: Path, repo_root: Path | None) -> tuple[str, bool]:
    """The scanned folder relative to the repository root, POSIX ('.' when they are the same), and
    whether there is such a root (else URIs are relative to the scanned folder)."""
    root = repo_root.resolve() if repo_root is not None else find_repo_root(scanned)
    if root is None:
        return ".", False
    try:
        return scanned.relative_to(root).as_posix() or ".", True
    except ValueError:  # an explicit repo_root that does not hold the scanned folder
        return ".", False


def _join(prefix: str, app: str) -> str:
    return posixpath.normpath(posixpath.join(prefix, app or "."))


def _errors_by_app(errors: Iterable[ScanError], apps: list[str]) -> dict[str, list[ScanError]]:
    """Each error goes to the run of the innermost application holding its file (else the first)."""
    out: dict[str, list[ScanError]] = {app: [] for app in apps}
    if not apps:
        return out
    by_depth = sorted(apps, key=lambda a: (-len(a), a))
    for e in errors:
        owner = next((a for a in by_depth if _inside(e.path, a)), apps[0])
        out[owner].append(e)
    return out


def _inside(path: str, app: str) -> bool:
    return app in (".", "") or path == app or path.startswith(app.rstrip("/") + "/")


def _homepage() -> str | None:
    """The project's home page from the installed distribution's metadata, when it declares one."""
    from importlib import metadata

    try:
        urls: list[str] = metadata.metadata("faasguard").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    found: dict[str, str] = {}
    for entry in urls:
        label, _, url = entry.partition(",")
        found[label.strip().lower()] = url.strip()
    for label in ("homepage", "documentation", "repository", "source"):
        if found.get(label, "").startswith("https://"):
            return found[label]
    return None
