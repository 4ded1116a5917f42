"""Inline SVG for the HTML report: attack paths as chains of boxes, dollar exposure as a bar chart.

No fonts are measured: text is wrapped by a character budget that fits the boxes at the report's
font size, and every full string is kept in a <title> (a tooltip) and in the HTML beside the
drawing, so nothing that is cut short in a box is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from faasguard.report.html_text import esc

_BOX_W, _GAP, _PAD, _LINE_H = 220, 48, 12, 15
_WRAP = 32  # characters per line inside a box
_MAX_LINES = 6


@dataclass(frozen=True, slots=True)
class Hop:
    message: str
    location: str  # "path:line"


def wrap(text: str, width: int = _WRAP, max_lines: int = _MAX_LINES) -> list[str]:
    """Word-wrapped lines (long words such as paths are cut), the last one ellipsised if cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > width:  # a path or an identifier longer than a line
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "\u2026"
    return lines or [""]


def path_diagram(hops: Sequence[Hop], label: str) -> str:
    """A left-to-right chain: one box per hop (its message and location), arrows between them."""
    wrapped = [wrap(h.message) for h in hops]
    lines = max((len(w) for w in wrapped), default=1)
    box_h = _PAD * 2 + _LINE_H * (lines + 2)  # + the step number and the location
    width = len(hops) * _BOX_W + max(len(hops) - 1, 0) * _GAP + 2
    height = box_h + 2
    parts = [
        f'<svg class="attack-path" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(label)}">'
    ]
    for i, (hop, text_lines) in enumerate(zip(hops, wrapped, strict=True)):
        x = 1 + i * (_BOX_W + _GAP)
        kind = " hop-first" if i == 0 else " hop-last" if i == len(hops) - 1 else ""
        parts.append(f'<g class="hop-box" data-step="{i + 1}">')
        parts.append(f"<title>{esc(f'{i + 1}. {hop.message} ({hop.location})')}</title>")
        parts.append(f'<rect class="hop{kind}" x="{x}" y="1" width="{_BOX_W}" height="{box_h}" rx="6"/>')
        tx, ty = x + _PAD, 1 + _PAD + 11
        parts.append(f'<text class="hop-loc" x="{tx}" y="{ty}">step {i + 1}</text>')
        spans = "".join(
            f'<tspan x="{tx}" y="{ty + _LINE_H * (n + 1)}">{esc(line)}</tspan>'
            for n, line in enumerate(text_lines)
        )
        parts.append(f'<text class="hop-text">{spans}</text>')
        loc = wrap(hop.location, _WRAP + 2, 1)[0]
        parts.append(f'<text class="hop-loc" x="{tx}" y="{1 + box_h - _PAD}">{esc(loc)}</text>')
        parts.append("</g>")
        if i < len(hops) - 1:
            ax, ay = x + _BOX_W, 1 + box_h // 2
            parts.append(f'<line class="arrow" x1="{ax + 4}" y1="{ay}" x2="{ax + _GAP - 10}" y2="{ay}"/>')
            tip = ax + _GAP - 3
            parts.append(
                f'<polygon class="arrowhead" points="{tip},{ay} {tip - 9},{ay - 5} {tip - 9},{ay + 5}"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    css: str = "bar"  # "bar" (a function) or "bar-app" (an application total)


_LABEL_W, _BAR_W, _VALUE_W, _ROW_H = 260, 420, 130, 24


def money(usd: float) -> str:
    return f"${usd:,.2f}"


def bar_chart(bars: Sequence[Bar], label: str) -> str:
    """Horizontal bars on a linear scale from zero; a non-zero value is never drawn thinner than 2px."""
    if not bars:
        return ""
    top = max(b.value for b in bars) or 1.0
    width = _LABEL_W + _BAR_W + _VALUE_W
    height = _ROW_H * len(bars) + 8
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(label)}">',
        f'<line class="axis" x1="{_LABEL_W}" y1="0" x2="{_LABEL_W}" y2="{height}"/>',
    ]
    for i, bar in enumerate(bars):
        y = 4 + i * _ROW_H
        length = bar.value / top * _BAR_W
        if bar.value > 0:
            length = max(length, 2.0)
        name = wrap(bar.label, 40, 1)[0]
        parts.append(f'<g class="bar-row"><title>{esc(f"{bar.label}: {money(bar.value)} per day")}</title>')
        parts.append(f'<text x="{_LABEL_W - 6}" y="{y + 15}" text-anchor="end">{esc(name)}</text>')
        parts.append(
            f'<rect class="{bar.css}" x="{_LABEL_W}" y="{y + 3}" width="{length:.1f}" height="{_ROW_H - 8}"/>'
        )
        parts.append(f'<text x="{_LABEL_W + length + 6:.1f}" y="{y + 15}">{esc(money(bar.value))}</text></g>')
    parts.append("</svg>")
    return "".join(parts)
