"""`faasguard graph PATH`: the attack graph (entry points, functions, flaws, roles, what they
reach) as Graphviz DOT or JSON.

Only click is imported at module level (the CLI registers this command on start, and
`faasguard --version` must stay instant); the loaders and analyses are imported when it runs.
"""

from __future__ import annotations

import click


@click.command()
@click.argument("path", type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["dot", "json"]),
    default="dot",
    show_default=True,
    help="Output format.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the graph here.")
@click.option(
    "--osv-db",
    type=click.Path(exists=True, dir_okay=True),
    help="Vulnerability data for dependency flaws (default: the cache database, if any).",
)
@click.option("--no-config", is_flag=True, help="Ignore pyproject.toml / .faasguard.toml settings.")
def graph(path: str, fmt: str, output: str | None, osv_db: str | None, no_config: bool) -> None:
    """Export the attack graph of the applications under PATH."""
    from dataclasses import replace
    from pathlib import Path

    from faasguard.analysis.deps.store import default_db_path
    from faasguard.analysis.facts import Facts
    from faasguard.analysis.graph import attack_graph
    from faasguard.analysis.graph.export import to_dot, to_json
    from faasguard.api import ScanOptions
    from faasguard.config import ConfigError, config_for
    from faasguard.engine import load_applications

    root = Path(path).resolve()
    only = None
    if root.is_file():  # a single template: its folder, that file only
        only, root = root.name, root.parent
    db = Path(osv_db) if osv_db else default_db_path()
    options = ScanOptions(osv_db=db if db.exists() else None, use_config=not no_config)
    if not no_config:
        try:
            config = config_for(root, root)
            options = replace(options, exclude=config.exclude, limits=config.apply_limits(options.limits))
        except ConfigError as exc:
            click.echo(f"faasguard: {exc.path}: {exc.message}", err=True)
    apps, errors, _ = load_applications(root, options, only)
    facts = Facts(root, options)
    graphs = [(app.root, attack_graph(facts, app)) for app in apps]
    text = to_dot(graphs) if fmt == "dot" else to_json(graphs)
    for err in [*errors, *facts.errors]:
        where = f"{err.path}:{err.line}" if err.line else err.path
        click.echo(f"faasguard: {where}: {err.message}", err=True)
    if output:
        Path(output).write_text(text, encoding="utf-8", errors="surrogatepass")
    else:
        click.echo(text, nl=False)
