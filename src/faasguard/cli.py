"""Command line: a thin layer over `faasguard.api.scan`.

Only click and the standard library are imported at module level so that `faasguard --version`
and `--help` stay instant; the scanner, rules and rich are imported by the command that needs them.
Exit codes (a contract): 0 nothing at or above --fail-on, 1 findings at or above it (or errors with
--fail-on-error), 2 usage or tool error.
"""

from __future__ import annotations

import inspect
import os
import sys
import time
import traceback
from typing import TYPE_CHECKING, Any

import click

from faasguard import __version__

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from faasguard.findings import ScanResult
    from faasguard.rules.base import Rule

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FAIL_ON = ("critical", "high", "medium", "low", "never")
# The progress bar only appears when it is worth the noise.
PROGRESS_MIN_TOTAL, PROGRESS_MIN_SECONDS = 20, 0.5
_report_written = False  # set by `scan` once its report is written and closed


def run() -> None:
    """The `faasguard` command (and `python -m faasguard`): main(), and after a scan whose report
    is written, an exit that skips the interpreter's teardown. Freeing a large scan's objects one
    by one, and the last garbage collection, cost a tenth of a big scan; exit handlers still run
    and the standard streams are flushed (mypy ends the same way)."""
    import atexit
    import contextlib
    import gc

    # A short-lived process that imports a few hundred modules: fewer collections while it
    # does (the scan itself sets its own thresholds, see engine._fewer_collections).
    gc.set_threshold(100_000, 20, 100)
    try:
        main()
    except SystemExit as exc:
        if not _report_written or not (exc.code is None or isinstance(exc.code, int)):
            raise
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe: nowhere left to write
                stream.flush()
        os._exit(exc.code or 0)


