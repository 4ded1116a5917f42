"""The text report: plain when piped, grouped by severity, hostile strings made harmless."""

from __future__ import annotations

import io

import pytest

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
from faasguard.report import text
from faasguard.report.text import clean


def finding(
    rule: str = "FG-AUTH-001",
    severity: Severity = Severity.HIGH,
    category: Category = Category.BROKEN_AUTHENTICATION,
    message: str = "POST /orders reaches OrdersFunction with no authentication",
    path: str = "template.yaml",
    resource: str = "OrdersFunction",
    related: tuple[Related, ...] = (),
    extra: dict[str, object] | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        category=category,
        severity=severity,
        title=f"Title of {rule}",
        message=message,
        location=Location(path, 42, 44),
        application="services/orders",
        resource=resource,
        related=related,
        extra=extra if extra is not None else {},
    )


def result(
    findings: list[Finding],
    errors: list[ScanError] | None = None,
    app_exposure: dict[str, dict[str, float]] | None = None,
    coverage: Coverage | None = None,
) -> ScanResult:
    return ScanResult(
        root=".",
        findings=findings,
        errors=errors or [],
        coverage=coverage or Coverage(applications=1, functions=2, handlers_mapped=2, files=3),
        duration_s=0.2134,
        app_exposure=app_exposure or {},
    )


def plain(res: ScanResult, width: int | None = None) -> str:
    return text.render(res, color=False, width=width)


