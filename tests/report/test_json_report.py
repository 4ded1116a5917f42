"""The JSON report is a contract (GUIDE §3): exact keys, types and order, valid whatever the input."""

from __future__ import annotations

import json
import math
from enum import Enum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faasguard import __version__
from faasguard.findings import (
    Category,
    Coverage,
    Finding,
    Location,
    Related,
    ScanError,
    ScanResult,
    Severity,
)
from faasguard.report import json_report

jsonschema = pytest.importorskip("jsonschema")

_STR = {"type": "string"}
_COUNT = {"type": "integer", "minimum": 0}
_LINE = {"type": "integer", "minimum": 0}
_STEP = {"path": _STR, "line": _LINE, "message": _STR}


def _obj(props: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": props,
        "required": [k for k in props if k not in optional],
        "additionalProperties": False,
    }


SCHEMA: dict[str, Any] = _obj(
    {
        "version": {"const": "1"},
        "tool": _obj({"name": {"const": "faasguard"}, "version": _STR}),
        "findings": {
            "type": "array",
            "items": _obj(
                {
                    "rule": {"type": "string", "pattern": "^FG-"},
                    "category": {"enum": [c.value for c in Category]},
                    "severity": {"enum": [s.value for s in Severity]},
                    "title": _STR,
                    "message": _STR,
                    "location": _obj({"path": _STR, "line": _LINE, "end_line": _LINE}),
                    "application": _STR,
                    "resource": _STR,
                    "related": {"type": "array", "items": _obj(_STEP)},
                    "extra": {"type": "object"},
                    "fingerprint": _STR,
                }
            ),
        },
        "errors": {
            "type": "array",
            "items": _obj({"path": _STR, "line": {"type": ["integer", "null"]}, "message": _STR}),
        },
        "summary": _obj(
            {
                "files": _COUNT,
                "functions": _COUNT,
                "by_severity": _obj({s.value: _COUNT for s in Severity}),
                "duration_s": {"type": "number", "minimum": 0},
                # The additive keys the contract allows, and only these.
                "applications": _COUNT,
                "handlers_mapped": _COUNT,
                "unknown_values": _COUNT,
                "files_in_errors": _COUNT,
                "suppressed": _COUNT,
                "baselined": _COUNT,
                "suppressions": {
                    "type": "array",
                    "items": _obj(
                        {"rule": _STR, "path": _STR, "line": _COUNT, "reason": _STR, "where": _STR}
                    ),
                },
            },
            optional=(
                "applications",
                "handlers_mapped",
                "unknown_values",
                "files_in_errors",
                "suppressed",
                "baselined",
                "suppressions",
            ),
        ),
    }
)


def finding(
    rule: str = "FG-AUTH-001",
    severity: Severity = Severity.HIGH,
    message: str = "POST /orders reaches OrdersFunction with no authentication",
    path: str = "template.yaml",
    resource: str = "OrdersFunction",
    extra: dict[str, object] | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        category=Category.BROKEN_AUTHENTICATION,
        severity=severity,
        title="Public route without authentication",
        message=message,
        location=Location(path, 42, 44),
        application="services/orders",
        resource=resource,
        related=(Related("src/app.py", 10, "event body read here"),),
        extra=extra if extra is not None else {},
        fingerprint="f" * 16,
    )


def result(findings: list[Finding] | None = None, errors: list[ScanError] | None = None) -> ScanResult:
    return ScanResult(
        root=".",
        findings=findings if findings is not None else [finding()],
        errors=errors if errors is not None else [ScanError("broken.yaml", 3, "could not parse")],
        coverage=Coverage(
            applications=2, functions=5, handlers_mapped=4, unknown_values=1, files=9, files_in_errors=1
        ),
        duration_s=0.123456,
    )


def load(res: ScanResult) -> Any:
    return json.loads(json_report.render(res))


def test_report_matches_schema() -> None:
    errors = [ScanError("a.yaml", 3, "bad"), ScanError("b.json", None, "too big")]
    jsonschema.validate(load(result(errors=errors)), SCHEMA)


def test_empty_report_matches_schema_with_zero_counts() -> None:
    doc = load(result(findings=[], errors=[]))
    jsonschema.validate(doc, SCHEMA)
    assert doc["findings"] == [] and doc["errors"] == []
    assert doc["summary"]["by_severity"] == {"critical": 0, "high": 0, "medium": 0, "low": 0, "info": 0}


