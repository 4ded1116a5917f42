"""Reports of an audit: the scan's own reporters, with ARNs shown as ARNs.

Findings on deployed resources are located by ARN (line 1: an ARN has no lines). The JSON report
is the scan's contract unchanged, plus `summary.audit` (account, regions, API calls, retries,
throttled and denied operations). The text report drops the meaningless `:1` after an ARN. In
SARIF an ARN is not a file of the repository: its results carry the ARN as an absolute URI and
as a logical location (kind "resource"), with no `%SRCROOT%` base and no region.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from faasguard.audit.runner import AuditResult
from faasguard.findings import Location

ARN = re.compile(r"^arn:[a-z0-9-]+:")
# Characters an ARN keeps in a URI (RFC 3986 unreserved, sub-delims, ':', '@' and '/').
_URI_SAFE = "/:@!$&'()*+,;=-._~"


def is_arn(path: str) -> bool:
    return ARN.match(path) is not None


def to_json(audit: AuditResult) -> dict[str, Any]:
    from faasguard.report.json_report import to_dict

    data = to_dict(audit.result)
    data["summary"]["audit"] = audit.summary()
    return data


def render_json(audit: AuditResult) -> str:
    from faasguard.report.json_report import _UNSAFE

    text = json.dumps(to_json(audit), ensure_ascii=False, allow_nan=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def render_text(audit: AuditResult, color: bool, width: int | None = None) -> str:
    from faasguard.report.text import clean, render

    text = render(audit.result, color=color, width=width)
    arns = {clean(f.location.path) for f in audit.result.findings if is_arn(f.location.path)}
    arns |= {clean(r.path) for f in audit.result.findings for r in f.related if is_arn(r.path)}
    for arn in sorted(arns, key=len, reverse=True):  # ":1" then a space, an escape or the end
        text = re.sub(re.escape(arn) + r":1(?=[\s\x1b]|$)", arn.replace("\\", "\\\\"), text, flags=re.M)
    return text + audit_line(audit) + "\n"


def audit_line(audit: AuditResult) -> str:
    s = audit.stats
    parts = [
        f"account {audit.account}",
        f"{len(audit.regions)} region{'s' if len(audit.regions) != 1 else ''} ({', '.join(audit.regions)})",
        f"{s.calls} API calls",
        f"{s.retried} retried",
    ]
    if s.throttled:
        parts.append(f"{s.throttled} still throttled")
    if s.denied:
        parts.append(f"{s.denied} denied")
    return "audit: " + ", ".join(parts)


def render_sarif(audit: AuditResult) -> str:
    return json.dumps(to_sarif(audit), ensure_ascii=True, allow_nan=False) + "\n"


def to_sarif(audit: AuditResult) -> dict[str, Any]:
    """The scan's SARIF, built from a copy of the result whose ARN locations are left empty, then
    given their ARN locations back, run by run, in the order the SARIF reporter lays them out."""
    from faasguard.report import sarif

    result = audit.result
    stripped = replace(
        result,
        findings=[
            replace(
                f,
                location=Location("", 0, 0) if is_arn(f.location.path) else f.location,
                related=tuple(replace(r, path="") if is_arn(r.path) else r for r in f.related),
            )
            for f in result.findings
        ],
        errors=[replace(e, path="") if is_arn(e.path) else e for e in result.errors],
    )
    data = sarif.to_dict(stripped, None)
    apps = sorted({*result.applications, *(f.application for f in result.findings)})
    if not apps or len(apps) > sarif.MAX_RUNS:
        groups = [(list(result.findings), list(result.errors))]
    else:
        errors = sarif._errors_by_app(result.errors, apps)
        groups = [([f for f in result.findings if f.application == app], errors[app]) for app in apps]
    for run, (findings, errs) in zip(data["runs"], groups, strict=True):
        for out, finding in zip(run["results"], findings, strict=True):
            if is_arn(finding.location.path):
                fields = list(out.items())
                at = next(i for i, (key, _) in enumerate(fields) if key == "message") + 1
                fields.insert(at, ("locations", [_arn_location(finding.location.path)]))
                out.clear()
                out.update(fields)
            if any(is_arn(r.path) for r in finding.related):
                made = {loc.get("id"): loc for loc in out.get("relatedLocations", [])}
                out["relatedLocations"] = [
                    {**_arn_location(r.path), "id": i, "message": {"text": r.message}}
                    if is_arn(r.path)
                    else made[i]
                    for i, r in enumerate(finding.related)
                    if is_arn(r.path) or i in made
                ]
        notes = run["invocations"][0].get("toolExecutionNotifications", [])
        for note, error in zip(notes, errs, strict=True):
            if is_arn(error.path):
                note["locations"] = [_arn_location(error.path)]
    return data


def _arn_location(arn: str) -> dict[str, Any]:
    return {
        "physicalLocation": {"artifactLocation": {"uri": quote(arn, safe=_URI_SAFE)}},
        "logicalLocations": [{"fullyQualifiedName": arn, "kind": "resource"}],
    }
