"""`faasguard audit`: read a live AWS account (read-only, the caller's own credentials) into the
application model, run every rule on it, and with `--against PATH` compare it with the IaC.

Registered on the main group by `cli.py`; only click is imported at module level.
"""

from __future__ import annotations

import os
import sys

import click

FORMATS = ("text", "json", "sarif")


@click.command()
@click.option("--profile", metavar="NAME", help="AWS profile to use (default: the SDK's usual chain).")
@click.option("--region", "regions", multiple=True, metavar="REGION", help="Region to audit (repeatable).")
@click.option("--all-regions", is_flag=True, help="Audit every region enabled in the account.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report here.")
@click.option(
    "--against",
    type=click.Path(exists=True, file_okay=True, dir_okay=True),
    help="Compare the account with the IaC under this path: shadow resources and drift.",
)
@click.option("--with-code", is_flag=True, help="Download each function's package and scan its code too.")
@click.option(
    "--fail-on",
    type=click.Choice(("critical", "high", "medium", "low", "never"), case_sensitive=False),
    default="high",
    show_default=True,
    help="Exit 1 when a finding has this severity or worse.",
)
@click.option("--fail-on-error", is_flag=True, help="Exit 1 when some part of the account could not be read.")
@click.option("--select", multiple=True, metavar="ID", help="Run only these rules.")
@click.option("--skip", multiple=True, metavar="ID", help="Never run these rules.")
@click.option("--budget", type=float, metavar="USD_PER_DAY", help="Daily flood spend that makes DoW high.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="API calls in flight at once, across regions and services.",
)
@click.option("--policy", "show_policy", is_flag=True, help="Print the IAM policy the audit needs, and exit.")
@click.option(
    "--list-rules", is_flag=True, help="List the rules only an audit runs (drift, shadows), and exit."
)
@click.option("--explain", "explain_id", metavar="ID", help="Explain one of those rules, and exit.")
def audit(
    profile: str | None,
    regions: tuple[str, ...],
    all_regions: bool,
    fmt: str,
    output: str | None,
    against: str | None,
    with_code: bool,
    fail_on: str,
    fail_on_error: bool,
    select: tuple[str, ...],
    skip: tuple[str, ...],
    budget: float | None,
    workers: int,
    show_policy: bool,
    list_rules: bool,
    explain_id: str | None,
) -> None:
    """Audit a live AWS account with read-only calls; locations in findings are ARNs.

    Credentials, region and endpoints come from the AWS SDK's usual settings (profiles,
    AWS_REGION, AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>). `--policy` prints the minimal
    IAM policy this needs.
    """
    if show_policy:
        _print_policy()
        return
    if list_rules:
        _print_rules()
        return
    if explain_id is not None:
        _explain(explain_id)
        return
    if regions and all_regions:
        raise click.UsageError("use either --region or --all-regions")
    if output is not None and not os.path.isdir(os.path.dirname(os.path.abspath(output))):
        raise click.BadParameter("its directory does not exist", param_hint="--output")
    from pathlib import Path

    from faasguard.audit.runner import AuditError, AuditOptions, run_audit
    from faasguard.cli import exit_code
    from faasguard.settings import Settings

    options = AuditOptions(
        profile=profile,
        regions=tuple(regions),
        all_regions=all_regions,
        against=Path(against) if against else None,
        against_label=_label(against) if against else None,
        with_code=with_code,
        workers=workers,
        select=frozenset(s.strip().upper() for s in select),
        skip=frozenset(s.strip().upper() for s in skip),
        settings=Settings(budget_usd_per_day=budget),
    )
    try:
        result = run_audit(options)
    except AuditError as exc:
        raise click.UsageError(str(exc)) from exc
    _write(result, fmt, output)
    click.get_current_context().exit(exit_code(result.result, fail_on.lower(), fail_on_error))


def _write(result: object, fmt: str, output: str | None) -> None:
    from faasguard.audit import report
    from faasguard.audit.runner import AuditResult

    assert isinstance(result, AuditResult)
    if fmt == "json":
        text = report.render_json(result)
    elif fmt == "sarif":
        text = report.render_sarif(result)
    else:
        color = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        width = None
        if color:
            import shutil

            width = shutil.get_terminal_size().columns
        text = report.render_text(result, color=color, width=width)
    if output is None:
        click.echo(text, nl=False)
    else:
        with open(output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)


def _print_policy() -> None:
    from faasguard.audit.policy import derive

    derivation = derive()
    if derivation.problems:  # an audit module the derivation cannot read: a bug, say so loudly
        raise click.ClickException("cannot derive the policy: " + "; ".join(derivation.problems))
    click.echo(derivation.policy_json(), nl=False)


def _print_rules() -> None:
    from faasguard.rules.drift import audit_rules

    for rid, cls in audit_rules().items():
        meta = cls.meta
        click.echo(f"{rid}  {meta.category.value:<21}  {meta.severity.value:<6}  {meta.title}")


def _explain(rule_id: str) -> None:
    from faasguard.cli import explain_text
    from faasguard.rules.drift import audit_rules

    found = audit_rules().get(rule_id.strip().upper())
    if found is None:
        raise click.BadParameter(
            f"unknown audit rule {rule_id!r}; `faasguard audit --list-rules` lists them",
            param_hint="--explain",
        )
    click.echo(explain_text(found))


def _label(path: str) -> str:
    """How IaC files are named in the report: relative to the working folder when inside it."""
    rel = os.path.relpath(os.path.abspath(path))
    return path if rel.startswith("..") else rel.replace(os.sep, "/")
