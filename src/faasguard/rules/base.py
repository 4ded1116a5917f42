"""The rule shape: metadata and docs beside the logic; rules register themselves on definition."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from faasguard.analysis.facts import Facts
from faasguard.findings import Category, Severity
from faasguard.model import Application, SourceRef
from faasguard.settings import DEFAULT_SETTINGS, Settings

DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")


@dataclass(frozen=True, slots=True)
class RuleMeta:
    id: str
    category: Category
    severity: Severity
    title: str
    cwe: tuple[int, ...] = ()
    # Fix per input format: "cloudformation", "sam", "serverless", "terraform".
    remediation: Mapping[str, str] = field(default_factory=dict)
    references: tuple[str, ...] = ()
    since: str = "0.1.0"  # the faasguard version that introduced the rule (rules_version pins)


@dataclass(frozen=True, slots=True)
class RelatedStep:
    source: SourceRef
    message: str


@dataclass(frozen=True, slots=True)
class Violation:
    source: SourceRef
    message: str
    resource: str
    severity: Severity | None = None  # None: the rule's default
    related: tuple[RelatedStep, ...] = ()
    extra: Mapping[str, object] = field(default_factory=dict)
    snippet: str = ""  # normalised text for the fingerprint (defaults to the message)


class Rule:
    meta: ClassVar[RuleMeta]
    registry: ClassVar[dict[str, type[Rule]]] = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("meta")
        if meta is None:  # an abstract helper base
            return
        if meta.id in Rule.registry and Rule.registry[meta.id] is not cls:
            raise ValueError(
                f"duplicate rule id {meta.id}: {Rule.registry[meta.id].__name__} and {cls.__name__}"
            )
        Rule.registry[meta.id] = cls

    def __init__(self, settings: Settings = DEFAULT_SETTINGS) -> None:
        self.settings = settings
        # Shared analyses (code, dependencies...) and the scan root; set by the engine per scan.
        self.facts: Facts = Facts(Path("."))

    def check(self, app: Application) -> Iterator[Violation]:
        raise NotImplementedError


def all_rules() -> dict[str, type[Rule]]:
    """Every registered rule, importing the rule modules on first use."""
    from faasguard.rules import load_all

    load_all()
    return dict(sorted(Rule.registry.items()))