# CSI clear screen, OSC title, OSC 8 hyperlink, newline + fake line, 8-bit CSI, bidi, NUL, DEL, bad byte.
HOSTILE = (
    "a\x1b[2J\x1b]0;owned\x07b\x1b]8;;http://evil\x1b\\c\nFAKE LINE\r\t\x9b31md\u202eevil\x00\x7fz\udcff"
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain text", "plain text"),
        ("red \x1b[1;31mtext\x1b[0m", "red text"),
        ("title \x1b]0;pwned\x07done", "title done"),
        ("link \x1b]8;;http://x\x1b\\here", "link here"),
        ("8-bit \x9b2Jcsi", "8-bit csi"),
        ("charset \x1b(Bok", "charset ok"),
        ("two\nlines\r\nhere", "two lines here"),
        ("bidi \u202eevil\u2066x", "bidi evilx"),
        ("nul\x00 bel\x07 del\x7f", "nul bel del"),
        ("bad byte \udcff", "bad byte \ufffd"),
        ("unterminated \x1b]0;title", "unterminated "),
        ("trailing esc \x1b", "trailing esc "),
        ("ünïcödé 名前", "ünïcödé 名前"),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_plain_output_has_no_escape_codes() -> None:
    res = result([finding(message=HOSTILE, path=HOSTILE, resource=HOSTILE)], [ScanError(HOSTILE, 1, HOSTILE)])
    out = plain(res)
    assert "\x1b" not in out and "\x9b" not in out
    assert "owned" not in out and "evil\x1b" not in out


def test_hostile_strings_are_stripped_everywhere() -> None:
    related = (Related(HOSTILE, 3, HOSTILE),)
    res = result(
        [finding(message=HOSTILE, path=HOSTILE, resource=HOSTILE, related=related)],
        [ScanError(HOSTILE, None, HOSTILE)],
        {HOSTILE: {"usd_per_day": 1.0}},
    )
    for out in (plain(res), text.render(res, color=True, width=400)):
        for bad in ("\x1b]", "\x1b[2J", "\x07", "\x00", "\x7f", "\x9b", "\u202e", "\r", "\t", "\udcff"):
            assert bad not in out
        # The injected newline did not start a line of its own.
        assert not any(line.lstrip().startswith("FAKE LINE") for line in out.splitlines())
        assert "FAKE LINE" in out
    out.encode("utf-8")


def test_colour_output_uses_styles_but_not_markup_from_data() -> None:
    res = result([finding(resource="[bold red]x[/bold red]", message="see :smile: [link=http://evil]here")])
    out = text.render(res, color=True, width=200)
    assert "\x1b[" in out
    assert "[bold red]x[/bold red]" in out
    assert ":smile: [link=http://evil]here" in out


def test_grouped_by_severity_from_critical_to_info() -> None:
    findings = [
        finding("FG-A-001", Severity.LOW),
        finding("FG-A-002", Severity.CRITICAL),
        finding("FG-A-003", Severity.INFO),
        finding("FG-A-004", Severity.HIGH),
        finding("FG-A-005", Severity.MEDIUM),
        finding("FG-A-006", Severity.CRITICAL),
    ]
    out = plain(result(findings))
    headers = [line for line in out.splitlines() if line.split(" ")[0].isupper() and "(" in line]
    assert headers == ["CRITICAL (2)", "HIGH (1)", "MEDIUM (1)", "LOW (1)", "INFO (1)"]
    positions = [out.index(rule) for rule in ("FG-A-002", "FG-A-006", "FG-A-004", "FG-A-005", "FG-A-001")]
    assert positions == sorted(positions)
    assert out.index("FG-A-001") < out.index("FG-A-003")


def test_finding_block_shows_all_fields() -> None:
    related = (Related("src/app.py", 10, "event body read here"), Related("src/db.py", 7, "query built"))
    out = plain(result([finding(related=related)]))
    lines = out.splitlines()
    assert "  high  FG-AUTH-001  Title of FG-AUTH-001" in lines
    assert "    template.yaml:42  (application services/orders, resource OrdersFunction)" in lines
    assert "    POST /orders reaches OrdersFunction with no authentication" in lines
    step1 = lines.index("      -> src/app.py:10  event body read here")
    assert lines[step1 + 1] == "      -> src/db.py:7  query built"


def test_denial_of_wallet_shows_dollar_exposure() -> None:
    dow = finding(
        "FG-DOW-001",
        category=Category.DENIAL_OF_WALLET,
        extra={"usd_per_hour": 51.4375, "usd_per_day": 1234.5},
    )
    out = plain(result([dow]))
    assert "    worst-case exposure: $1,234.50 per day, $51.44 per hour" in out.splitlines()


def test_exposure_only_for_denial_of_wallet_and_only_numbers() -> None:
    other = finding(extra={"usd_per_day": 99.0})
    bad = finding("FG-DOW-002", category=Category.DENIAL_OF_WALLET, extra={"usd_per_day": "lots"})
    dow = Category.DENIAL_OF_WALLET
    unbounded = finding("FG-DOW-003", category=dow, extra={"usd_per_hour": float("inf")})
    out = plain(result([other, bad, unbounded]))
    assert "$99.00" not in out and "lots" not in out
    assert "worst-case exposure: unbounded per hour" in out


def test_application_exposure_lines_biggest_first() -> None:
    exposure = {
        "services/small": {"usd_per_hour": 1.0, "usd_per_day": 24.0},
        "services/big": {"usd_per_hour": 100.0, "usd_per_day": 2400.0},
    }
    lines = plain(result([], app_exposure=exposure)).splitlines()
    start = lines.index("Worst-case exposure per application")
    assert lines[start + 1 : start + 3] == [
        "  services/big  $2,400.00 per day, $100.00 per hour",
        "  services/small  $24.00 per day, $1.00 per hour",
    ]


def test_errors_are_listed() -> None:
    errors = [ScanError("bad.yaml", 3, "could not parse"), ScanError("huge.json", None, "file too large")]
    lines = plain(result([], errors)).splitlines()
    assert "2 errors (the scan went on without these)" in lines
    assert "  bad.yaml:3  could not parse" in lines
    assert "  huge.json  file too large" in lines


def test_notes_are_listed_apart_from_errors() -> None:
    r = result([])
    r.notes = [ScanError("docs/api.yaml", 1, "spec not compared: no API of this application matches it")]
    lines = plain(r).splitlines()
    assert "1 note" in lines
    assert "  docs/api.yaml:1  spec not compared: no API of this application matches it" in lines
    assert not any("error" in line for line in lines[:-1])


def test_summary_line_with_coverage() -> None:
    coverage = Coverage(
        applications=3, functions=14, handlers_mapped=12, unknown_values=4, files=20, files_in_errors=1
    )
    findings = [finding(severity=Severity.CRITICAL)] * 2 + [finding(severity=Severity.HIGH)] * 3
    out = plain(result(findings, coverage=coverage))
    assert out.splitlines()[-1] == (
        "5 findings (2 critical, 3 high) in 3 applications, 20 files, 14 functions (12 handlers mapped), "
        "4 values unknown, 1 file in errors, 0.21 s"
    )


def test_summary_line_singular_and_suppressed() -> None:
    coverage = Coverage(1, 1, 1, unknown_values=1, files=1, suppressed=2)
    assert text.summary_line(result([finding()], coverage=coverage)) == (
        "1 finding (1 high) in 1 application, 1 file, 1 function (1 handler mapped), "
        "1 value unknown, 0 files in errors, 2 suppressed, 0.21 s"
    )


def test_no_findings_prints_only_the_summary() -> None:
    assert plain(result([])).splitlines() == [text.summary_line(result([]))]


def test_width_wraps_long_lines_without_splitting_words() -> None:
    long_message = " ".join(["word"] * 40)
    out = plain(result([finding(message=long_message)]), width=60)
    assert all(len(line) <= 60 for line in out.splitlines())
    assert "words" not in out and "wor\n" not in out


def test_print_report_plain_matches_render() -> None:
    res = result([finding()], [ScanError("bad.yaml", 1, "nope")])
    stream = io.StringIO()
    text.print_report(res, stream, False)
    assert stream.getvalue() == plain(res)


def test_print_report_colour_writes_styles() -> None:
    stream = io.StringIO()
    text.print_report(result([finding()]), stream, True)
    assert "\x1b[" in stream.getvalue() and "FG-AUTH-001" in stream.getvalue()