class _Group(click.Group):
    """Turns any unexpected exception into a one-line message and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise  # click reports these itself, with its own exit codes
        except KeyboardInterrupt:
            click.echo("faasguard: interrupted", err=True)
            ctx.exit(EXIT_ERROR)
        except Exception as exc:
            if os.environ.get("FAASGUARD_DEBUG") == "1":
                traceback.print_exc()
            else:
                hint = "set FAASGUARD_DEBUG=1 for a traceback"
                click.echo(f"faasguard: error: {_one_line(exc)} ({hint})", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="faasguard", message="%(prog)s %(version)s")
def main() -> None:
    """faasguard: a security scanner for serverless applications."""


@main.command()
@click.argument("path", type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "html"]),
    default="text",
    show_default=True,
    help="html: one self-contained page (best with --output).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report here.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON, case_sensitive=False),
    default="high",
    show_default=True,
    help="Exit 1 when a finding has this severity or worse.",
)
@click.option("--fail-on-error", is_flag=True, help="Exit 1 when a file could not be read or parsed.")
@click.option(
    "--parameter",
    "parameters",
    multiple=True,
    metavar="KEY=VALUE",
    callback=lambda _ctx, _param, values: _parse_parameters(values),
    help="Template parameter value (wins over defaults and samconfig).",
)
@click.option(
    "--config-env", default="default", show_default=True, metavar="NAME", help="samconfig.toml environment."
)
@click.option("--stage", metavar="NAME", help="Serverless Framework / Chalice stage to evaluate.")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    callback=lambda _ctx, _param, values: _parse_parameters(values),
    help="Serverless Framework ${param:KEY} value.",
)
@click.option("--var-file", "var_files", multiple=True, metavar="FILE", help="Terraform variable file.")
@click.option(
    "--var",
    "variables",
    multiple=True,
    metavar="KEY=VALUE",
    callback=lambda _ctx, _param, values: _parse_parameters(values),
    help="Terraform variable value.",
)
@click.option("--select", multiple=True, metavar="ID", help="Run only these rules.")
@click.option("--skip", multiple=True, metavar="ID", help="Never run these rules.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Leave these paths out (relative to PATH).")
@click.option(
    "--baseline",
    type=click.Path(exists=True, dir_okay=False),
    help="Hide findings already in this baseline; --fail-on then applies to new findings only.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, writable=True),
    help="Write every current finding's fingerprint to this file.",
)
@click.option("--changed-since", metavar="REF", help="Scan only applications touched since this git ref.")
@click.option("--no-config", is_flag=True, help="Ignore pyproject.toml / .faasguard.toml settings.")
@click.option("--budget", type=float, metavar="USD_PER_DAY", help="Daily flood spend that makes DoW high.")
@click.option("--no-progress", is_flag=True, help="Never show a progress bar.")
@click.option(
    "--osv-db",
    type=click.Path(exists=True),
    help="Vulnerability data: a faasguard database, an OSV zip export or a folder of OSV JSON files "
    "(default: the database `faasguard db update` keeps in the cache).",
)
@click.option("--online", is_flag=True, help="Ask the OSV API about packages from the public registries.")
def scan(
    path: str,
    fmt: str,
    output: str | None,
    fail_on: str,
    fail_on_error: bool,
    parameters: dict[str, str],
    config_env: str,
    stage: str | None,
    params: dict[str, str],
    var_files: tuple[str, ...],
    variables: dict[str, str],
    select: tuple[str, ...],
    skip: tuple[str, ...],
    exclude: tuple[str, ...],
    baseline: str | None,
    write_baseline: str | None,
    changed_since: str | None,
    no_config: bool,
    budget: float | None,
    no_progress: bool,
    osv_db: str | None,
    online: bool,
) -> None:
    """Scan the serverless application(s) under PATH."""
    from faasguard import api

    if output is not None and not os.path.isdir(os.path.dirname(os.path.abspath(output))):
        # Fail before a long scan, not after it.
        raise click.BadParameter("its directory does not exist", param_hint="--output")
    from pathlib import Path

    from faasguard.analysis.deps.store import default_db_path
    from faasguard.settings import Settings

    bar = _ProgressBar() if not no_progress and sys.stderr.isatty() else None
    options = api.ScanOptions(
        parameters=parameters,
        config_env=config_env,
        stage=stage,
        params=params,
        var_files=tuple(var_files),
        variables=variables,
        select=_rule_ids(select, "--select"),
        skip=_rule_ids(skip, "--skip"),
        exclude=tuple(exclude),
        progress=bar,
        use_config=not no_config,
        baseline=Path(baseline) if baseline else None,
        changed_since=changed_since,
        settings=Settings(budget_usd_per_day=budget),
        osv_db=Path(osv_db) if osv_db else None if online else default_db_path(),
        online=online,
        keep_models=fmt == "html",  # the HTML report's per-function pages read the model
        workers=0,  # big scans load on several cores
    )
    if osv_db and online:
        raise click.BadParameter("use either --osv-db or --online", param_hint="--online")
    try:
        result = api.scan(path, options)
    finally:
        if bar is not None:
            bar.close()
    if write_baseline is not None:
        from faasguard.engine import baseline_json

        with open(write_baseline, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(baseline_json(result))
    _write_report(result, fmt, output)
    global _report_written
    _report_written = True  # run() may end the process at once: nothing is left to write
    click.get_current_context().exit(exit_code(result, fail_on.lower(), fail_on_error))


@main.command()
def rules() -> None:
    """List every rule: id, category, severity and title."""
    from faasguard.rules.base import all_rules

    rows = [("ID", "CATEGORY", "SEVERITY", "TITLE")]
    metas = [cls.meta for cls in all_rules().values()]
    rows += [(m.id, m.category.value, m.severity.value, m.title) for m in metas]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True)) + "  " + row[3])


@main.command()
@click.argument("rule_id", metavar="ID")
def explain(rule_id: str) -> None:
    """Show what rule ID checks, why it matters and how to fix it in each input format."""
    from faasguard.rules.base import all_rules

    found = _find_rule(all_rules(), rule_id)
    if found is None:
        raise click.BadParameter(f"unknown rule {rule_id!r}; `faasguard rules` lists them", param_hint="ID")
    text = explain_text(found)
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        click.echo(text)


@main.command(hidden=True)
@click.option("--check", is_flag=True, help="Exit 1 if the file is not what the rules would generate.")
@click.option("--path", "path", default="docs/rules.md", show_default=True, type=click.Path(dir_okay=False))
def docs(check: bool, path: str) -> None:
    """Maintainers: write docs/rules.md from the rule registry (--check: only compare)."""
    from pathlib import Path

    from faasguard.docs import render_rules_markdown

    target, text = Path(path), render_rules_markdown()
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if check:
        if current != text:
            click.echo(f"{path} is stale: run `faasguard docs` to regenerate it", err=True)
            click.get_current_context().exit(EXIT_FINDINGS)
        return
    if current != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    click.echo(f"{path}: {'written' if current != text else 'up to date'}")


def exit_code(result: ScanResult, fail_on: str, fail_on_error: bool) -> int:
    if fail_on_error and result.errors:
        return EXIT_FINDINGS
    worst = result.worst()
    if fail_on == "never" or worst is None:
        return EXIT_OK
    from faasguard.findings import Severity

    return EXIT_FINDINGS if worst.rank >= Severity(fail_on).rank else EXIT_OK


def explain_text(rule: type[Rule]) -> str:
    """Markdown: title, metadata line, the rule's own docs, then the fix per input format."""
    meta = rule.meta
    facts = [f"category: {meta.category.value}", f"severity: {meta.severity.value}"]
    facts += [f"CWE-{cwe}" for cwe in meta.cwe]
    parts = [f"# {meta.id}: {meta.title}", " · ".join(facts), inspect.cleandoc(rule.__doc__ or "")]
    if meta.remediation:
        parts.append("## Remediation")
        parts += [f"### {fmt}\n\n{inspect.cleandoc(fix)}" for fmt, fix in meta.remediation.items()]
    if meta.references and "## References" not in (rule.__doc__ or ""):
        parts.append("## References\n\n" + "\n".join(f"- {ref}" for ref in meta.references))
    return "\n\n".join(p for p in parts if p)


