"""Vulnerable dependencies: the runtime and packages a function runs on."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from faasguard.findings import Category, Severity
from faasguard.model import Application, Function, SourceRef
from faasguard.rules.base import Rule, RuleMeta, Violation
from faasguard.rules.logging_monitoring import names

# A runtime this close to its deprecation date is reported (low) so the move can be planned.
WARN_DAYS = 180


@dataclass(frozen=True, slots=True)
class RuntimeLife:
    """One managed runtime's lifecycle, as AWS publishes it."""

    id: str
    name: str
    family: str
    deprecated: dt.date
    block_create: dt.date | None
    block_update: dt.date | None


def _day(value: object) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


@cache
def runtime_table() -> Mapping[str, RuntimeLife]:
    """The runtime deprecation schedule (src/faasguard/data/runtimes.json), read on first use."""
    text = importlib.resources.files("faasguard").joinpath("data", "runtimes.json").read_text("utf-8")
    rows: dict[str, dict[str, object]] = json.loads(text)["runtimes"]
    out: dict[str, RuntimeLife] = {}
    for rid, row in rows.items():
        deprecated = _day(row["deprecated"])
        if deprecated is None:
            raise ValueError(f"runtimes.json: {rid} has no deprecation date")
        out[rid] = RuntimeLife(
            rid,
            str(row["name"]),
            str(row["family"]),
            deprecated,
            _day(row.get("block_create")),
            _day(row.get("block_update")),
        )
    return out


def _version_key(rid: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", rid))


def successor(runtime: str) -> str | None:
    """The runtime of the same family supported longest (the newest on a tie); None if unknown."""
    table = runtime_table()
    life = table.get(runtime)
    if life is None:
        return None
    family = [
        r
        for r in table.values()
        if r.family == life.family and r.block_create is not None and r.deprecated > life.deprecated
    ]
    if not family:
        return None
    return max(family, key=lambda r: (r.deprecated, _version_key(r.id))).id


def days_to_deprecation(runtime: str, today: dt.date) -> int | None:
    """Days until the runtime is deprecated (negative: days since); None for unknown runtimes."""
    life = runtime_table().get(runtime)
    return None if life is None else (life.deprecated - today).days


class DeprecatedRuntime(Rule):
    """## What it does
    Flags a function whose Lambda runtime is deprecated (high) or will be within 180 days
    (low), judged against AWS's published runtime deprecation schedule (a dated table shipped
    with faasguard) and today's date (`Settings.today` to pin it). Functions that share one
    `Runtime` line (SAM `Globals`) are reported once at that line. Container-image functions
    and runtime strings the table does not know are skipped.

    `extra` holds `runtime`, `deprecation_date`, `days` (until deprecation; negative: days
    since), `block_create`, `block_update`, `successor` and `functions`.

    ## Why is this bad?
    From its deprecation date AWS no longer applies security patches to the runtime (language,
    OS, bundled libraries), so known vulnerabilities stay in every function on it. Later Lambda
    refuses to create, then to update, functions on it: an urgent fix can't be deployed until
    the runtime is migrated.

    ## Example
    ```yaml
    Globals:
      Function:
        Runtime: python3.8
    ```

    ## Use instead
    ```yaml
    Globals:
      Function:
        Runtime: python3.13
    ```

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
    - https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html
    """

    meta = RuleMeta(
        id="FG-DEP-001",
        category=Category.VULNERABLE_DEPENDENCY,
        severity=Severity.HIGH,
        title="Deprecated or end-of-life Lambda runtime",
        cwe=(1104,),
        remediation={
            "sam": "Set `Runtime` (on the function or in `Globals.Function`) to a supported runtime.",
            "cloudformation": "Set `Runtime` of the AWS::Lambda::Function to a supported runtime.",
            "serverless": "Set `provider.runtime` (or the function's `runtime`) to a supported runtime.",
            "terraform": "Set `runtime` of aws_lambda_function to a supported runtime.",
        },
        references=("https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",),
    )

    def check(self, app: Application) -> Iterator[Violation]:
        today = self.settings.current_date()
        table = runtime_table()
        groups: dict[tuple[SourceRef, str], list[Function]] = {}
        for fn in app.functions:
            if fn.package_type == "Image" or not isinstance(fn.runtime, str) or fn.runtime not in table:
                continue
            if (table[fn.runtime].deprecated - today).days > WARN_DAYS:
                continue
            groups.setdefault((fn.loc("Runtime"), fn.runtime), []).append(fn)
        for (where, runtime), fns in groups.items():
            yield self._violation(where, table[runtime], fns, today)

    def _violation(
        self, where: SourceRef, life: RuntimeLife, fns: list[Function], today: dt.date
    ) -> Violation:
        days = (life.deprecated - today).days
        nxt = successor(life.id)
        move = f"; move to {nxt}" if nxt else ""
        who = names(fns)
        if days <= 0:
            blocked = ""
            if life.block_update is not None:
                verb = "since" if life.block_update <= today else "from"
                blocked = f", updates blocked {verb} {life.block_update.isoformat()}"
            message = (
                f"Runtime {life.id} of {who} is deprecated since {life.deprecated.isoformat()}: "
                f"no security patches{blocked}{move}"
            )
            severity = Severity.HIGH
        else:
            message = f"Runtime {life.id} of {who} will be deprecated on {life.deprecated.isoformat()}{move}"
            severity = Severity.LOW
        return Violation(
            where,
            message,
            resource=fns[0].id,
            severity=severity,
            extra={
                "runtime": life.id,
                "deprecation_date": life.deprecated.isoformat(),
                "days": days,
                "block_create": life.block_create.isoformat() if life.block_create else None,
                "block_update": life.block_update.isoformat() if life.block_update else None,
                "successor": nxt,
                "functions": [f.id for f in fns],
            },
            # The message changes as dates pass; the fingerprint must not.
            snippet=life.id,
        )
