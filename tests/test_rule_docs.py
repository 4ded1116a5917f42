"""docs/rules.md is generated from the rule registry and must match it: run `faasguard docs` to regenerate."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from faasguard import cli
from faasguard.docs import (
    DOCS_PATH,
    FORMAT_NAMES,
    STALE_MESSAGE,
    remediation_items,
    render_rules_markdown,
    rule_markdown,
    shift_headings,
)
from faasguard.rules.base import all_rules

REPO = Path(__file__).resolve().parents[1]
RULES = all_rules()


def test_docs_rules_md_is_up_to_date() -> None:
    committed = REPO / DOCS_PATH
    assert committed.is_file(), STALE_MESSAGE
    assert committed.read_text(encoding="utf-8") == render_rules_markdown(), STALE_MESSAGE


def test_every_rule_has_an_index_row_and_a_section() -> None:
    text = render_rules_markdown()
    for rule_id, rule in RULES.items():
        meta = rule.meta
        row = f"| [{rule_id}](#{rule_id.lower()}) | {meta.title.replace('|', chr(92) + '|')} |"
        assert row in text
        assert re.search(rf"^## {re.escape(rule_id)}$", text, re.MULTILINE), rule_id
    headings = re.findall(r"^## (FG-[A-Z]+-\d{3})$", text, re.MULTILINE)
    assert headings == sorted(RULES)


def test_each_section_has_the_doc_sections_and_the_fix_per_format() -> None:
    sections = re.split(r"^## (?=FG-)", render_rules_markdown(), flags=re.MULTILINE)[1:]
    assert len(sections) == len(RULES)
    for section in sections:
        rule = RULES[section.split("\n", 1)[0]]
        for heading in ("### What it does", "### Why is this bad?", "### Example", "### Use instead"):
            assert f"\n{heading}" in section, (rule.meta.id, heading)
        assert "\n### How to fix" in section
        for name, fix in remediation_items(rule):
            assert f"#### {name}\n\n{fix}" in section
        assert section.count("```") % 2 == 0, f"{rule.meta.id}: unbalanced code fence"


def test_fix_comes_before_references_and_covers_the_known_formats() -> None:
    for rule in RULES.values():
        md = rule_markdown(rule)
        if "## References" in md:
            assert md.index("## How to fix") < md.index("## References"), rule.meta.id
        names = [name for name, _ in remediation_items(rule)]
        known = [FORMAT_NAMES[k] for k in FORMAT_NAMES if k in rule.meta.remediation]
        assert names[: len(known)] == known


def test_shift_headings_leaves_code_alone() -> None:
    md = "## Example\n````yaml\n# a YAML comment\n```\n## still code\n````\n# Title\n~~~\n# x\n~~~\n#no"
    assert shift_headings(md, 1) == (
        "### Example\n````yaml\n# a YAML comment\n```\n## still code\n````\n## Title\n~~~\n# x\n~~~\n#no"
    )
    assert shift_headings("###### deep", 2) == "###### deep"


def test_docs_command_writes_and_checks(tmp_path: Path) -> None:
    target = tmp_path / "docs" / "rules.md"
    runner = CliRunner()
    stale = runner.invoke(cli.main, ["docs", "--check", "--path", str(target)])
    assert stale.exit_code == 1 and "run `faasguard docs` to regenerate" in stale.output
    written = runner.invoke(cli.main, ["docs", "--path", str(target)])
    assert written.exit_code == 0, written.output
    assert target.read_text(encoding="utf-8") == render_rules_markdown()
    fresh = runner.invoke(cli.main, ["docs", "--check", "--path", str(target)])
    assert fresh.exit_code == 0, fresh.output
    target.write_text(render_rules_markdown() + "edited by hand\n", encoding="utf-8")
    assert runner.invoke(cli.main, ["docs", "--check", "--path", str(target)]).exit_code == 1


def test_docs_command_is_hidden() -> None:
    help_text = CliRunner().invoke(cli.main, ["--help"]).output
    assert "docs" not in re.findall(r"^  (\w+)", help_text, re.MULTILINE)
