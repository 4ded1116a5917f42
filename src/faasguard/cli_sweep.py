"""`faasguard sweep DIR`: every application under DIR scanned on its own, in a worker process under
a time and memory bound, with a table of outcomes (see faasguard.sweep).

Only click is imported here at module level (the CLI registers this command on start, and
`faasguard --version` must stay instant); the sweep itself is imported when the command runs.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from faasguard.sweep import Outcome


@click.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, dir_okay=True))
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=300.0,
    show_default=True,
    help="Seconds per application.",
)
@click.option(
    "--memory-mb",
    type=click.IntRange(min=0),
    default=2048,
    show_default=True,
    help="Address-space bound of each worker (0: none).",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, help="Workers at a time."
)
@click.option(
    "--osv-db",
    type=click.Path(exists=True),
    help="Vulnerability data, as for `faasguard scan` (default: the database in the cache).",
)
@click.option("--no-config", is_flag=True, help="Ignore pyproject.toml / .faasguard.toml settings.")
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, writable=True),
    help="Also write every outcome here.",
)
@click.option("--problems-only", is_flag=True, help="List only the applications that did not scan cleanly.")
@click.option("--no-progress", is_flag=True, help="Never show progress on stderr.")
def sweep(
    directory: str,
    timeout: float,
    memory_mb: int,
    jobs: int,
    osv_db: str | None,
    no_config: bool,
    json_path: str | None,
    problems_only: bool,
    no_progress: bool,
) -> None:
    """Scan every application under DIRECTORY one by one, each in a bounded worker process, and
    print a table of outcomes: loaded, errors by kind, crashes, time, peak memory.

    Exit code 0 when no application crashed, timed out, ran out of memory or met an internal
    error; 1 otherwise.
    """
    from pathlib import Path

    from faasguard import sweep as sweeper
    from faasguard.analysis.deps.store import default_db_path

    show = not no_progress and sys.stderr.isatty()

    def progress(done: int, total: int, outcome: Outcome) -> None:
        if show:
            from faasguard.report.text import clean

            click.echo(
                f"\r[{done}/{total}] {outcome.status:7} {clean(outcome.app)[-60:]:60}", err=True, nl=False
            )

    db = osv_db or str(default_db_path())
    result = sweeper.sweep(
        Path(directory),
        timeout=timeout,
        memory_mb=memory_mb,
        jobs=jobs,
        osv_db=db,
        use_config=not no_config,
        progress=progress,
    )
    if show:
        click.echo("", err=True)
    if json_path is not None:
        with open(json_path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(sweeper.to_json(result))
    click.echo(sweeper.table(result, all_rows=not problems_only), nl=False)
    click.get_current_context().exit(1 if result.failed else 0)
