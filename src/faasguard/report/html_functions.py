"""The HTML report's page per function: triggers and routes, permissions used vs granted,
dependencies and their advisories, dollar exposure, and the function's findings.

It reads the scanned model and the scan's memoised analyses (`ScanResult.models` / `.facts`, kept
when the scan was run with `keep_models`). An analysis that is missing, failed or did not look at
the code is shown as "not analysed" with the reason, never as an empty (clean-looking) list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from faasguard.findings import Finding, ScanResult
from faasguard.model import Application, Function, Role
from faasguard.model.source import SourceRef, Unknown
from faasguard.report.html_svg import money
from faasguard.report.html_text import anchor, esc

if TYPE_CHECKING:
    from faasguard.analysis.deps.inventory import FunctionDeps
    from faasguard.analysis.iam.needs import FunctionNeeds

MAX_PACKAGES = 300  # rows per function; the rest is counted


@dataclass(slots=True)
class Analyses:
    """What the optional analyses say about one application (None: not analysed, with why)."""

    needs: Mapping[str, FunctionNeeds] | None = None
    needs_reason: str = "not analysed"
    deps: Mapping[str, FunctionDeps] | None = None
    deps_reason: str = "not analysed"


@dataclass(slots=True)
class FindingIndex:
    """Findings by (application, resource), and by the functions a finding names in extra.functions."""

    by_resource: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    by_function: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, findings: Sequence[Finding]) -> FindingIndex:
        index = cls()
        for i, f in enumerate(findings):
            index.by_resource.setdefault((f.application, f.resource), []).append(i)
            named = f.extra.get("functions")
            if isinstance(named, list | tuple):
                for fid in named:
                    if isinstance(fid, str) and fid != f.resource:
                        index.by_function.setdefault((f.application, fid), []).append(i)
        return index

    def of(self, app: Application, fn: Function) -> list[int]:
        names = {fn.id, app.construct_paths.get(fn.id, fn.id)}
        hits = {i for name in names for i in self.by_resource.get((app.root, name), ())}
        hits.update(self.by_function.get((app.root, fn.id), ()))
        return sorted(hits)


def analyses_for(result: ScanResult, app: Application) -> Analyses:
    out = Analyses()
    if result.facts is None:
        out.needs_reason = out.deps_reason = "not analysed: the scan's analyses were not kept"
        return out
    try:
        from faasguard.analysis.iam.needs import function_needs
    except ImportError:
        out.needs_reason = "not analysed: this faasguard has no least-privilege analysis"
    else:
        try:
            out.needs = function_needs(result.facts, app)
        except Exception as exc:  # an analysis bug must not cost the whole report
            out.needs_reason = f"not analysed: the analysis failed ({exc!r})"
    try:
        from faasguard.analysis.deps.analysis import inventory

        out.deps = {d.function: d for d in inventory(app, result.facts).functions}
    except Exception as exc:
        out.deps_reason = f"not analysed: the dependency inventory failed ({exc!r})"
    return out


def function_anchor(app: Application, fn: Function) -> str:
    return anchor("fn", app.root, fn.id)


def loc(ref: SourceRef | None) -> str:
    if ref is None:
        return ""
    return f'<span class="loc">{esc(f"{ref.path}:{ref.line}")}</span>'


def value(v: object) -> str:
    """A model value as text: Unknown says why it is unknown."""
    if isinstance(v, Unknown):
        return f"unknown ({v.reason})"
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], empty: str) -> str:
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    if not body:
        return f'<p class="empty">{esc(empty)}</p>'
    cols = "".join(f"<th>{esc(h)}</th>" for h in head)
    return f"<table><thead><tr>{cols}</tr></thead><tbody>{body}</tbody></table>"


def render_function(
    app: Application, fn: Function, findings: Sequence[Finding], hits: Sequence[int], analyses: Analyses
) -> str:
    mine = [(i, findings[i]) for i in hits]
    parts = [
        f'<article class="fn" id="{function_anchor(app, fn)}">',
        f'<h3>{esc(fn.display_name)} <span class="muted">{esc(fn.id)} in {esc(app.root)}</span></h3>',
        _facts(app, fn),
        "<h4>Triggers and routes</h4>",
        _triggers(app, fn),
        "<h4>Permissions: used by the code vs granted to the role</h4>",
        _permissions(app, fn, analyses),
        "<h4>Dependencies and advisories</h4>",
        _dependencies(fn, mine, analyses),
        "<h4>Dollar exposure</h4>",
        _exposure(mine),
        "<h4>Findings</h4>",
        _finding_list(mine),
        "</article>",
    ]
    return "".join(parts)


def _facts(app: Application, fn: Function) -> str:
    items = [
        ("defined at", loc(fn.source)),
        ("runtime", esc(value(fn.runtime))),
        ("handler", esc(value(fn.handler))),
        ("handler file", f'<span class="loc">{esc(fn.handler_file)}</span>' if fn.handler_file else "-"),
        ("memory (MB)", esc(value(fn.memory))),
        ("timeout (s)", esc(value(fn.timeout))),
        ("reserved concurrency", esc(value(fn.reserved_concurrency))),
        ("role", esc(value(fn.role))),
        ("format", esc(app.kind)),
    ]
    cells = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in items)
    return f'<table class="facts">{cells}</table>'


def _triggers(app: Application, fn: Function) -> str:
    rows = [
        [esc(t.kind.value), esc(value(t.target)), esc(value(t.public)), loc(t.source)]
        for t in app.triggers_of(fn.id)
    ]
    if fn.url is not None:
        rows.append(["function-url", f"AuthType {esc(value(fn.url.auth_type))}", "-", loc(fn.url.source)])
    parts = [_table(("trigger", "target", "public", "where"), rows, "No triggers in the model.")]
    routes = [
        [
            f"<code>{esc(r.label)}</code>",
            esc(r.api),
            esc(r.auth.kind.value + (f" ({r.auth.authorizer})" if r.auth.authorizer else ""))
            + (" + API key" if r.auth.api_key_required else ""),
            esc(value(r.public)),
            loc(r.source),
        ]
        for r in app.routes_of(fn.id)
    ]
    if routes:
        parts.append(_table(("route", "API", "auth", "public", "where"), routes, ""))
    return "".join(parts)


def _allow_patterns(role: Role) -> list[tuple[str, SourceRef]]:
    return [
        (a, stmt.loc("Action"))
        for _policy, stmt in role.statements()
        if stmt.effect == "Allow"
        for a in stmt.actions
        if isinstance(a, str)
    ]


def _permissions(app: Application, fn: Function, analyses: Analyses) -> str:
    from faasguard.analysis.iam.actions import matches

    role = app.role(fn.role)
    parts: list[str] = []
    if role is None:
        why = value(fn.role) if isinstance(fn.role, Unknown) else "no role in the model"
        parts.append(f'<p class="empty">Granted: {esc(why)}.</p>')
        allowed: list[tuple[str, SourceRef]] = []
    else:
        allowed = _allow_patterns(role)
        rows = [
            [
                esc(stmt.effect),
                "<br>".join(f"<code>{esc(value(a))}</code>" for a in stmt.actions)
                + "".join(f"<br>NotAction <code>{esc(value(a))}</code>" for a in stmt.not_actions),
                "<br>".join(f"<code>{esc(value(r))}</code>" for r in stmt.resources) or "-",
                loc(stmt.source),
            ]
            for _policy, stmt in role.statements()
        ]
        rows += [["managed", f"<code>{esc(value(m.arn))}</code>", "-", loc(m.source)] for m in role.managed]
        parts.append(f"<p>Role <code>{esc(role.id)}</code> grants:</p>")
        parts.append(_table(("effect", "actions", "resources", "where"), rows, "No statements."))
    needs = analyses.needs.get(fn.id) if analyses.needs is not None else None
    if needs is None or (needs.language is None and not needs.actions):
        reason = analyses.needs_reason if analyses.needs is None else "not analysed: no handler code was read"
        parts.append(f'<p class="empty">Used by the code: {esc(reason)}.</p>')
        return "".join(parts)
    used_rows = []
    for need in needs.actions:
        granted = any(matches(p, need.action) for p, _ in allowed)
        verdict = (
            '<span class="good">allowed</span>'
            if granted
            else '<span class="muted">unknown</span>'
            if role is None or (role.managed and not granted)
            else '<span class="bad">not granted</span>'
        )
        used_rows.append(
            [
                f"<code>{esc(need.action)}</code>"
                + (f'<br><span class="muted">{esc(need.why)}</span>' if need.why else ""),
                "<br>".join(esc(_resource(r.store, r.suffix, r.literal, r.note)) for r in need.resources),
                "<br>".join(loc(c) for c in need.calls),
                verdict,
            ]
        )
    parts.append(
        _table(("used action", "resources", "called at", "role"), used_rows, "The code calls no AWS API.")
    )
    for ref, why in needs.unresolved:
        parts.append(f'<p class="muted">Unmapped SDK call at {loc(ref)}: {esc(why)}</p>')
    if not needs.complete:
        parts.append('<p class="empty">The code analysis is incomplete: unused grants are not claimed.</p>')
    elif role is not None:
        unused = [(p, where) for p, where in allowed if not any(matches(p, n.action) for n in needs.actions)]
        rows = [[f"<code>{esc(p)}</code>", loc(where)] for p, where in unused]
        parts.append(_table(("granted but never used", "where"), rows, "Every granted action is used."))
    return "".join(parts)


def _resource(store: str | None, suffix: str, literal: str | None, note: str | None) -> str:
    text = f"{store}{suffix}" if store else literal or "*"
    return f"{text} ({note})" if note else text


def _dependencies(fn: Function, mine: Sequence[tuple[int, Finding]], analyses: Analyses) -> str:
    parts: list[str] = []
    advisories = [(i, f) for i, f in mine if f.rule.startswith("FG-DEP-")]
    rows = []
    for i, f in advisories:
        x = f.extra
        package = (
            f"{x.get('package', '')}@{x.get('version') or x.get('spec') or ''}" if x.get("package") else ""
        )
        rows.append(
            [
                f'<a href="#{_row_id(i)}">{esc(f.rule)}</a>',
                f'<span class="sev sev-{esc(f.severity.value)}">{esc(f.severity.value)}</span>',
                esc(package) or "-",
                esc(x.get("advisory") or "-"),
                esc(x.get("fixed") or "-"),
                esc(f.message),
            ]
        )
    parts.append(
        _table(
            ("rule", "severity", "package", "advisory", "fixed in", "finding"),
            rows,
            "No dependency findings.",
        )
    )
    deps = analyses.deps.get(fn.id) if analyses.deps is not None else None
    if analyses.deps is None:
        parts.append(f'<p class="empty">Shipped packages: {esc(analyses.deps_reason)}.</p>')
        return "".join(parts)
    packages = [p for _, s in deps.all_shipped() for p in s.packages if not p.dev] if deps else []
    if not packages:
        parts.append('<p class="empty">No shipped packages found for this function.</p>')
        return "".join(parts)
    shown = [
        [
            esc(p.name),
            esc(p.version or p.spec or "-"),
            esc(p.ecosystem),
            "direct" if p.direct else "transitive",
            loc(p.source),
        ]
        for p in packages[:MAX_PACKAGES]
    ]
    parts.append(f"<details><summary>{len(packages)} shipped packages</summary>")
    parts.append(_table(("package", "version", "ecosystem", "", "pinned at"), shown, ""))
    if len(packages) > MAX_PACKAGES:
        parts.append(f'<p class="muted">and {len(packages) - MAX_PACKAGES} more.</p>')
    parts.append("</details>")
    return "".join(parts)


def usd_per_day(f: Finding) -> float | None:
    amount = f.extra.get("usd_per_day")
    return float(amount) if isinstance(amount, int | float) and not isinstance(amount, bool) else None


def _exposure(mine: Sequence[tuple[int, Finding]]) -> str:
    priced = [(i, f, usd) for i, f in mine if (usd := usd_per_day(f)) is not None]
    if not priced:
        return '<p class="empty">No priced denial-of-wallet finding.</p>'
    worst = max(usd for _, _, usd in priced)
    items = "".join(
        f'<li><a href="#{_row_id(i)}">{esc(f.rule)}</a> {esc(money(usd))} per day: {esc(f.message)}</li>'
        for i, f, usd in sorted(priced, key=lambda t: -t[2])
    )
    return f'<p>Worst case: <b class="bad">{esc(money(worst))} per day</b></p><ul>{items}</ul>'


def _finding_list(mine: Sequence[tuple[int, Finding]]) -> str:
    if not mine:
        return '<p class="empty">No findings.</p>'
    items = "".join(
        f'<li><span class="sev sev-{esc(f.severity.value)}">{esc(f.severity.value)}</span> '
        f'<a href="#{_row_id(i)}">{esc(f.rule)}</a> {esc(f.message)} '
        f"{loc(SourceRef(f.location.path, f.location.line))}</li>"
        for i, f in sorted(mine, key=lambda t: t[1].sort_key())
    )
    return f"<ul>{items}</ul>"


def _row_id(i: int) -> str:
    return f"f-{i}"