def test_key_order_is_the_contract_order() -> None:
    doc = load(result())
    assert list(doc) == ["version", "tool", "findings", "errors", "summary"]
    assert list(doc["findings"][0]) == [
        "rule",
        "category",
        "severity",
        "title",
        "message",
        "location",
        "application",
        "resource",
        "related",
        "extra",
        "fingerprint",
    ]
    assert list(doc["findings"][0]["location"]) == ["path", "line", "end_line"]
    assert list(doc["errors"][0]) == ["path", "line", "message"]
    assert list(doc["summary"])[:4] == ["files", "functions", "by_severity", "duration_s"]


def test_values_are_carried_over() -> None:
    doc = load(result())
    assert doc["tool"] == {"name": "faasguard", "version": __version__}
    f = doc["findings"][0]
    assert (f["rule"], f["category"], f["severity"]) == ("FG-AUTH-001", "broken-authentication", "high")
    assert f["location"] == {"path": "template.yaml", "line": 42, "end_line": 44}
    assert f["related"] == [{"path": "src/app.py", "line": 10, "message": "event body read here"}]
    assert doc["errors"] == [{"path": "broken.yaml", "line": 3, "message": "could not parse"}]
    assert doc["summary"] == {
        "files": 9,
        "functions": 5,
        "by_severity": {"critical": 0, "high": 1, "medium": 0, "low": 0, "info": 0},
        "duration_s": 0.123,
        "applications": 2,
        "handlers_mapped": 4,
        "unknown_values": 1,
        "files_in_errors": 1,
        "suppressed": 0,
        "baselined": 0,
        "suppressions": [],
    }


def test_findings_keep_result_order() -> None:
    rules = ["FG-IAM-002", "FG-AUTH-001", "FG-DOW-003"]
    doc = load(result(findings=[finding(rule=r) for r in rules]))
    assert [f["rule"] for f in doc["findings"]] == rules


def test_render_is_deterministic() -> None:
    res = result(findings=[finding(extra={"b": 1, "a": {"z": 1, "y": 2}})])
    assert json_report.render(res) == json_report.render(res)
    assert list(load(res)["findings"][0]["extra"]) == ["a", "b"]


HOSTILE = "ok\x00\x07\x1b[31mred\x1b]0;title\x07\n\r\t\x7f\x9b31m\u2028\u202eevil\udcff"


def test_control_characters_stay_valid_json() -> None:
    res = result(findings=[finding(message=HOSTILE, path=HOSTILE, resource=HOSTILE)])
    text = json_report.render(res)
    text.encode("utf-8")  # lone surrogates were escaped, not left raw
    for raw in ("\x00", "\x1b", "\x07", "\x7f", "\x9b", "\u2028", "\u202e", "\udcff"):
        assert raw not in text
    doc = json.loads(text)
    assert doc["findings"][0]["message"] == HOSTILE  # escaped, not altered
    jsonschema.validate(doc, SCHEMA)


class _Colour(Enum):
    RED = "red"


def test_extra_is_coerced_to_json() -> None:
    extra: dict[str, object] = {
        "nan": math.nan,
        "inf": math.inf,
        "set": {"b", "a"},
        "tuple": (1, 2),
        "enum": _Colour.RED,
        "nested": {2: [1.5, None, True]},
        "object": object.__new__(_Opaque),
    }
    doc = load(result(findings=[finding(extra=extra)]))
    assert doc["findings"][0]["extra"] == {
        "enum": "red",
        "inf": None,
        "nan": None,
        "nested": {"2": [1.5, None, True]},
        "object": "opaque",
        "set": ["a", "b"],
        "tuple": [1, 2],
    }


class _Opaque:
    def __str__(self) -> str:
        return "opaque"


@given(st.text(), st.text(), st.dictionaries(st.text(), st.text() | st.floats() | st.integers()))
def test_any_strings_give_valid_json(message: str, path: str, extra: dict[str, object]) -> None:
    res = result(findings=[finding(message=message, path=path, extra=extra)])
    text = json_report.render(res)
    text.encode("utf-8")
    doc = json.loads(text)
    assert doc["findings"][0]["message"] == message
    assert doc["findings"][0]["location"]["path"] == path
