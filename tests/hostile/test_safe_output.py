"""Safe output whatever a scanned file holds: every string field of a result (paths, resource names,
messages, rule text, suppression reasons, `extra` facts) gets arbitrary code points, lone
surrogates (what undecodable bytes become), control characters, escape sequences and HTML, and
then the text report (plain, wrapped, coloured) has no control character or escape sequence but
its own colours, the JSON report parses and round-trips the data, the SARIF report is valid
against the official schema, and the HTML report holds no element or event handler but its own.
"""

from __future__ import annotations

import json
import math

from hostile_checks import render_all, report_problems
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faasguard.findings import (
    Category,
    Coverage,
    Finding,
    Location,
    Related,
    ScanError,
    ScanResult,
    Severity,
)

ESCAPES = [
    "\x1b[31m",
    "\x1b]0;title\x07",
    "\x1b]8;;http://x\x1b\\",
    "\x1bP1$r\x1b\\",
    "\x9b2J",
    "\x1b[?1049h",
    "\x1bc",
    "\u202e",
    "\u2066",
    "\u2028",
    "\x85",
    "\r",
    "\x08",
    "\x00",
    "\x7f",
    "<script>alert(1)</script>",
    "&amp;",
    "[bold]x[/bold]",
    "](javascript:alert(1))",
    "[link](http://evil)",
    "%SRCROOT%",
    "\ud800",
    "\udcff",
    "\U0001f600",
]
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
hostile = st.one_of(
    st.text(ANY_CHAR, max_size=30),
    st.lists(st.one_of(st.sampled_from(ESCAPES), st.text(ANY_CHAR, max_size=5)), max_size=6).map("".join),
)
paths = st.one_of(
    hostile,
    st.lists(hostile, min_size=1, max_size=3).map("/".join),
    st.sampled_from(["", ".", "/abs", "../up", "a\\b"]),
)
lines = st.one_of(st.none(), st.integers(-5, 10**9))
extra_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), hostile, st.binary(max_size=8)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(hostile, inner, max_size=3),
        st.frozensets(st.integers(), max_size=3),
    ),
    max_leaves=10,
)


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    line = draw(st.integers(1, 10**6))
    return Finding(
        rule=draw(st.one_of(st.sampled_from(["FG-AUTH-003", "FG-IAM-001"]), hostile)),
        category=draw(st.sampled_from(list(Category))),
        severity=draw(st.sampled_from(list(Severity))),
        title=draw(hostile),
        message=draw(hostile),
        location=Location(draw(paths), line, line + draw(st.integers(0, 5))),
        application=draw(st.one_of(st.just("."), paths)),
        resource=draw(hostile),
        related=tuple(draw(st.lists(st.builds(Related, paths, st.integers(1, 99), hostile), max_size=2))),
        extra=draw(st.dictionaries(hostile, extra_values, max_size=3)),
        fingerprint=draw(hostile),
    )


@st.composite
def results(draw: st.DrawFn) -> ScanResult:
    found = draw(st.lists(findings(), max_size=6))
    errors = draw(
        st.lists(
            st.builds(
                ScanError,
                paths,
                lines,
                hostile,
                st.sampled_from(["parse", "bound", "io", "outside-root", "internal"]),
            ),
            max_size=4,
        )
    )
    amounts = st.dictionaries(
        st.sampled_from(["usd_per_hour", "usd_per_day", "other"]), st.floats(allow_nan=True), max_size=2
    )
    return ScanResult(
        root=draw(st.sampled_from([".", "/nonexistent/x\x1b[31m"])),
        findings=found,
        errors=errors,
        coverage=Coverage(*draw(st.lists(st.integers(0, 10**6), min_size=8, max_size=8))),
        duration_s=draw(st.floats(allow_nan=True)),
        applications=draw(st.lists(paths, max_size=3)),
        app_exposure=draw(st.dictionaries(paths, amounts, max_size=2)),
        suppressed=[(f, draw(hostile), draw(hostile)) for f in draw(st.lists(findings(), max_size=2))],
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(results())
def test_reports_are_safe_and_valid_whatever_the_strings(result: ScanResult) -> None:
    assert report_problems(result, validate_sarif=True) == []


def _same(a: object, b: object) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(findings(), min_size=1, max_size=3))
def test_json_keeps_every_string_exactly(found: list[Finding]) -> None:
    result = ScanResult(root=".", findings=found, errors=[], coverage=Coverage(), duration_s=0.1)
    doc = json.loads(render_all(result)["json"])
    for f, row in zip(found, doc["findings"], strict=True):
        # Escaped, never altered: lone surrogates come back as the same code points.
        assert row["message"] == f.message and row["resource"] == f.resource
        assert row["location"]["path"] == f.location.path and row["title"] == f.title
