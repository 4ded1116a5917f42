"""The JSON report: a stable contract (GUIDE §3). Add keys only inside "summary"."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from enum import Enum
from typing import Any

from faasguard import __version__
from faasguard.findings import Finding, ScanError, ScanResult

SCHEMA_VERSION = "1"

# json escapes only U+0000-U+001F. These are still legal raw in JSON, but C1 controls can drive some
# terminals when the report is cat'ed, U+2028/9 break JavaScript consumers, bidi controls hide text
# and lone surrogates (from undecodable bytes) would make the text unencodable: escape them all.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def to_dict(result: ScanResult) -> dict[str, Any]:
    """The report as plain JSON-ready data, keys in contract order."""
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "faasguard", "version": __version__},
        "findings": [_finding(f) for f in result.findings],
        "errors": [_error(e) for e in result.errors],
        "summary": _summary(result),
    }


def render(result: ScanResult) -> str:
    # No indent: json's C encoder only runs for compact output, several times faster on big reports.
    text = json.dumps(to_dict(result), ensure_ascii=False, allow_nan=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "category": f.category.value,
        "severity": f.severity.value,
        "title": f.title,
        "message": f.message,
        "location": {"path": f.location.path, "line": f.location.line, "end_line": f.location.end_line},
        "application": f.application,
        "resource": f.resource,
        "related": [{"path": r.path, "line": r.line, "message": r.message} for r in f.related],
        "extra": _jsonable(f.extra),
        "fingerprint": f.fingerprint,
    }


def _error(e: ScanError) -> dict[str, Any]:
    return {"path": e.path, "line": e.line, "message": e.message}


def _summary(result: ScanResult) -> dict[str, Any]:
    cov = result.coverage
    return {
        "files": cov.files,
        "functions": cov.functions,
        "by_severity": result.by_severity(),
        "duration_s": round(result.duration_s, 3) if math.isfinite(result.duration_s) else 0.0,
        "applications": cov.applications,
        "handlers_mapped": cov.handlers_mapped,
        "unknown_values": cov.unknown_values,
        "files_in_errors": cov.files_in_errors,
        "suppressed": cov.suppressed,
        "baselined": cov.baselined,
        # What was suppressed and why (additive: consumers may ignore it).
        "suppressions": [
            {
                "rule": f.rule,
                "path": f.location.path,
                "line": f.location.line,
                "reason": reason,
                "where": where,
            }
            for f, reason, where in result.suppressed
        ],
    }


def _jsonable(value: object) -> Any:
    """Rules put arbitrary facts in `extra`; coerce them so the dump never fails and is stable."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None  # NaN/Infinity are not JSON
    if isinstance(value, Enum):
        return _jsonable(value.value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, set | frozenset):
        return sorted((_jsonable(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return str(value)
