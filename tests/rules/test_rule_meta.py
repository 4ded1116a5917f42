"""Every rule has complete metadata, its doc sections, and fixtures that fail and pass."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from faasguard.rules.base import DOC_SECTIONS, all_rules

HERE = Path(__file__).resolve().parent
RULES = all_rules()


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_metadata_and_docs(rule_id: str) -> None:
    cls = RULES[rule_id]
    meta = cls.meta
    assert re.fullmatch(r"FG-[A-Z]+-\d{3}", meta.id)
    assert meta.title and meta.title[0].isupper()
    assert meta.remediation, "remediation per input format"
    doc = cls.__doc__ or ""
    for section in DOC_SECTIONS:
        assert section in doc, f"{rule_id} docstring lacks {section}"


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_has_pass_and_fail_fixtures(rule_id: str) -> None:
    cases = [p.name for p in (HERE / rule_id).glob("*") if p.is_dir()]
    assert any(c.startswith("fail") for c in cases), f"{rule_id} has no fail_* fixture"
    assert any(c.startswith("pass") for c in cases), f"{rule_id} has no pass_* fixture"
