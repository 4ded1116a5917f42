"""The text report: findings grouped by severity, then errors, exposure and one coverage line.

Every string that can come from a scanned file goes through `clean()`: a hostile template must not
be able to move the cursor, retitle the terminal, hide text with bidi controls or break the layout
with newlines. Colour goes through rich `Text` objects, never markup, so `[bold]` in a resource
name stays literal text.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from faasguard.findings import Category, Finding, ScanError, ScanResult, Severity

if TYPE_CHECKING:
    from rich.console import Console

# Escape sequences are removed whole (not just their ESC byte) so no "[31m" debris is left behind:
# CSI (7- and 8-bit), string commands (OSC, DCS, SOS, PM, APC) up to their terminator, other ESC forms.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)"
    r"|\x1b[ -/]*[0-~]",
    re.DOTALL,
)
_BREAKS = re.compile("[\t\n\v\f\r\x85\u2028\u2029]+")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SURROGATES = re.compile("[\ud800-\udfff]")  # undecodable bytes: unprintable and unencodable

_SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "bold yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


def clean(text: str) -> str:
    """One printable line: escape sequences and control characters removed, line breaks as spaces."""
    if text.isprintable():
        return text
    text = _ESCAPES.sub("", text)
    text = _BREAKS.sub(" ", text)
    text = _CONTROLS.sub("", text)
    return _SURROGATES.sub("\ufffd", text)


@dataclass(frozen=True, slots=True)
class _Line:
    indent: int
    parts: tuple[tuple[str, str], ...] = ()  # (text, rich style; "" for none)


def render(result: ScanResult, *, color: bool, width: int | None) -> str:
    """The report as a string; `width` wraps long lines (None: no wrapping in plain text)."""
    lines = _build(result)
    if not color:
        return _plain(lines, width)
    buffer = io.StringIO()
    _print_rich(lines, _console(buffer, width))
    return buffer.getvalue()


def print_report(result: ScanResult, stream: TextIO, color: bool) -> None:
    lines = _build(result)
    if color:
        _print_rich(lines, _console(stream, None))  # rich sizes itself to the terminal
    else:
        stream.write(_plain(lines, None))


def summary_line(result: ScanResult) -> str:
    """E.g. "3 findings (1 critical, 2 high) in 2 applications, 9 files, 4 functions (...), 0.21 s"."""
    cov = result.coverage
    head = _plural(len(result.findings), "finding")
    counts = [f"{n} {sev}" for sev, n in result.by_severity().items() if n]
    if counts:
        head += f" ({', '.join(counts)})"
    parts = [
        _plural(cov.applications, "application"),
        _plural(cov.files, "file"),
        f"{_plural(cov.functions, 'function')} ({_plural(cov.handlers_mapped, 'handler')} mapped)",
        f"{_plural(cov.unknown_values, 'value')} unknown",
        f"{_plural(cov.files_in_errors, 'file')} in errors",
    ]
    if cov.suppressed:
        parts.append(f"{cov.suppressed} suppressed")
    if cov.baselined:
        parts.append(f"{cov.baselined} in baseline")
    parts.append(f"{result.duration_s:.2f} s")
    return f"{head} in {', '.join(parts)}"


def _build(result: ScanResult) -> list[_Line]:
    lines: list[_Line] = []
    for severity in sorted(Severity, key=lambda s: -s.rank):
        group = [f for f in result.findings if f.severity is severity]
        if group:
            header = f"{severity.value.upper()} ({len(group)})"
            lines.append(_Line(0, ((header, _SEVERITY_STYLE[severity]),)))
            for finding in group:
                lines.extend(_finding_lines(finding))
            lines.append(_Line(0))
    if result.errors:
        lines.extend(_error_lines(result.errors))
    if result.notes:
        lines.extend(_note_lines(result.notes))
    if result.app_exposure:
        lines.extend(_exposure_lines(result.app_exposure))
    if result.suppressed:
        lines.extend(_suppressed_lines(result.suppressed))
    lines.append(_Line(0, ((summary_line(result), "bold"),)))
    return lines


def _finding_lines(f: Finding) -> list[_Line]:
    owner = f"application {clean(f.application) or '.'}"
    if f.resource:
        owner += f", resource {clean(f.resource)}"
    lines = [
        _Line(
            2,
            (
                (f.severity.value, _SEVERITY_STYLE[f.severity]),
                ("  ", ""),
                (clean(f.rule), "magenta"),
                ("  ", ""),
                (clean(f.title), "bold"),
            ),
        ),
        _Line(4, ((_where(f.location.path, f.location.line), "bold"), (f"  ({owner})", "dim"))),
        _Line(4, ((clean(f.message), ""),)),
    ]
    if f.category is Category.DENIAL_OF_WALLET:
        exposure = _exposure(f.extra)
        if exposure:
            lines.append(_Line(4, (("worst-case exposure: ", ""), (exposure, "bold red"))))
    for step in f.related:
        where = _where(step.path, step.line)
        lines.append(_Line(6, (("-> ", "dim"), (where, "bold"), ("  " + clean(step.message), ""))))
    return lines


def _suppressed_lines(items: list[tuple[Finding, str, str]]) -> list[_Line]:
    lines = [_Line(0, ((f"{_plural(len(items), 'finding')} suppressed", "bold"),))]
    for f, reason, where in items:
        lines.append(
            _Line(
                2,
                (
                    (clean(f.rule), "magenta"),
                    ("  " + _where(f.location.path, f.location.line), "bold"),
                    (f"  {clean(reason)} ({clean(where)})", "dim"),
                ),
            )
        )
    lines.append(_Line(0))
    return lines


def _error_lines(errors: list[ScanError]) -> list[_Line]:
    header = f"{_plural(len(errors), 'error')} (the scan went on without these)"
    lines = [_Line(0, ((header, "bold yellow"),))]
    for e in errors:
        lines.append(_Line(2, ((_where(e.path, e.line), "bold"), ("  " + clean(e.message), ""))))
    lines.append(_Line(0))
    return lines


def _note_lines(notes: list[ScanError]) -> list[_Line]:
    # What the scan chose not to compare (a spec paired with no API): not errors, still worth a word.
    lines = [_Line(0, ((_plural(len(notes), "note"), "bold"),))]
    for n in notes:
        lines.append(_Line(2, ((_where(n.path, n.line), "bold"), ("  " + clean(n.message), "dim"))))
    lines.append(_Line(0))
    return lines


def _exposure_lines(app_exposure: Mapping[str, Mapping[str, float]]) -> list[_Line]:
    def biggest_first(item: tuple[str, Mapping[str, float]]) -> tuple[float, str]:
        daily = item[1].get("usd_per_day", 0.0)
        return (-daily if isinstance(daily, int | float) and not math.isnan(daily) else 0.0, item[0])

    lines = [_Line(0, (("Worst-case exposure per application", "bold"),))]
    for app, amounts in sorted(app_exposure.items(), key=biggest_first):
        exposure = _exposure(amounts) or "unknown"
        lines.append(_Line(2, ((clean(app) or ".", "bold"), ("  " + exposure, "red"))))
    lines.append(_Line(0))
    return lines


def _exposure(amounts: Mapping[str, object]) -> str:
    parts = []
    for key, unit in (("usd_per_day", "day"), ("usd_per_hour", "hour")):
        money = _money(amounts.get(key))
        if money:
            parts.append(f"{money} per {unit}")
    return ", ".join(parts)


def _money(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return None
    return "unbounded" if math.isinf(value) else f"${value:,.2f}"


def _where(path: str, line: int | None) -> str:
    return f"{clean(path)}:{line}" if line is not None else clean(path)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _plain(lines: list[_Line], width: int | None) -> str:
    out: list[str] = []
    for line in lines:
        pad = " " * line.indent
        text = "".join(part for part, _ in line.parts)
        if width is None or len(pad) + len(text) <= width:
            out.append(pad + text if text else "")
            continue
        # Paths and ids are never split mid-word: a copied path must still work.
        out.extend(
            textwrap.wrap(
                text,
                max(width, line.indent + 20),
                initial_indent=pad,
                subsequent_indent=pad + "  ",
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out) + "\n"


def _console(stream: TextIO, width: int | None) -> Console:
    from rich.console import Console

    return Console(file=stream, force_terminal=True, width=width, highlight=False, markup=False, emoji=False)


def _print_rich(lines: list[_Line], console: Console) -> None:
    from rich.padding import Padding
    from rich.text import Text

    for line in lines:
        text = Text()
        for part, style in line.parts:
            text.append(part, style=style or None)
        console.print(Padding(text, (0, 0, 0, line.indent), expand=False) if line.indent else text)
