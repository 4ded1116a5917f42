"""The CLI: options reach ScanOptions, reports are written, and exit codes follow the contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import faasguard.api
from faasguard import __version__, cli
from faasguard.api import ScanOptions
from faasguard.findings import Category, Coverage, Finding, Location, ScanError, ScanResult, Severity


def finding(severity: Severity) -> Finding:
    return Finding(
        rule="FG-AUTH-001",
        category=Category.BROKEN_AUTHENTICATION,
        severity=severity,
        title="Public route without authentication",
        message="POST /orders reaches OrdersFunction with no authentication",
        location=Location("template.yaml", 42, 44),
        application=".",
        resource="OrdersFunction",
    )


def result(*severities: Severity, errors: int = 0) -> ScanResult:
    return ScanResult(
        root=".",
        findings=[finding(s) for s in severities],
        errors=[ScanError(f"bad{i}.yaml", 1, "could not parse") for i in range(errors)],
        coverage=Coverage(applications=1, functions=1, handlers_mapped=1, files=1),
        duration_s=0.01,
    )


class FakeScan:
    """Stands in for faasguard.api.scan: returns a fixed result, remembers what it was asked."""

    def __init__(self, res: ScanResult) -> None:
        self.result = res
        self.calls: list[tuple[str, ScanOptions]] = []

    def __call__(self, path: str | Path, options: ScanOptions | None = None) -> ScanResult:
        self.calls.append((str(path), options or ScanOptions()))
        return self.result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "template.yaml").write_text("Resources: {}\n")
    return tmp_path


def patch_scan(monkeypatch: pytest.MonkeyPatch, res: ScanResult) -> FakeScan:
    fake = FakeScan(res)
    monkeypatch.setattr(faasguard.api, "scan", fake)
    return fake


@pytest.fixture
def demo_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """One fake rule as the whole registry (imported here: the scan tests need no rule machinery)."""
    from faasguard.rules.base import Rule, RuleMeta

    class DemoRule(Rule):
        """## What it does
        Flags a demo thing.
        ## Why is this bad?
        Demos leak.
        """

    # Set after the class body so the demo rule never enters the global rule registry.
    DemoRule.meta = RuleMeta(
        id="FG-DEMO-001",
        category=Category.SHADOW_API,
        severity=Severity.MEDIUM,
        title="A demo rule",
        cwe=(1059,),
        remediation={"sam": "Remove the demo.", "terraform": "Delete the demo block."},
        references=("https://example.com/demo",),
    )
    monkeypatch.setattr("faasguard.rules.base.all_rules", lambda: {"FG-DEMO-001": DemoRule})


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli.main, list(args), env=env)


def test_version() -> None:
    out = run("--version")
    assert out.exit_code == 0
    assert out.stdout.strip() == f"faasguard {__version__}"


def test_version_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from faasguard.cli import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('rich', 'yaml', 'faasguard.api', 'faasguard.rules', 'faasguard.model')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


@pytest.mark.parametrize(
    ("severities", "args", "expected"),
    [
        ((), (), 0),
        ((Severity.HIGH,), (), 1),
        ((Severity.CRITICAL,), (), 1),
        ((Severity.MEDIUM, Severity.LOW), (), 0),
        ((Severity.MEDIUM,), ("--fail-on", "medium"), 1),
        ((Severity.LOW,), ("--fail-on", "medium"), 0),
        ((Severity.INFO,), ("--fail-on", "low"), 0),
        ((Severity.HIGH,), ("--fail-on", "critical"), 0),
        ((Severity.CRITICAL,), ("--fail-on", "never"), 0),
        ((Severity.HIGH,), ("--fail-on", "HIGH"), 1),
    ],
)
def test_exit_code_follows_fail_on(
    monkeypatch: pytest.MonkeyPatch,
    project: Path,
    severities: tuple[Severity, ...],
    args: tuple[str, ...],
    expected: int,
) -> None:
    patch_scan(monkeypatch, result(*severities))
    assert run("scan", str(project), *args).exit_code == expected


def test_errors_fail_only_with_fail_on_error(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    patch_scan(monkeypatch, result(errors=1))
    assert run("scan", str(project)).exit_code == 0
    assert run("scan", str(project), "--fail-on-error").exit_code == 1
    assert run("scan", str(project), "--fail-on-error", "--fail-on", "never").exit_code == 1


def test_text_report_on_stdout_is_plain(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    patch_scan(monkeypatch, result(Severity.HIGH))
    out = run("scan", str(project))
    assert "FG-AUTH-001" in out.stdout and "template.yaml:42" in out.stdout
    assert "\x1b" not in out.stdout
    assert "1 finding (1 high)" in out.stdout


def test_json_report_on_stdout(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    patch_scan(monkeypatch, result(Severity.HIGH, errors=1))
    out = run("scan", str(project), "--format", "json")
    doc = json.loads(out.stdout)
    assert [f["rule"] for f in doc["findings"]] == ["FG-AUTH-001"]
    assert doc["errors"] == [{"path": "bad0.yaml", "line": 1, "message": "could not parse"}]


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_output_writes_file(monkeypatch: pytest.MonkeyPatch, project: Path, tmp_path: Path, fmt: str) -> None:
    patch_scan(monkeypatch, result(Severity.MEDIUM))
    target = tmp_path / "out" / f"report.{fmt}"
    target.parent.mkdir()
    out = run("scan", str(project), "--format", fmt, "--output", str(target))
    assert out.exit_code == 0
    assert out.stdout == ""
    written = target.read_text(encoding="utf-8")
    if fmt == "json":
        assert json.loads(written)["findings"][0]["severity"] == "medium"
    else:
        assert "FG-AUTH-001" in written and "\x1b" not in written


def test_output_into_missing_directory_fails_before_scanning(
    monkeypatch: pytest.MonkeyPatch, project: Path, tmp_path: Path
) -> None:
    fake = patch_scan(monkeypatch, result())
    out = run("scan", str(project), "--output", str(tmp_path / "nope" / "report.json"))
    assert out.exit_code == 2
    assert "--output" in out.stderr and fake.calls == []


def test_output_that_is_a_directory_is_rejected(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    patch_scan(monkeypatch, result())
    out = run("scan", str(project), "--output", str(project))  # a directory, not a file
    assert out.exit_code == 2
    assert "Traceback" not in out.stderr


def test_options_reach_scan(monkeypatch: pytest.MonkeyPatch, project: Path, demo_rules: None) -> None:
    fake = patch_scan(monkeypatch, result())
    args = ["--parameter", "Stage=prod", "--parameter", "Url=https://x/?a=b", "--config-env", "staging"]
    args += ["--select", "fg-demo-001", "--exclude", "build/**", "--exclude", "*.bak"]
    assert run("scan", str(project), *args).exit_code == 0
    path, options = fake.calls[0]
    assert path == str(project)
    assert dict(options.parameters) == {"Stage": "prod", "Url": "https://x/?a=b"}
    assert options.config_env == "staging"
    assert options.select == frozenset({"FG-DEMO-001"}) and options.skip == frozenset()
    assert options.exclude == ("build/**", "*.bak")
    assert options.progress is None  # stderr is not a terminal under the runner


def test_skip_reaches_scan(monkeypatch: pytest.MonkeyPatch, project: Path, demo_rules: None) -> None:
    fake = patch_scan(monkeypatch, result())
    assert run("scan", str(project), "--skip", "FG-DEMO-001", "--no-progress").exit_code == 0
    assert fake.calls[0][1].skip == frozenset({"FG-DEMO-001"})


@pytest.mark.parametrize(
    "args",
    [
        ("scan", "/definitely/not/here"),
        ("scan", "{project}", "--format", "xml"),
        ("scan", "{project}", "--fail-on", "sometimes"),
        ("scan", "{project}", "--parameter", "novalue"),
        ("scan", "{project}", "--parameter", "=value"),
        ("scan", "{project}", "--select", "FG-NOPE-999"),
        ("scan",),
        ("frobnicate",),
    ],
)
def test_usage_errors_exit_2(
    monkeypatch: pytest.MonkeyPatch, project: Path, demo_rules: None, args: tuple[str, ...]
) -> None:
    fake = patch_scan(monkeypatch, result(Severity.CRITICAL))
    out = run(*(a.format(project=project) for a in args))
    assert out.exit_code == 2
    assert fake.calls == []


def test_crash_is_exit_2_without_traceback(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    def boom(path: str | Path, options: ScanOptions | None = None) -> ScanResult:
        raise RuntimeError("loader fell over\x1b[2J")

    monkeypatch.setattr(faasguard.api, "scan", boom)
    monkeypatch.delenv("FAASGUARD_DEBUG", raising=False)
    out = run("scan", str(project))
    assert out.exit_code == 2
    assert "RuntimeError: loader fell over" in out.stderr
    assert "Traceback" not in out.stderr and "\x1b" not in out.stderr

    debug = run("scan", str(project), env={"FAASGUARD_DEBUG": "1"})
    assert debug.exit_code == 2
    assert "Traceback" in debug.stderr


def test_rules_lists_id_category_severity_title(demo_rules: None) -> None:
    out = run("rules")
    assert out.exit_code == 0
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["ID", "CATEGORY", "SEVERITY", "TITLE"]
    assert lines[1].split() == ["FG-DEMO-001", "shadow-api", "medium", "A", "demo", "rule"]


def test_explain_prints_docs_and_remediation(demo_rules: None) -> None:
    out = run("explain", "fg-demo-001")
    assert out.exit_code == 0
    text = out.stdout
    assert text.startswith("# FG-DEMO-001: A demo rule")
    assert "category: shadow-api" in text and "CWE-1059" in text
    assert "## What it does\nFlags a demo thing." in text
    assert "### sam\n\nRemove the demo." in text and "### terraform\n\nDelete the demo block." in text
    assert "- https://example.com/demo" in text


def test_explain_unknown_rule_exits_2(demo_rules: None) -> None:
    out = run("explain", "FG-NOPE-001")
    assert out.exit_code == 2
    assert "unknown rule" in out.stderr


def test_progress_bar_only_for_big_or_slow_scans() -> None:
    small = cli._ProgressBar()
    for done in range(1, 6):
        small(done, 5, f"app{done}/template.yaml")
    assert small._progress is None
    big = cli._ProgressBar()
    try:
        big(1, 50, "app1/template.yaml")
        assert big._progress is not None
    finally:
        big.close()
