"""Third-party packages that call AWS for the function: the reviewed table in
data/iam_sdk_wrappers.json, looked up by the name code imports or calls.

A package there is `hidden` (it calls AWS itself: the function's needs are incomplete), `none` (it
makes no IAM-governed call) or `modelled` (the SDK engine maps the calls of its listed members).
A package the table does not list is judged from the dependency graph by the needs analysis.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

HIDDEN, NONE, MODELLED = "hidden", "none", "modelled"


@dataclass(frozen=True, slots=True)
class Member:
    """One modelled function or class of a wrapper: the operations a call of it runs."""

    service: str
    operations: tuple[str, ...]
    arguments: Mapping[str, str]  # "0" | keyword | "0.key" -> request member


@dataclass(frozen=True, slots=True)
class Wrapper:
    module: str
    calls: str  # hidden | none | modelled
    why: str
    members: Mapping[str, Member]
    inert: frozenset[str]

    def member(self, name: str) -> Member | None:
        return self.members.get(name)

    def is_inert(self, name: str) -> bool:
        return name in self.inert or name.endswith(("Error", "Exception"))


def _data() -> Mapping[str, Any]:
    import json
    from importlib import resources

    raw: Mapping[str, Any] = json.loads(
        resources.files("faasguard").joinpath("data", "iam_sdk_wrappers.json").read_text(encoding="utf-8")
    )
    return raw


@cache
def _table(ecosystem: str) -> dict[str, Wrapper]:
    out: dict[str, Wrapper] = {}
    for row in _data()[ecosystem]:
        members = {
            name: Member(str(m["service"]), tuple(m["operations"]), dict(m.get("arguments", {})))
            for name, m in row.get("members", {}).items()
        }
        out[row["module"]] = Wrapper(
            row["module"], row["calls"], row["why"], members, frozenset(row.get("inert", ()))
        )
    return out


def ecosystem_of(language: str) -> str:
    return "python" if language == "python" else "node"


def lookup(language: str, name: str) -> tuple[Wrapper, str] | None:
    """The row governing an imported or called name (the longest listed prefix), with the rest
    of the name after it ("" for the row's own module)."""
    table = _table(ecosystem_of(language))
    sep = "." if language == "python" else "/"
    candidate = name
    while candidate:
        got = table.get(candidate)
        if got is not None:
            return got, name[len(candidate) :].lstrip("./")
        cut = candidate.rfind(sep)
        if language != "python":
            # npm: "pkg/sub.member" -> "pkg/sub" first, then up the subpath.
            dot = candidate.rfind(".")
            cut = max(cut, dot)
        if cut <= 0:
            return None
        candidate = candidate[:cut]
    return None


@cache
def sdk_distributions() -> Mapping[str, Any]:
    raw: Mapping[str, Any] = _data()["sdk"]
    return raw


def is_sdk_distribution(ecosystem: str, key: str) -> bool:
    """A PEP 503 / npm name that is the AWS SDK itself."""
    table = sdk_distributions()
    if ecosystem == "PyPI":
        return key in table["PyPI"]
    return key in table["npm"] or key.startswith(tuple(table["npm_prefixes"]))


@cache
def _forwarded() -> dict[tuple[str, str], Mapping[str, Any]]:
    return {(r["service"], r["operation"]): r for r in _data()["forwarded"]["rows"]}


def forwarded(service: str, operation: str) -> Mapping[str, Any] | None:
    """What the service then does with the caller's credentials (see the data file)."""
    return _forwarded().get((service, operation))


def layer_reason(arn: object) -> str | None:
    """Why a layer makes AWS calls for the function (an extension it ships), or None."""
    if not isinstance(arn, str) or ":layer:" not in arn:
        return None
    name = arn.split(":layer:", 1)[1].split(":", 1)[0]
    for row in _data()["layers"]:
        if name.startswith(row["name"]) and row["calls"] == HIDDEN:
            return f"layer {name}: {row['why']}; its actions are not derived"
    return None
