"""The HTML report without a browser: structure, exact rows, escaping, CSP, diagrams and charts.

The same report is opened in a real browser by test_html_browser.py; these tests hold on any
machine. HTML is read back with the standard library's parser into a small tree.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from faasguard import api, cli
from faasguard.analysis.iam.needs import FunctionNeeds, NeededAction, NeededResource
from faasguard.findings import Category, Coverage, Finding, Location, Related, ScanError, ScanResult, Severity
from faasguard.model import (
    Application,
    Auth,
    AuthKind,
    Function,
    Policy,
    Role,
    Route,
    SourceRef,
    Statement,
    Trigger,
    TriggerKind,
)
from faasguard.report import html, json_report
from faasguard.report.html_assets import CSS, JS, content_security_policy
from faasguard.report.html_functions import Analyses, render_function
from faasguard.report.html_svg import Bar, Hop, bar_chart, path_diagram, wrap
from faasguard.report.html_text import esc, script_json

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
TERMINAL = "\x1b]0;pwned\x07"

# --- a small DOM over html.parser ---------------------------------------------------------------

_VOID = {"meta", "br", "input", "img", "link", "hr", "rect", "line", "polygon"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def words(self) -> str:
        """The text as a reader sees it: elements apart, whitespace collapsed."""
        parts = [c if isinstance(c, str) else f" {c.words()} " for c in self.children]
        return " ".join("".join(parts).split())

    def iter(self) -> list[Node]:
        out = [self]
        for c in self.children:
            if isinstance(c, Node):
                out.extend(c.iter())
        return out

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()
            if n.tag == tag and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def by_id(self, ident: str) -> Node:
        (node,) = [n for n in self.iter() if n.attrs.get("id") == ident]
        return node

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(text: str) -> Node:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def cells(row: Node) -> list[str]:
    return [td.words() for td in row.find_all("td")]


# --- hand-built results -------------------------------------------------------------------------


def finding(
    rule: str = "FG-AUTH-001",
    severity: Severity = Severity.HIGH,
    category: Category = Category.BROKEN_AUTHENTICATION,
    message: str = "POST /orders reaches OrdersFunction with no authentication",
    path: str = "template.yaml",
    line: int = 42,
    resource: str = "OrdersFunction",
    application: str = "services/orders",
    related: tuple[Related, ...] = (),
    extra: dict[str, object] | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        category=category,
        severity=severity,
        title=f"Title of {rule}",
        message=message,
        location=Location(path, line, line),
        application=application,
        resource=resource,
        related=related,
        extra=extra or {},
        fingerprint=f"fp-{rule}-{line}",
    )


def result(findings: list[Finding], **kwargs: object) -> ScanResult:
    return ScanResult(
        root="project",
        findings=findings,
        errors=kwargs.pop("errors", []),  # type: ignore[arg-type]
        coverage=Coverage(applications=1, functions=2, handlers_mapped=2, files=3),
        duration_s=0.25,
        applications=["services/orders"],
        **kwargs,  # type: ignore[arg-type]
    )


PATH_FINDING = finding(
    rule="FG-PATH-001",
    severity=Severity.CRITICAL,
    category=Category.EVENT_INJECTION,
    message="Public route -> command injection -> role can write OrdersTable",
    path="src/app.py",
    line=17,
    related=(
        Related("template.yaml", 44, "public route GET /orders/{id}, no authentication"),
        Related("src/app.py", 17, "event data reaches subprocess.check_output()"),
        Related("template.yaml", 36, "role OrdersFunctionRole allows dynamodb:PutItem"),
        Related("template.yaml", 60, "table OrdersTable"),
    ),
)


# --- escaping -----------------------------------------------------------------------------------


def test_esc_escapes_markup_and_drops_terminal_escapes() -> None:
    assert esc(IMG) == "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
    assert esc(SCRIPT) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert esc(f"a{TERMINAL}b\x00c\ud800") == "abc\ufffd"
    assert esc("it's") == "it&#x27;s"


def test_script_json_cannot_close_the_script_element() -> None:
    value = {"m": "</script><!-- <script>x</script> & \u2028\u2029"}
    text = script_json(json.dumps(value, ensure_ascii=False))
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == value


# --- the whole page -----------------------------------------------------------------------------


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_page_is_self_contained_under_a_strict_policy() -> None:
    page = html.render(result([finding(), PATH_FINDING]))
    doc = parse(page)
    (meta,) = [m for m in doc.find_all("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    policy = meta.attrs["content"]
    assert policy == content_security_policy()
    assert policy.startswith("default-src 'none'; ")
    (style,) = doc.find_all("style")
    data, script = doc.find_all("script")
    # The policy admits exactly the stylesheet and the script in the page, by hash.
    assert f"style-src {_csp_hash(style.text())};" in policy
    assert f"script-src {_csp_hash(script.text())};" in policy
    assert (style.text(), script.text()) == (CSS, JS)
    assert data.attrs == {"type": "application/json", "id": "faasguard-json"}
    # Nothing to fetch: no src/srcset/action anywhere, links are in-page or the rules' https refs.
    for node in doc.iter():
        assert not {"src", "srcset", "action", "style", "background"} & set(node.attrs), node
        assert not any(a.startswith("on") for a in node.attrs), node
        href = node.attrs.get("href")
        if href is not None:
            assert href.startswith("#") or href.startswith("https://"), href
    assert "@import" not in CSS and "url(" not in CSS


def test_embedded_json_is_the_json_report() -> None:
    res = result([finding(message=f"</script>{SCRIPT}{IMG}"), PATH_FINDING])
    doc = parse(html.render(res))
    assert json.loads(doc.by_id("faasguard-json").text()) == json_report.to_dict(res)


def test_summary_by_threat_and_severity() -> None:
    res = result(
        [finding(), finding(severity=Severity.LOW, line=50), PATH_FINDING],
        errors=[ScanError("broken.yaml", 3, "could not parse: mapping values are not allowed here")],
    )
    doc = parse(html.render(res))
    overview = doc.by_id("overview")
    matrix = overview.find_all("table", **{"class": "matrix"})[0]
    rows = {r.find_all("th")[0].text(): cells(r) for r in matrix.find_all("tr")[1:]}
    assert rows["Broken authentication broken-authentication"] == ["", "1", "", "1", "", "2"]
    assert rows["Event injection event-injection"] == ["1", "", "", "", "", "1"]
    assert rows["Code quality code-quality"] == ["", "", "", "", "", "0"]
    cards = [c.words() for c in overview.find_all("div", **{"class": "card"})]
    assert cards[:5] == ["1 critical", "1 high", "0 medium", "1 low", "0 info"]
    assert "0.25 s duration" in cards and "3 files" in cards and "2 functions" in cards
    errors = doc.by_id("errors").find_all("tr")
    assert [cells(r) for r in errors[1:]] == [
        ["broken.yaml:3", "parse", "could not parse: mapping values are not allowed here"]
    ]


def test_findings_table_rows_exact() -> None:
    related = (Related("src/app.py", 10, "source: body read here"),)
    res = result([finding(related=related), finding(rule="FG-LOG-001", severity=Severity.LOW, line=7)])
    doc = parse(html.render(res))
    rows = doc.by_id("findings-table").find_all("tbody")[0].find_all("tr")
    assert [cells(r) for r in rows] == [
        [
            "high",
            "FG-AUTH-001 Title of FG-AUTH-001",
            "Broken authentication",
            "POST /orders reaches OrdersFunction with no authentication "
            "src/app.py:10 source: body read here How to fix",
            "template.yaml:42",
            "OrdersFunction",
            "services/orders",
        ],
        [
            "low",
            "FG-LOG-001 Title of FG-LOG-001",
            "Broken authentication",
            "POST /orders reaches OrdersFunction with no authentication How to fix",
            "template.yaml:7",
            "OrdersFunction",
            "services/orders",
        ],
    ]
    assert rows[0].attrs["data-severity"] == "high" and rows[1].attrs["data-rank"] == "-1"
    assert [a.attrs["href"] for a in rows[0].find_all("a")] == ["#rule-FG-AUTH-001", "#rule-FG-AUTH-001"]
    # The filter lists hold the values present.
    selects = {s.attrs["name"]: [o.text() for o in s.find_all("option")] for s in doc.find_all("select")}
    assert selects["data-rule"] == ["all", "FG-AUTH-001", "FG-LOG-001"]
    assert selects["data-app"] == ["all", "services/orders"]
    assert selects["data-category"] == ["all", "Broken authentication"]


def test_hostile_strings_stay_text_everywhere() -> None:
    hostile = finding(
        message=f"{SCRIPT} {IMG} {JS_URL}{TERMINAL}",
        path=f"src/{IMG}/app.py",
        resource=SCRIPT,
        application=IMG,
        related=(Related(f"{SCRIPT}.yaml", 1, IMG),),
        extra={"usd_per_day": 12.5, "functions": [SCRIPT]},
    )
    res = result([hostile, PATH_FINDING], app_exposure={IMG: {"usd_per_hour": 1.0, "usd_per_day": 24.0}})
    page = html.render(res)
    doc = parse(page)
    tags = {n.tag for n in doc.iter()}
    assert "img" not in tags
    assert len(doc.find_all("script")) == 2
    row = doc.by_id("f-0")
    assert row.attrs["data-app"] == IMG and row.attrs["data-resource"] == SCRIPT
    assert cells(row)[3].startswith(f"{SCRIPT} {IMG} {JS_URL} {SCRIPT}.yaml:1 {IMG}")
    assert cells(row)[4] == f"src/{IMG}/app.py:42"
    assert "\x1b" not in page and "pwned\x07" not in page
    assert f'href="{JS_URL}' not in page.lower()
    chart = doc.by_id("exposure").find_all("svg")
    assert [t.text() for t in chart[0].find_all("title")] == [f"{IMG}: $24.00 per day"]


def test_report_of_a_scanned_hostile_project(tmp_path: Path) -> None:
    root = hostile_project(tmp_path)
    res = api.scan(root, api.ScanOptions(use_config=False, keep_models=True))
    page = html.render(res)
    doc = parse(page)
    assert "img" not in {n.tag for n in doc.iter()}
    assert len(doc.find_all("script")) == 2
    auth = [
        r for r in doc.by_id("findings-table").find_all("tr") if r.attrs.get("data-rule") == "FG-AUTH-001"
    ]
    assert (
        cells(auth[0])[3]
        == f"GET {HOSTILE_ROUTE} on the implicit API reaches HostileFunction with no authentication"
        " How to fix"
    )
    article = doc.find_all("article", **{"class": "fn"})[0]
    assert " ".join(article.find_all("h3")[0].text().split()) == f"{IMG} HostileFunction in ."
    injection = [
        r for r in doc.by_id("findings-table").find_all("tr") if r.attrs.get("data-rule") == "FG-INJ-001"
    ]
    assert cells(injection[0])[4] == f"src/{HOSTILE_DIR}/app.py:6"


HOSTILE_DIR = "<svg onload=alert(2)>"
HOSTILE_ROUTE = '/"><img src=x onerror=alert(4)>/<script>alert(5)</script>'


def hostile_project(tmp_path: Path) -> Path:
    """A SAM project whose names, descriptions, paths and values are markup and escapes."""
    root = tmp_path / "hostile"
    code = root / "src" / HOSTILE_DIR
    code.mkdir(parents=True)
    (root / "template.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "Transform: AWS::Serverless-2016-10-31\n"
        'Description: "<script>alert(1)</script>"\n'
        "Resources:\n"
        "  HostileFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        f"      FunctionName: '{IMG}'\n"
        "      Description: \"<script>alert('desc')</script> \\e]0;pwned\\a\"\n"
        f"      CodeUri: 'src/{HOSTILE_DIR}/'\n"
        "      Handler: app.handler\n"
        "      Runtime: python3.12\n"
        "      Environment:\n"
        "        Variables:\n"
        f"          DB_PASSWORD: '{JS_URL}'\n"
        f"          '{IMG}': '{JS_URL}'\n"
        "      Events:\n"
        "        Api:\n"
        "          Type: Api\n"
        "          Properties:\n"
        f"            Path: '{HOSTILE_ROUTE}'\n"
        "            Method: get\n",
        encoding="utf-8",
    )
    (code / "app.py").write_text(
        "import subprocess\n\n\n"
        "def handler(event, context):\n"
        '    cmd = event["queryStringParameters"]["cmd"]\n'
        "    return subprocess.check_output(cmd, shell=True)\n",
        encoding="utf-8",
    )
    return root


# --- attack paths and the exposure chart --------------------------------------------------------


def test_wrap_breaks_words_and_long_paths() -> None:
    assert wrap("event data reaches subprocess.check_output() in src/app.py", 20) == [
        "event data reaches",
        "subprocess.check_out",
        "put() in src/app.py",
    ]
    assert wrap("a b c d e f", 3, 2) == ["a b", "c\u2026"]
    assert wrap("") == [""]


def test_attack_path_is_a_chain_of_boxes_in_hop_order() -> None:
    doc = parse(html.render(result([finding(), PATH_FINDING])))
    (article,) = doc.by_id("paths").find_all("article")
    (svg,) = article.find_all("svg")
    boxes = svg.find_all("g", **{"class": "hop-box"})
    assert [b.attrs["data-step"] for b in boxes] == ["1", "2", "3", "4"]
    assert [b.find_all("title")[0].text() for b in boxes] == [
        "1. public route GET /orders/{id}, no authentication (template.yaml:44)",
        "2. event data reaches subprocess.check_output() (src/app.py:17)",
        "3. role OrdersFunctionRole allows dynamodb:PutItem (template.yaml:36)",
        "4. table OrdersTable (template.yaml:60)",
    ]
    # Left to right, one arrow between neighbours.
    xs = [int(b.find_all("rect")[0].attrs["x"]) for b in boxes]
    assert xs == sorted(xs) and len(set(xs)) == 4
    assert len(svg.find_all("line", **{"class": "arrow"})) == 3
    assert len(svg.find_all("polygon", **{"class": "arrowhead"})) == 3
    steps = [" ".join(li.text().split()) for li in article.find_all("ol")[0].find_all("li")]
    assert steps[0] == "public route GET /orders/{id}, no authentication template.yaml:44"
    assert article.find_all("a")[0].attrs["href"] == "#f-1"  # the finding's row


def test_attack_path_without_hops_is_one_box() -> None:
    svg = parse(path_diagram([Hop("lonely", "a.yaml:1")], "x")).find_all("svg")[0]
    assert len(svg.find_all("g", **{"class": "hop-box"})) == 1
    assert svg.find_all("line") == []


def test_bar_chart_scales_linearly() -> None:
    svg = parse(bar_chart([Bar("big", 400.0), Bar("half", 200.0), Bar("zero", 0.0), Bar("tiny", 0.001)], "c"))
    widths = [r.attrs["width"] for r in svg.find_all("rect")]
    assert widths == ["420.0", "210.0", "0.0", "2.0"]
    assert [t.text() for t in svg.find_all("text")][:2] == ["big", "$400.00"]
    assert bar_chart([], "c") == ""


def test_exposure_view_from_denial_of_wallet_findings() -> None:
    dow = [
        finding(rule="FG-DOW-001", category=Category.DENIAL_OF_WALLET, line=1, extra={"usd_per_day": 100.0}),
        finding(rule="FG-DOW-004", category=Category.DENIAL_OF_WALLET, line=2, extra={"usd_per_day": 150.5}),
        finding(
            rule="FG-DOW-001",
            category=Category.DENIAL_OF_WALLET,
            line=3,
            resource="ReportsFunction",
            extra={"usd_per_day": 20.0},
        ),
    ]
    res = result(dow, app_exposure={"services/orders": {"usd_per_hour": 7.0, "usd_per_day": 168.0}})
    view = parse(html.render(res)).by_id("exposure")
    rows = [cells(r) for r in view.find_all("tbody")[0].find_all("tr")]
    assert rows == [
        ["services/orders", "$168.00"],
        ["OrdersFunction (services/orders)", "$150.50"],
        ["ReportsFunction (services/orders)", "$20.00"],
    ]


# --- the page per function ----------------------------------------------------------------------


def _app() -> Application:
    ref = SourceRef("template.yaml", 10, 30)
    allow = Statement(
        "Allow",
        SourceRef("template.yaml", 20),
        actions=("s3:GetObject", "dynamodb:*"),
        resources=("arn:aws:s3:::uploads/*",),
    )
    role = Role("OrdersRole", SourceRef("template.yaml", 18), policies=(Policy("p", allow.source, (allow,)),))
    fn = Function(
        "OrdersFunction",
        ref,
        runtime="python3.12",
        handler="app.handler",
        handler_file="src/app.py",
        role="OrdersRole",
    )
    route = Route(
        "ServerlessRestApi",
        "GET",
        "/orders/{id}",
        SourceRef("template.yaml", 14),
        "OrdersFunction",
        Auth(AuthKind.NONE),
    )
    trigger = Trigger(TriggerKind.SQS, "OrdersFunction", SourceRef("template.yaml", 16), target="Queue")
    return Application(
        ".",
        "sam",
        SourceRef("template.yaml", 1),
        functions=(fn,),
        routes=(route,),
        triggers=(trigger,),
        roles=(role,),
    )


def test_function_page_used_vs_granted() -> None:
    app = _app()
    fn = app.functions[0]
    needs = FunctionNeeds(
        function="OrdersFunction",
        language="python",
        actions=(
            NeededAction(
                "s3:GetObject",
                (NeededResource(literal="arn:aws:s3:::uploads/*"),),
                (SourceRef("src/app.py", 9),),
            ),
            NeededAction(
                "sqs:SendMessage",
                (NeededResource(literal="*", note="queue URL computed at run time"),),
                (SourceRef("src/app.py", 12),),
            ),
        ),
        unresolved=(),
        complete=True,
    )
    dep = finding(
        rule="FG-DEP-002",
        application=".",
        extra={
            "package": "requests",
            "version": "2.19.1",
            "advisory": "GHSA-x84v-xcm2-53pg",
            "fixed": "2.20.0",
        },
    )
    page = parse(render_function(app, fn, [dep], [0], Analyses(needs={"OrdersFunction": needs})))
    tables = page.find_all("table")
    heads = [[th.text() for th in t.find_all("th")] for t in tables]
    used = tables[heads.index(["used action", "resources", "called at", "role"])]
    assert [cells(r) for r in used.find_all("tr")[1:]] == [
        ["s3:GetObject", "arn:aws:s3:::uploads/*", "src/app.py:9", "allowed"],
        ["sqs:SendMessage", "* (queue URL computed at run time)", "src/app.py:12", "not granted"],
    ]
    unused = tables[heads.index(["granted but never used", "where"])]
    assert [cells(r) for r in unused.find_all("tr")[1:]] == [["dynamodb:*", "template.yaml:20"]]
    triggers = tables[heads.index(["trigger", "target", "public", "where"])]
    assert [cells(r) for r in triggers.find_all("tr")[1:]] == [["sqs", "Queue", "no", "template.yaml:16"]]
    routes = tables[heads.index(["route", "API", "auth", "public", "where"])]
    assert [cells(r) for r in routes.find_all("tr")[1:]] == [
        ["GET /orders/{id}", "ServerlessRestApi", "none", "yes", "template.yaml:14"]
    ]
    advisories = tables[heads.index(["rule", "severity", "package", "advisory", "fixed in", "finding"])]
    assert [cells(r)[:5] for r in advisories.find_all("tr")[1:]] == [
        ["FG-DEP-002", "high", "requests@2.19.1", "GHSA-x84v-xcm2-53pg", "2.20.0"]
    ]
    assert "Shipped packages: not analysed." in page.text()


def test_function_page_incomplete_analysis_claims_no_unused_grant() -> None:
    app = _app()
    needs = FunctionNeeds(
        "OrdersFunction", "python", (), ((SourceRef("src/app.py", 5), "client from a variable"),), False
    )
    text = " ".join(
        parse(render_function(app, app.functions[0], [], [], Analyses(needs={"OrdersFunction": needs})))
        .text()
        .split()
    )
    assert "The code analysis is incomplete: unused grants are not claimed." in text
    assert "Unmapped SDK call at src/app.py:5: client from a variable" in text
    assert "granted but never used" not in text


def test_functions_view_without_the_model_says_not_analysed() -> None:
    view = parse(html.render(result([finding()]))).by_id("functions")
    assert "Not analysed: this report was made without the scanned model" in view.text()


# --- the command --------------------------------------------------------------------------------


def test_cli_writes_the_html_report_for_the_demo(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    args = ["scan", str(ROOT / "examples"), "--osv-db", str(ROOT / "examples" / "osv"), "--no-config"]
    runner = CliRunner()
    ran = runner.invoke(cli.main, [*args, "--format", "html", "--output", str(out), "--fail-on", "never"])
    assert ran.exit_code == 0, ran.output
    as_json = json.loads(runner.invoke(cli.main, [*args, "--format", "json", "--fail-on", "never"]).output)
    doc = parse(out.read_text(encoding="utf-8"))
    rows = doc.by_id("findings-table").find_all("tbody")[0].find_all("tr")
    assert [(r.attrs["data-rule"], cells(r)[4]) for r in rows] == [
        (f["rule"], f"{f['location']['path']}:{f['location']['line']}") for f in as_json["findings"]
    ]
    articles = {a.find_all("h3")[0].text().split()[0]: a for a in doc.find_all("article", **{"class": "fn"})}
    assert sorted(articles) == ["AdminFunction", "OrdersFunction", "ReportsFunction"]
    orders = articles["OrdersFunction"].words()
    assert "requests@2.19.1 GHSA-x84v-xcm2-53pg 2.20.0" in orders
    assert (
        "GET /{proxy+}" not in orders
        and "ANY /{proxy+} ServerlessRestApi none yes template.yaml:49" in orders
    )


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_other_formats_keep_no_model(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[api.ScanOptions] = []
    real = api.scan

    def spy(path: str, options: api.ScanOptions | None = None) -> ScanResult:
        assert options is not None
        seen.append(options)
        return real(path, options)

    monkeypatch.setattr(api, "scan", spy)
    ran = CliRunner().invoke(
        cli.main, ["scan", str(ROOT / "examples" / "template.yaml"), "--format", fmt, "--no-config"]
    )
    assert ran.exit_code in (0, 1), ran.output
    assert seen[0].keep_models is False