def _find_rule(registry: dict[str, type[Rule]], rule_id: str) -> type[Rule] | None:
    wanted = rule_id.strip().upper()
    return next((cls for rid, cls in registry.items() if rid.upper() == wanted), None)


def _parse_parameters(values: tuple[str, ...]) -> dict[str, str]:
    parsed: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint="--parameter")
        parsed[key.strip()] = value
    return parsed


def _rule_ids(values: tuple[str, ...], option: str) -> frozenset[str]:
    """Upper-cased ids; an unknown id is a usage error (a typo would otherwise select nothing)."""
    if not values:
        return frozenset()
    from faasguard.rules.base import all_rules

    known = {rid.upper() for rid in all_rules()}
    ids = frozenset(v.strip().upper() for v in values)
    unknown = sorted(ids - known)
    if unknown:
        raise click.BadParameter(
            f"unknown rule id(s): {', '.join(unknown)}; `faasguard rules` lists them", param_hint=option
        )
    return ids


def _write_report(result: ScanResult, fmt: str, output: str | None) -> None:
    if fmt == "json":
        from faasguard.report import json_report

        text = json_report.render(result)
    elif fmt == "sarif":
        from faasguard.report import sarif

        text = sarif.render(result, None)  # URIs relative to the git repository holding PATH
    elif fmt == "html":
        from faasguard.report import html

        text = html.render(result)
    elif output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        from faasguard.report.text import print_report

        print_report(result, sys.stdout, color=True)
        return
    else:
        from faasguard.report.text import render

        text = render(result, color=False, width=None)
    if output is None:
        click.echo(text, nl=False)
    else:
        with open(output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)


def _one_line(exc: BaseException) -> str:
    from faasguard.report.text import clean

    detail = clean(str(exc))
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


class _ProgressBar:
    """A progress callback for ScanOptions that shows a rich bar on stderr for big or slow scans."""

    def __init__(self) -> None:
        self._start = time.monotonic()
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, done: int, total: int, current: str) -> None:
        if self._progress is None:
            if total <= PROGRESS_MIN_TOTAL and time.monotonic() - self._start < PROGRESS_MIN_SECONDS:
                return
            self._open()
        assert self._progress is not None and self._task is not None
        self._progress.update(self._task, completed=done, total=total, description=_tail(current))

    def _open(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}", markup=False),  # paths come from the scanned tree
            console=Console(stderr=True),
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task("", total=None)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def _tail(path: str, keep: int = 50) -> str:
    from faasguard.report.text import clean

    path = clean(path)
    return path if len(path) <= keep else "..." + path[-keep:]


from faasguard.cli_db import db  # noqa: E402 (click only: keeps --version instant)

main.add_command(db)

from faasguard.cli_audit import audit  # noqa: E402 (click only: keeps --version instant)

main.add_command(audit)

from faasguard.cli_sweep import sweep  # noqa: E402 (click only: keeps --version instant)

main.add_command(sweep)

from faasguard.cli_watch import watch  # noqa: E402 (click only: keeps --version instant)

main.add_command(watch)

from faasguard.cli_policy import policy  # noqa: E402 (click only: keeps --version instant)

main.add_command(policy)

from faasguard.cli_graph import graph  # noqa: E402 (click only: keeps --version instant)

main.add_command(graph)
