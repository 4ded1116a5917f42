"""`faasguard watch`: security detections over logs (local files or CloudWatch Logs).

Registered on the main group by `cli.py`; only click is imported at module level.
"""

from __future__ import annotations

import os
import re
import sys
import time
from datetime import timedelta

import click

FORMATS = ("text", "json", "sarif")


def parse_since(text: str) -> timedelta:
    m = re.fullmatch(r"(\d+)\s*([smhdw])", text.strip().lower())
    if m is None:
        raise click.BadParameter("use a number and a unit: 30m, 24h, 7d", param_hint="--since")
    unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[m[2]]
    return timedelta(**{unit: int(m[1])})


@click.command()
@click.option(
    "--logs",
    "logs",
    multiple=True,
    type=click.Path(exists=True),
    help="Log file or folder (repeatable): JSON lines, CloudWatch export, CloudTrail, common log "
    "format, gzip.",
)
@click.option(
    "--log-group",
    "log_groups",
    multiple=True,
    metavar="NAME",
    help="CloudWatch Logs group to read (repeatable).",
)
@click.option(
    "--since", default=None, metavar="AGE", help="Window: 30m, 24h, 7d (CloudWatch default 24h; files: all)."
)
@click.option(
    "--against",
    type=click.Path(exists=True),
    help="IaC whose routes, auth, roles and prices the detections compare with.",
)
@click.option("--follow", is_flag=True, help="Poll and print new findings as they come.")
@click.option(
    "--interval",
    type=click.IntRange(1, 3600),
    default=30,
    show_default=True,
    help="Seconds between polls with --follow.",
)
@click.option("--polls", type=click.IntRange(1), default=None, hidden=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report here.")
@click.option(
    "--store",
    type=click.Path(dir_okay=False),
    help="Keep the DuckDB store in this file (default: in memory).",
)
@click.option("--flood-per-minute", type=click.IntRange(1), default=300, show_default=True)
@click.option("--profile", metavar="NAME", help="AWS profile for CloudWatch Logs.")
@click.option("--region", metavar="REGION", help="AWS region for CloudWatch Logs.")
@click.option(
    "--budget", type=float, metavar="USD_PER_DAY", help="Daily flood spend that makes a flood high."
)
@click.option("--select", multiple=True, metavar="ID")
@click.option("--skip", multiple=True, metavar="ID")
@click.option(
    "--fail-on",
    type=click.Choice(("critical", "high", "medium", "low", "never"), case_sensitive=False),
    default="high",
    show_default=True,
)
@click.option("--list-rules", is_flag=True, help="List the watch detections, and exit.")
@click.option("--explain", "explain_id", metavar="ID", help="Explain one detection, and exit.")
def watch(
    logs: tuple[str, ...],
    log_groups: tuple[str, ...],
    since: str | None,
    against: str | None,
    follow: bool,
    interval: int,
    polls: int | None,
    fmt: str,
    output: str | None,
    store: str | None,
    flood_per_minute: int,
    profile: str | None,
    region: str | None,
    budget: float | None,
    select: tuple[str, ...],
    skip: tuple[str, ...],
    fail_on: str,
    list_rules: bool,
    explain_id: str | None,
) -> None:
    """Security detections over the logs an application writes: floods, injection attempts,
    undocumented routes, unauthenticated successes, shield events, unexpected IAM calls."""
    from faasguard.watch.detections import watch_rules

    if list_rules:
        for rid, cls in watch_rules().items():
            click.echo(
                f"{rid}  {cls.meta.category.value:<21}  {cls.meta.severity.value:<6}  {cls.meta.title}"
            )
        return
    if explain_id is not None:
        from faasguard.cli import explain_text

        found = watch_rules().get(explain_id.strip().upper())
        if found is None:
            raise click.BadParameter(f"unknown watch rule {explain_id!r}", param_hint="--explain")
        click.echo(explain_text(found))
        return
    from pathlib import Path

    from faasguard.cli import exit_code
    from faasguard.settings import Settings
    from faasguard.watch.runner import WatchOptions, run_watch

    options = WatchOptions(
        logs=tuple(Path(p) for p in logs),
        log_groups=tuple(log_groups),
        since=parse_since(since) if since else None,
        against=Path(against) if against else None,
        store=Path(store) if store else None,
        settings=Settings(budget_usd_per_day=budget),
        select=frozenset(s.strip().upper() for s in select),
        skip=frozenset(s.strip().upper() for s in skip),
        flood_per_minute=flood_per_minute,
        profile=profile,
        region=region,
    )
    session = None
    if not logs or log_groups:
        import boto3  # type: ignore[import-untyped]

        session = boto3.Session(profile_name=profile)
    if not follow:
        result = run_watch(options, session)
        _write(result, fmt, output)
        click.get_current_context().exit(exit_code(result, fail_on.lower(), False))
    seen: set[str] = set()
    done = 0
    while polls is None or done < polls:
        result = run_watch(options, session)
        new = [f for f in result.findings if f.fingerprint not in seen]
        seen.update(f.fingerprint for f in result.findings)
        if new:
            result.findings = new
            _write(result, fmt, output)
        done += 1
        click.echo(
            f"\rwatching: poll {done}, {len(seen)} finding(s), {len(new)} new, "
            f"at {time.strftime('%H:%M:%S')}",
            err=True,
            nl=False,
        )
        if polls is None or done < polls:
            time.sleep(interval)
    click.echo("", err=True)


def _write(result: object, fmt: str, output: str | None) -> None:
    from faasguard.findings import ScanResult

    assert isinstance(result, ScanResult)
    if fmt == "json":
        from faasguard.report.json_report import render

        text = render(result)
    elif fmt == "sarif":
        from faasguard.report.sarif import render as render_sarif

        text = render_sarif(result)
    else:
        from faasguard.report.text import render as render_text

        text = render_text(
            result,
            color=output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR"),
            width=None,
        )
    if output is None:
        click.echo(text, nl=False)
    else:
        with open(output, "a" if os.path.exists(output) and fmt == "text" else "w", encoding="utf-8") as fh:
            fh.write(text)
