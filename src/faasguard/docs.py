"""Rule documentation generated from the registry: docs/rules.md and the help text of the SARIF report.

The docs live beside each rule (its docstring and `RuleMeta`); this module only arranges them, so
`docs/rules.md`, `faasguard explain` and GitHub's rule help cannot drift apart. Regenerate the file
with `faasguard docs`; `faasguard docs --check` (and tests/test_rule_docs.py) fail when it is stale.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from faasguard.rules.base import Rule

DOCS_PATH = "docs/rules.md"
STALE_MESSAGE = f"{DOCS_PATH} is stale: run `faasguard docs` to regenerate it"

# Input formats in the order a reader meets them; any other remediation key follows, sorted.
FORMATS = ("sam", "cloudformation", "serverless", "terraform", "chalice", "python", "javascript")
FORMAT_NAMES = {
    "sam": "AWS SAM",
    "cloudformation": "CloudFormation",
    "serverless": "Serverless Framework",
    "terraform": "Terraform",
    "chalice": "Chalice",
    "python": "Python",
    "javascript": "JavaScript / TypeScript",
}

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6})(\s)")


def cwe_url(cwe: int) -> str:
    return f"https://cwe.mitre.org/data/definitions/{cwe}.html"


def shift_headings(markdown: str, by: int) -> str:
    """Demote every ATX heading by `by` levels (at most to ######), leaving fenced code alone."""
    out: list[str] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        match = _FENCE.match(line)
        if match and fence is None:
            fence = match.group(1)
        elif match and fence is not None and _closes(line, fence):
            fence = None
        elif fence is None:
            line = _HEADING.sub(lambda m: "#" * min(len(m.group(1)) + by, 6) + m.group(2), line)
        out.append(line)
    return "\n".join(out)


def _closes(line: str, fence: str) -> bool:
    """A closing fence: the opening character, at least as many, and nothing else (CommonMark)."""
    marker = line.strip()
    return len(marker) >= len(fence) and set(marker) == {fence[0]}


def remediation_items(rule: type[Rule]) -> list[tuple[str, str]]:
    """(format display name, fix) in FORMATS order, then any other format."""
    fixes = rule.meta.remediation
    keys = [k for k in FORMATS if k in fixes] + sorted(k for k in fixes if k not in FORMATS)
    return [(FORMAT_NAMES.get(k, k), inspect.cleandoc(fixes[k])) for k in keys]


def what_it_does(rule: type[Rule]) -> str:
    """The first section of the docstring as one paragraph (the rule's full description)."""
    doc = inspect.cleandoc(rule.__doc__ or "")
    body = doc.split("## What it does", 1)[1] if "## What it does" in doc else doc
    first = body.split("\n## ", 1)[0]
    return " ".join(first.split()) or rule.meta.title


def rule_markdown(rule: type[Rule]) -> str:
    """The rule's docstring sections, then the fix per input format, with `##` top headings."""
    meta = rule.meta
    doc = inspect.cleandoc(rule.__doc__ or "")
    # The fix goes before the docstring's own References section, which stays last.
    head, sep, refs = doc.partition("\n## References")
    parts = [head.rstrip()] if head.strip() else []
    fixes = remediation_items(rule)
    if fixes:
        parts.append("## How to fix")
        parts += [f"### {name}\n\n{fix}" for name, fix in fixes]
    if sep:
        parts.append(("## References" + refs).rstrip())
    elif meta.references:
        parts.append("## References\n\n" + "\n".join(f"- {ref}" for ref in meta.references))
    return "\n\n".join(parts)


def rule_text(rule: type[Rule]) -> str:
    """`rule_markdown` as plain text: heading markers and code fences dropped, content kept."""
    out: list[str] = []
    for line in rule_markdown(rule).split("\n"):
        if _FENCE.match(line):
            continue
        out.append(_HEADING.sub("", line).upper() if _HEADING.match(line) else line)
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _index(rules: Iterable[type[Rule]]) -> list[str]:
    lines = ["| ID | Title | Category | Severity |", "|---|---|---|---|"]
    for rule in rules:
        m = rule.meta
        anchor = m.id.lower()
        lines.append(f"| [{m.id}](#{anchor}) | {_cell(m.title)} | {m.category.value} | {m.severity.value} |")
    return lines


def _section(rule: type[Rule]) -> str:
    m = rule.meta
    facts = [f"**{m.title}**", f"category `{m.category.value}`", f"severity `{m.severity.value}`"]
    facts += [f"[CWE-{cwe}]({cwe_url(cwe)})" for cwe in m.cwe]
    body = shift_headings(rule_markdown(rule), 1)
    return f"## {m.id}\n\n{' · '.join(facts)}\n\n{body}".rstrip()


def render_rules_markdown() -> str:
    """docs/rules.md: an index table, then every rule's docs and its fix per input format."""
    from faasguard.rules.base import all_rules

    rules = list(all_rules().values())
    head = [
        "# Rules",
        "",
        f"<!-- Generated from the rule registry by `faasguard docs`; do not edit. {len(rules)} rules. -->",
        "",
        "Every rule faasguard runs, generated from the rules' own docs. `faasguard explain <ID>` shows the",
        "same text in a terminal. Severities are defaults; a rule may raise a finding's severity with",
        "context, and configuration can override it.",
        "",
    ]
    sections = [_section(rule) for rule in rules]
    return "\n".join([*head, *_index(rules), ""]) + "\n" + "\n\n".join(sections) + "\n"
