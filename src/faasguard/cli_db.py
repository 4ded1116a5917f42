"""`faasguard db`: the local OSV vulnerability database (update, import, status).

Only click is imported here at module level (the CLI registers this group on start, and
`faasguard --version` must stay instant); the database code is imported by each command.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from pathlib import Path

    from faasguard.analysis.deps.store import ImportStats

_PATH_HELP = "Database file (default: $XDG_CACHE_HOME/faasguard/osv.sqlite or ~/.cache/faasguard/osv.sqlite)."


def _target(path: str | None) -> Path:
    from pathlib import Path

    from faasguard.analysis.deps.store import default_db_path

    return Path(path).expanduser() if path else default_db_path()


class _Bars:
    """rich progress bars on stderr (only on a terminal, unless --no-progress)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> _Bars:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description}", markup=False),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def _update(self, kind: str, done: int, total: int | None, label: str) -> None:
        if self._progress is None:
            return
        key = f"{kind}:{label}"
        if key not in self._tasks:
            name = label.rstrip("/").rsplit("/", 2)[-2:] if "/" in label else [label]
            self._tasks[key] = self._progress.add_task(f"{kind} {'/'.join(name)}", total=total)
        self._progress.update(self._tasks[key], completed=done, total=total)

    def download(self, done: int, total: int | None, label: str) -> None:
        mib = 1024 * 1024  # shown in MiB
        self._update("download (MiB)", done // mib, None if total is None else max(total // mib, 1), label)

    def records(self, done: int, total: int | None, label: str) -> None:
        self._update("import", done, total, label)


def _report(stats: ImportStats, target: Path) -> None:
    per = ", ".join(f"{eco} {n}" for eco, n in stats.by_ecosystem.items()) or "none"
    click.echo(
        f"{target}: {stats.records} advisories ({per}; {stats.malicious} malicious packages), "
        f"{stats.withdrawn} withdrawn skipped, {stats.skipped} files skipped"
    )
    for error in stats.errors[:10]:
        click.echo(f"  skipped {error}", err=True)
    if stats.records == 0:
        raise click.ClickException("no PyPI or npm OSV records found: the database is empty")


@click.group()
def db() -> None:
    """The local OSV vulnerability database that scans match dependencies against."""


@db.command()
@click.option("--path", "path", type=click.Path(dir_okay=False), help=_PATH_HELP)
@click.option(
    "--ecosystem",
    "ecosystems",
    multiple=True,
    type=click.Choice(["PyPI", "npm"]),
    help="Only this ecosystem (default: PyPI and npm).",
)
@click.option("--mirror", metavar="URL", help="Base URL serving <ecosystem>/all.zip (default: OSV's bucket).")
@click.option("--no-progress", is_flag=True, help="Never show progress bars.")
def update(path: str | None, ecosystems: tuple[str, ...], mirror: str | None, no_progress: bool) -> None:
    """Download the OSV PyPI and npm exports and rebuild the database."""
    from faasguard.analysis.deps.download import export_base
    from faasguard.analysis.deps.download import update as run_update
    from faasguard.analysis.deps.store import DatabaseError

    target = _target(path)
    base = mirror or export_base()
    click.echo(f"downloading OSV exports from {base}", err=True)
    try:
        with _Bars(not no_progress) as bars:
            stats = run_update(
                target,
                ecosystems or ("PyPI", "npm"),
                base,
                download_progress=bars.download,
                import_progress=bars.records,
            )
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from exc
    _report(stats, target)


@db.command("import")
@click.argument("source", type=click.Path(exists=True))
@click.option("--path", "path", type=click.Path(dir_okay=False), help=_PATH_HELP)
@click.option("--no-progress", is_flag=True, help="Never show progress bars.")
def import_(source: str, path: str | None, no_progress: bool) -> None:
    """Build the database from SOURCE: an OSV zip export or a folder of OSV JSON files (offline)."""
    from pathlib import Path

    from faasguard.analysis.deps.store import DatabaseError, import_path

    target = _target(path)
    try:
        with _Bars(not no_progress) as bars:
            stats = import_path(target, Path(source), bars.records)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from exc
    _report(stats, target)


@db.command()
@click.option("--path", "path", type=click.Path(dir_okay=False), help=_PATH_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(path: str | None, as_json: bool) -> None:
    """Show the database's age and record counts (exit 1 when there is none or it is stale)."""
    from faasguard.analysis.deps.store import STALE_DAYS, DatabaseError, Store

    target = _target(path)
    if not target.exists():
        if as_json:
            click.echo(json.dumps({"path": str(target), "exists": False}))
        else:
            click.echo(
                f"no database at {target}: run `faasguard db update`, or `faasguard db import PATH` offline"
            )
        click.get_current_context().exit(1)
    try:
        store = Store.open(target)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from exc
    info = store.status()
    store.close()
    if as_json:
        click.echo(json.dumps({**info, "exists": True}, indent=2))
    else:
        per = ", ".join(f"{eco} {n}" for eco, n in info["by_ecosystem"].items()) or "none"
        age = "unknown age" if info["age_days"] is None else f"{info['age_days']} days old"
        click.echo(f"{info['path']}")
        click.echo(f"  built {info['built']} ({age}{', stale' if info['stale'] else ''})")
        click.echo(f"  {info['records']} advisories: {per}")
        click.echo(
            f"  {info['malicious']} malicious-package records; {info['withdrawn_skipped']} withdrawn skipped"
        )
        for src in info["sources"]:
            click.echo(f"  from {src}")
        if info["stale"]:
            click.echo(f"  older than {STALE_DAYS} days: run `faasguard db update`")
    if info["stale"]:
        click.get_current_context().exit(1)
