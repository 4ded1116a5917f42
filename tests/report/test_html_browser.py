"""The HTML report in a real headless browser: Chromium from the system, driven by Playwright.

Each page records console messages, page errors, dialogs, Content-Security-Policy violations and
every request; the teardown of every test asserts there were no errors, no dialog, no violation
and no request but the report file itself.

Without a browser these tests are skipped with a plain reason (shown by pytest's `-rs`). CI sets
FAASGUARD_REQUIRE_BROWSER=1, and then a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from test_html import IMG, PATH_FINDING, SCRIPT, finding, hostile_project, result

from faasguard import api
from faasguard.findings import Related, ScanResult
from faasguard.report import html, json_report
from faasguard.report.html_svg import wrap

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Recorded before any page script runs (an init script runs outside the page's CSP).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def _unavailable(reason: str) -> None:
    if os.environ.get("FAASGUARD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"FAASGUARD_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(
        f"browser tests SKIPPED: {reason} (install Debian's `chromium` package, or set "
        "FAASGUARD_CHROMIUM=/path/to/chromium; CI sets FAASGUARD_REQUIRE_BROWSER=1 to fail instead)"
    )


def _executable() -> tuple[str | None, str]:
    """The browser to drive, or None and why there is none."""
    configured = os.environ.get("FAASGUARD_CHROMIUM")
    if configured:
        ok = os.access(configured, os.X_OK)
        return (configured, "") if ok else (None, f"FAASGUARD_CHROMIUM={configured} is not an executable")
    found = next((path for name in BROWSER_NAMES if (path := shutil.which(name))), None)
    return found, "" if found else "no Chromium found on PATH (" + ", ".join(BROWSER_NAMES) + ")"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    executable, why = _executable()
    if executable is None:
        _unavailable(why)
    assert executable is not None
    with sync_playwright() as pw:
        try:
            launched = pw.chromium.launch(executable_path=executable, headless=True)
        except Error as exc:
            _unavailable(f"{executable} did not start: {str(exc).splitlines()[0]}")
        yield launched
        launched.close()


@dataclass
class Recorder:
    page: Page
    url: str
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every request the page started
    routed: list[str] = field(default_factory=list)  # those that got past the page's CSP
    failed: list[tuple[str, str]] = field(default_factory=list)

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("window.__violations")
        return found


def _open(browser: Browser, report: Path, *, javascript: bool = True, fragment: str = "") -> Recorder:
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    url = report.as_uri()
    rec = Recorder(page, url)
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda m: rec.console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: rec.errors.append(str(e)))

    def on_dialog(dialog: Any) -> None:
        rec.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda r: rec.requests.append(r.url))
    page.on("requestfailed", lambda r: rec.failed.append((r.url, r.failure or "")))

    def only_the_report(route: Any) -> None:
        rec.routed.append(route.request.url)
        if route.request.url == url:
            route.continue_()
        else:
            route.abort()

    page.route("**/*", only_the_report)
    page.goto(url + fragment)
    return rec


def _assert_quiet(rec: Recorder, javascript: bool = True) -> None:
    assert rec.errors == []
    assert [m for m in rec.console if not m.startswith(("log:", "debug:", "info:"))] == []
    assert rec.dialogs == []
    assert rec.requests == [rec.url] and rec.routed == [rec.url]
    if javascript:
        assert rec.violations() == []


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ScanResult]:
    options = api.ScanOptions(use_config=False, keep_models=True, osv_db=ROOT / "examples" / "osv")
    res = api.scan(ROOT / "examples", options)
    report = tmp_path_factory.mktemp("html") / "demo.html"
    report.write_text(html.render(res), encoding="utf-8")
    return report, res


@pytest.fixture
def page(browser: Browser, demo: tuple[Path, ScanResult]) -> Iterator[Recorder]:
    rec = _open(browser, demo[0], fragment="#findings")
    yield rec
    _assert_quiet(rec)
    rec.page.context.close()


def _visible_rows(page: Page) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = page.eval_on_selector_all(
        "#findings-table tbody tr",
        """rows => rows.filter(r => !r.hidden).map(r => ({
            rule: r.getAttribute("data-rule"), severity: r.getAttribute("data-severity"),
            path: r.getAttribute("data-path"), line: r.getAttribute("data-line"),
            message: r.cells[3].innerText}))""",
    )
    return rows


def test_renders_every_finding_in_order(page: Recorder, demo: tuple[Path, ScanResult]) -> None:
    expected = json_report.to_dict(demo[1])["findings"]
    rows = _visible_rows(page.page)
    assert [(r["rule"], r["path"], r["line"]) for r in rows] == [
        (f["rule"], f["location"]["path"], str(f["location"]["line"])) for f in expected
    ]
    assert [r["message"].split("\n")[0] for r in rows] == [f["message"] for f in expected]
    assert page.page.inner_text("#shown-count") == f"{len(expected)} of {len(expected)} findings shown"
    assert page.page.is_visible("#findings") and not page.page.is_visible("#overview")


def test_sorts_by_a_clicked_header(page: Recorder) -> None:
    p = page.page
    p.click("#findings-table th[data-sort^='data-rule'] button")
    rules = [r["rule"] for r in _visible_rows(p)]
    assert rules == sorted(rules) and rules != [r["rule"] for r in _visible_rows(p)][::-1]
    assert p.get_attribute("#findings-table th[data-sort^='data-rule']", "aria-sort") == "ascending"
    p.click("#findings-table th[data-sort^='data-rule'] button")
    assert [r["rule"] for r in _visible_rows(p)] == sorted(rules, reverse=True)
    p.click("#findings-table th[data-sort^='data-path'] button")
    locations = [(r["path"], int(r["line"])) for r in _visible_rows(p)]
    assert locations == sorted(locations)
    p.click("#findings-table th[data-sort^='data-rank'] button")
    ranks = ["critical", "high", "medium", "low", "info"]
    severities = [ranks.index(r["severity"]) for r in _visible_rows(p)]
    assert severities == sorted(severities)


def test_filters_by_severity_rule_and_text(page: Recorder, demo: tuple[Path, ScanResult]) -> None:
    p = page.page
    findings = demo[1].findings
    total = len(findings)
    p.select_option("select[name='data-severity']", "critical")
    assert {r["severity"] for r in _visible_rows(p)} == {"critical"}
    critical = sum(1 for f in findings if f.severity.value == "critical")
    assert p.inner_text("#shown-count") == f"{critical} of {total} findings shown"
    p.fill("#filter-text", "pyyaml")
    rows = _visible_rows(p)
    assert [(r["rule"], r["path"], r["line"]) for r in rows] == [
        ("FG-DEP-002", "src/orders/requirements.txt", "2"),
        ("FG-DEP-002", "src/orders/requirements.txt", "2"),
    ]
    p.select_option("select[name='data-severity']", "")
    p.fill("#filter-text", "")
    p.select_option("select[name='data-rule']", "FG-AUTH-001")
    assert [(r["rule"], r["line"]) for r in _visible_rows(p)] == [
        ("FG-AUTH-001", "44"),
        ("FG-AUTH-001", "49"),
    ]
    p.select_option("select[name='data-rule']", "")
    p.select_option("select[name='data-category']", "denial-of-wallet")
    assert {r["rule"][:6] for r in _visible_rows(p)} == {"FG-DOW"}
    p.select_option("select[name='data-category']", "")
    assert len(_visible_rows(p)) == total


def test_tabs_and_the_page_per_function(page: Recorder) -> None:
    p = page.page
    p.click("nav.views a[href='#functions']")
    assert p.is_visible("#functions") and not p.is_visible("#findings")
    p.click("#functions ul.index a:text('OrdersFunction')")
    article = p.locator("article.fn", has_text="OrdersFunction in .").first
    assert article.is_visible()
    text = article.inner_text()
    assert "ANY /{proxy+}" in text and "requests@2.19.1" in text and "$4,636.80 per day" in text
    article.locator("a", has_text="FG-DEP-002").first.click()
    assert p.is_visible("#findings") and not p.is_visible("#functions")
    assert "FG-DEP-002" in p.inner_text(":target")
    p.click("nav.views a[href='#exposure']")
    assert p.locator("#exposure svg.chart rect.bar-app").count() == 1
    p.click("nav.views a[href='#rules']")
    assert "How to fix" not in p.inner_text("#rules") and p.is_visible("#rule-FG-AUTH-001")


def test_readable_with_scripts_disabled(browser: Browser, demo: tuple[Path, ScanResult]) -> None:
    rec = _open(browser, demo[0], javascript=False)
    p = rec.page
    assert p.locator("#findings-table tbody tr").count() == len(demo[1].findings)
    for view in ("overview", "findings", "functions", "paths", "exposure", "errors", "rules"):
        assert p.is_visible(f"#{view}"), view
    assert not p.is_visible("#controls")  # the controls need the script: hidden without it
    _assert_quiet(rec, javascript=False)
    p.context.close()


def test_the_policy_blocks_any_fetch(browser: Browser, demo: tuple[Path, ScanResult]) -> None:
    """Even markup that an escaping bug let through could fetch nothing and run nothing."""
    rec = _open(browser, demo[0])
    p = rec.page
    p.evaluate(
        """() => {
        const probe = document.createElement("div");
        probe.innerHTML = '<img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="http://127.0.0.1:9/x.css">';
        document.body.appendChild(probe);
        const s = document.createElement("script");
        s.textContent = "window.__ran = true";
        document.body.appendChild(s);
    }"""
    )
    p.wait_for_timeout(200)
    # Chromium refused both before any connection: they never reached the network layer.
    assert rec.routed == [rec.url]
    assert sorted(rec.failed) == [("http://127.0.0.1:9/x.css", "csp"), ("http://127.0.0.1:9/x.png", "csp")]
    assert p.evaluate("window.__ran === undefined")
    assert sorted(v.split()[0] for v in rec.violations()) == ["img-src", "script-src-elem", "style-src-elem"]
    p.context.close()


def test_hostile_project_stays_text(browser: Browser, tmp_path: Path) -> None:
    res = api.scan(hostile_project(tmp_path), api.ScanOptions(use_config=False, keep_models=True))
    # An attack path from the attack-path analysis, hand-built so this test does not depend on it.
    hops = (Related("template.yaml", 21, f"public route {SCRIPT}"), Related(f"src/{IMG}/app.py", 6, IMG))
    res.findings.append(finding(rule="FG-PATH-999", message=IMG, related=hops, application=SCRIPT))
    report = tmp_path / "hostile.html"
    report.write_text(html.render(res), encoding="utf-8")
    rec = _open(browser, report, fragment="#findings")
    p = rec.page
    assert (
        p.evaluate("document.querySelectorAll('img, [onerror], [onload], iframe, object, embed').length") == 0
    )
    assert p.evaluate("document.scripts.length") == 2
    auth = p.locator("#findings-table tr[data-rule='FG-AUTH-001'] td").nth(3).inner_text()
    assert auth.startswith(
        'GET /"><img src=x onerror=alert(4)>/<script>alert(5)</script> on the implicit API'
    )
    p.fill("#filter-text", "<script>alert(5)</script>")
    assert {r["rule"] for r in _visible_rows(p)} >= {"FG-AUTH-001", "FG-INJ-001"}
    p.click("nav.views a[href='#functions']")
    assert p.locator("article.fn h3").first.inner_text().startswith(IMG)
    p.click("nav.views a[href='#paths']")
    boxes = p.locator("#paths svg g.hop-box")
    assert boxes.count() >= 2
    drawn = p.locator("#paths article", has_text="FG-PATH-999").locator("svg text.hop-text")
    assert drawn.all_text_contents() == ["".join(wrap(f"public route {SCRIPT}")), "".join(wrap(IMG))]
    p.wait_for_timeout(200)  # time for any injected handler to have fired
    _assert_quiet(rec)
    p.context.close()


def test_attack_path_diagram_drawn(browser: Browser, tmp_path: Path) -> None:
    report = tmp_path / "paths.html"
    report.write_text(html.render(result([finding(), PATH_FINDING])), encoding="utf-8")
    rec = _open(browser, report, fragment="#paths")
    boxes = rec.page.locator("#paths svg g.hop-box rect")
    xs = [boxes.nth(i).bounding_box()["x"] for i in range(boxes.count())]  # type: ignore[index]
    assert len(xs) == 4 and xs == sorted(xs)
    texts = rec.page.locator("#paths svg text.hop-text").all_text_contents()
    assert texts == ["".join(wrap(r.message)) for r in PATH_FINDING.related]
    _assert_quiet(rec)
    rec.page.context.close()
