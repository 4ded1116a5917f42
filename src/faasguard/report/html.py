"""The HTML report: one self-contained file to open in any browser.

Views (tabs when scripts run, one long page when they do not): an overview by threat and
severity, every finding in a sortable, filterable table, a page per function, attack paths drawn
as inline SVG, the dollar exposure as a chart, the errors, and the rules' fixes. The file fetches
nothing: no CDN, no font, no image URL; a strict Content-Security-Policy pins the one stylesheet
and the one script by hash. Every string from the scanned files goes through `esc` (text and
attributes) or `script_json` (the embedded JSON report), so a template whose names or descriptions
hold markup stays inert text.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence

from faasguard import __version__
from faasguard.findings import Category, Finding, ScanResult, Severity
from faasguard.report.html_assets import CSS, JS, content_security_policy
from faasguard.report.html_functions import (
    FindingIndex,
    analyses_for,
    function_anchor,
    render_function,
    usd_per_day,
)
from faasguard.report.html_svg import Bar, Hop, bar_chart, money, path_diagram
from faasguard.report.html_text import esc, esc_block, script_json

PATH_PREFIX = "FG-PATH-"
CATEGORY_NAMES = {
    Category.EVENT_INJECTION: "Event injection",
    Category.OVER_PRIVILEGE: "Over-privilege",
    Category.LOGGING_MONITORING: "Logging and monitoring",
    Category.VULNERABLE_DEPENDENCY: "Vulnerable dependencies",
    Category.BROKEN_AUTHENTICATION: "Broken authentication",
    Category.DENIAL_OF_WALLET: "Denial of wallet",
    Category.SHADOW_API: "Shadow APIs",
    Category.SENSITIVE_DATA: "Sensitive data",
    Category.INSECURE_TRANSPORT: "Insecure transport",
    Category.CODE_QUALITY: "Code quality",
}
_NO_APPS = '<li class="empty">none found</li>'
_SEVERITIES = tuple(sorted(Severity, key=lambda s: -s.rank))
_VIEWS = (
    ("overview", "Overview"),
    ("findings", "Findings"),
    ("functions", "Functions"),
    ("paths", "Attack paths"),
    ("exposure", "Exposure"),
    ("errors", "Errors"),
    ("rules", "Rules"),
)


def render(result: ScanResult) -> str:
    from faasguard.report import json_report

    findings = result.findings
    views = {
        "overview": _overview(result),
        "findings": _findings(findings),
        "functions": _functions(result),
        "paths": _paths(findings),
        "exposure": _exposure(result),
        "errors": _errors(result),
        "rules": _rules(findings),
    }
    nav = "".join(f'<a href="#{vid}">{esc(label)}</a>' for vid, label in _VIEWS)
    sections = "".join(
        f'<section class="view" id="{vid}"><h2>{esc(label)}</h2>{views[vid]}</section>'
        for vid, label in _VIEWS
    )
    # The JSON report rides along for tools: a data block, never executed, escaped for <script>.
    data = script_json(json_report.render(result).rstrip("\n"))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(content_security_policy())}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>faasguard report: {esc(result.root)}</title>"
        f"<style>{CSS}</style></head><body>"
        f'<header class="top"><h1>faasguard report</h1><div class="muted">{esc(result.root)} · '
        f"faasguard {esc(__version__)} · {len(findings)} findings · {len(result.errors)} errors"
        "</div></header>"
        f'<nav class="views">{nav}</nav><main>{sections}</main>'
        f'<script type="application/json" id="faasguard-json">{data}</script>'
        f"<script>{JS}</script></body></html>\n"
    )


# --- overview -----------------------------------------------------------------------------------


def _overview(result: ScanResult) -> str:
    counts = result.by_severity()
    cov = result.coverage
    cards = "".join(
        f'<div class="card"><b>{counts[s.value]}</b> <span class="sev sev-{s.value}">{s.value}</span></div>'
        for s in _SEVERITIES
    )
    facts = [
        ("findings", str(len(result.findings))),
        ("applications", str(cov.applications)),
        ("files", str(cov.files)),
        ("functions", str(cov.functions)),
        ("handlers mapped", str(cov.handlers_mapped)),
        ("unknown values", str(cov.unknown_values)),
        ("errors", str(len(result.errors))),
        ("suppressed", str(cov.suppressed)),
        ("baselined", str(cov.baselined)),
        ("duration", f"{result.duration_s:.2f} s"),
    ]
    fact_cards = "".join(f'<div class="card"><b>{esc(v)}</b> {esc(k)}</div>' for k, v in facts)
    matrix: dict[Category, dict[Severity, int]] = {c: dict.fromkeys(Severity, 0) for c in Category}
    for f in result.findings:
        matrix[f.category][f.severity] += 1
    head = "".join(f'<th class="num">{s.value}</th>' for s in _SEVERITIES)
    rows = "".join(
        f'<tr><th>{esc(CATEGORY_NAMES[c])} <span class="muted">{c.value}</span></th>'
        + "".join(f'<td class="num">{matrix[c][s] or ""}</td>' for s in _SEVERITIES)
        + f'<td class="num"><b>{sum(matrix[c].values())}</b></td></tr>'
        for c in Category
    )
    apps = "".join(f"<li><code>{esc(a)}</code></li>" for a in result.applications)
    suppressed = ""
    if result.suppressed:
        items = "".join(
            f"<tr><td>{esc(f.rule)}</td><td>{_loc(f.location.path, f.location.line)}</td>"
            f"<td>{esc(reason)}</td><td>{esc(where)}</td></tr>"
            for f, reason, where in result.suppressed
        )
        suppressed = (
            "<h3>Suppressed</h3><table><thead><tr><th>rule</th><th>location</th><th>reason</th>"
            f"<th>written at</th></tr></thead><tbody>{items}</tbody></table>"
        )
    return (
        f'<div class="cards">{cards}</div><div class="cards">{fact_cards}</div>'
        f'<h3>By threat</h3><table class="matrix"><thead><tr><th>category</th>{head}'
        f'<th class="num">total</th></tr></thead><tbody>{rows}</tbody></table>'
        f"<h3>Applications</h3><ul>{apps or _NO_APPS}</ul>{suppressed}"
    )


def _loc(path: str, line: int | None) -> str:
    return f'<span class="loc">{esc(path if line is None else f"{path}:{line}")}</span>'


# --- findings table -----------------------------------------------------------------------------


def _select(name: str, label: str, values: Sequence[str], names: dict[str, str] | None = None) -> str:
    options = "".join(f'<option value="{esc(v)}">{esc((names or {}).get(v, v))}</option>' for v in values)
    return (
        f'<label>{esc(label)} <select name="{name}"><option value="">all</option>{options}</select></label>'
    )


def _findings(findings: Sequence[Finding]) -> str:
    if not findings:
        return '<p class="empty">No findings.</p>'
    controls = (
        '<div class="controls" id="controls" hidden>'
        + _select("data-severity", "Severity", [s.value for s in _SEVERITIES])
        + _select(
            "data-category",
            "Category",
            [c.value for c in Category if any(f.category is c for f in findings)],
            {c.value: CATEGORY_NAMES[c] for c in Category},
        )
        + _select("data-rule", "Rule", sorted({f.rule for f in findings}))
        + _select("data-app", "Application", sorted({f.application for f in findings}))
        + '<label>Search <input type="search" id="filter-text" placeholder="text in any column"></label>'
        + '<span id="shown-count" class="muted" aria-live="polite"></span></div>'
    )
    columns = (
        ("severity", "data-rank data-i"),
        ("rule", "data-rule data-i"),
        ("category", "data-category data-rank data-i"),
        ("message", ""),
        ("location", "data-path data-line data-i"),
        ("resource", "data-resource data-i"),
        ("application", "data-app data-rank data-i"),
    )
    head = "".join(
        f'<th class="c-{name}" data-sort="{keys}" scope="col"><button type="button">{name}</button></th>'
        if keys
        else f'<th class="c-{name}" scope="col">{name}</th>'
        for name, keys in columns
    )
    rows = "".join(_row(i, f) for i, f in enumerate(findings))
    return f'{controls}<table id="findings-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _row(i: int, f: Finding) -> str:
    related = ""
    if f.related:
        steps = "".join(f"<li>{_loc(r.path, r.line)} {esc(r.message)}</li>" for r in f.related)
        related = f'<ol class="related">{steps}</ol>'
    attrs = (
        f'id="f-{i}" data-i="{i}" data-rank="{-f.severity.rank}" data-severity="{f.severity.value}" '
        f'data-category="{f.category.value}" data-rule="{esc(f.rule)}" data-app="{esc(f.application)}" '
        f'data-path="{esc(f.location.path)}" data-line="{f.location.line}" data-resource="{esc(f.resource)}"'
    )
    return (
        f"<tr {attrs}>"
        f'<td><span class="sev sev-{f.severity.value}">{f.severity.value}</span></td>'
        f'<td><a href="#rule-{esc(f.rule)}"><code>{esc(f.rule)}</code></a><br>{esc(f.title)}</td>'
        f"<td>{esc(CATEGORY_NAMES[f.category])}</td>"
        f"<td>{esc(f.message)}{related}"
        f'<div class="fix"><a href="#rule-{esc(f.rule)}">How to fix</a></div></td>'
        f"<td>{_loc(f.location.path, f.location.line)}</td>"
        f"<td>{esc(f.resource)}</td>"
        f"<td><code>{esc(f.application)}</code></td></tr>"
    )


# --- functions ----------------------------------------------------------------------------------


def _functions(result: ScanResult) -> str:
    if not result.models:
        return (
            '<p class="empty">Not analysed: this report was made without the scanned model '
            "(`faasguard scan --format html` keeps it).</p>"
        )
    index = FindingIndex.build(result.findings)
    links: list[str] = []
    pages: list[str] = []
    for app in result.models:
        if not app.functions:
            continue
        analyses = analyses_for(result, app)
        for fn in app.functions:
            links.append(
                f'<li><a href="#{function_anchor(app, fn)}">{esc(fn.display_name)}</a> '
                f'<span class="muted">{esc(app.root)}</span></li>'
            )
            pages.append(render_function(app, fn, result.findings, index.of(app, fn), analyses))
    if not pages:
        return '<p class="empty">No functions found.</p>'
    return f'<ul class="index">{"".join(links)}</ul>{"".join(pages)}'


# --- attack paths -------------------------------------------------------------------------------


def path_hops(f: Finding) -> list[Hop]:
    """Every hop of an attack path finding in order: its related steps, or the finding itself."""
    if f.related:
        return [Hop(r.message, f"{r.path}:{r.line}") for r in f.related]
    return [Hop(f.message, f"{f.location.path}:{f.location.line}")]


def _paths(findings: Sequence[Finding]) -> str:
    # Worst first; within a severity, in report order (the attack-path analysis ranks its own).
    paths = sorted(
        ((i, f) for i, f in enumerate(findings) if f.rule.startswith(PATH_PREFIX)),
        key=lambda t: (-t[1].severity.rank, t[0]),
    )
    if not paths:
        return '<p class="empty">No attack paths found.</p>'
    parts = []
    for i, f in paths:
        hops = path_hops(f)
        steps = "".join(f"<li>{esc(h.message)} {_loc(h.location, None)}</li>" for h in hops)
        parts.append(
            f'<article class="path" id="path-{i}"><h3><span class="sev sev-{f.severity.value}">'
            f'{f.severity.value}</span> <a href="#f-{i}">{esc(f.rule)}</a> {esc(f.title)}</h3>'
            f'<p>{esc(f.message)} <span class="muted">({esc(f.application)})</span></p>'
            f'<div class="diagram">{path_diagram(hops, f"{f.rule}: {f.message}")}</div>'
            f'<ol class="hops">{steps}</ol></article>'
        )
    return "".join(parts)


# --- exposure -----------------------------------------------------------------------------------


def exposure_bars(result: ScanResult) -> tuple[list[Bar], list[Bar]]:
    """(per application, per function) worst-case USD per day, biggest first."""
    apps = [
        Bar(app or ".", float(amounts.get("usd_per_day", 0.0)), "bar-app")
        for app, amounts in result.app_exposure.items()
    ]
    worst: dict[tuple[str, str], float] = {}
    for f in result.findings:
        usd = usd_per_day(f)
        if usd is not None and f.category is Category.DENIAL_OF_WALLET:
            key = (f.application, f.resource)
            worst[key] = max(worst.get(key, 0.0), usd)
    functions = [Bar(f"{res} ({app})", usd) for (app, res), usd in worst.items()]
    by_size = lambda b: (-b.value, b.label)  # noqa: E731
    return sorted(apps, key=by_size), sorted(functions, key=by_size)


def _exposure(result: ScanResult) -> str:
    apps, functions = exposure_bars(result)
    if not apps and not functions:
        return '<p class="empty">No priced denial-of-wallet exposure.</p>'
    parts = [
        '<p class="muted">Worst-case spend per day if the public doors are flooded up to their limits.</p>'
    ]
    if apps:
        parts.append("<h3>Per application</h3>")
        parts.append(f'<div class="diagram">{bar_chart(apps, "USD per day per application")}</div>')
    if functions:
        parts.append("<h3>Per function or API</h3>")
        parts.append(f'<div class="diagram">{bar_chart(functions, "USD per day per function")}</div>')
    rows = "".join(
        f'<tr><td>{esc(b.label)}</td><td class="num">{esc(money(b.value))}</td></tr>'
        for b in apps + functions
    )
    parts.append(
        '<table><thead><tr><th>what</th><th class="num">USD per day</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    return "".join(parts)


# --- errors and rules ---------------------------------------------------------------------------


def _errors(result: ScanResult) -> str:
    head = "<thead><tr><th>file</th><th>kind</th><th>message</th></tr></thead>"
    parts = []
    if result.errors:
        rows = "".join(
            f"<tr><td>{_loc(e.path, e.line)}</td><td>{esc(e.kind)}</td><td>{esc(e.message)}</td></tr>"
            for e in result.errors
        )
        parts.append(f"<table>{head}<tbody>{rows}</tbody></table>")
    else:
        parts.append('<p class="empty">No errors: every file was read.</p>')
    notes = getattr(result, "notes", None) or []  # what the scan chose not to compare
    if notes:
        rows = "".join(f"<tr><td>{_loc(n.path, n.line)}</td><td>{esc(n.message)}</td></tr>" for n in notes)
        parts.append(f"<h3>Notes</h3><table><tbody>{rows}</tbody></table>")
    return "".join(parts)


def _rules(findings: Sequence[Finding]) -> str:
    from faasguard.rules.base import all_rules

    registry = all_rules()
    parts = []
    for rid in sorted({f.rule for f in findings}):
        rule = registry.get(rid)
        title = next(f.title for f in findings if f.rule == rid)
        parts.append(
            f'<article class="rule" id="rule-{esc(rid)}"><h3><code>{esc(rid)}</code> {esc(title)}</h3>'
        )
        if rule is None:
            parts.append('<p class="empty">Not a rule of this faasguard version.</p></article>')
            continue
        meta = rule.meta
        facts = [meta.category.value, meta.severity.value, *(f"CWE-{c}" for c in meta.cwe)]
        parts.append(f'<p class="muted">{esc(" · ".join(facts))}</p>')
        if meta.remediation:
            fixes = "".join(
                f'<tr><th>{esc(fmt)}</th><td class="remedy">{esc_block(inspect.cleandoc(text))}</td></tr>'
                for fmt, text in meta.remediation.items()
            )
            parts.append(f"<table>{fixes}</table>")
        refs = [r for r in meta.references if r.startswith("https://")]
        if refs:
            links = "".join(
                f'<li><a href="{esc(r)}" rel="noopener noreferrer">{esc(r)}</a></li>' for r in refs
            )
            parts.append(f"<ul>{links}</ul>")
        parts.append("</article>")
    return "".join(parts) or '<p class="empty">No rules fired.</p>'
