"""The runtime deprecation table and FG-DEP-001's judgement against a pinned date."""

from __future__ import annotations

import datetime as dt

import pytest

from faasguard.findings import Severity
from faasguard.model import Application, Function, SourceRef, Unknown
from faasguard.rules.base import Violation
from faasguard.rules.vulnerable_dependency import (
    WARN_DAYS,
    DeprecatedRuntime,
    days_to_deprecation,
    runtime_table,
    successor,
)
from faasguard.settings import Settings

TEMPLATE = "template.yaml"


def _fn(fid: str, runtime: str | Unknown | None, line: int, package_type: str = "Zip") -> Function:
    where = SourceRef(TEMPLATE, line, line)
    return Function(
        id=fid, source=where, runtime=runtime, package_type=package_type, props={"Runtime": where}
    )


def _check(today: str, *functions: Function) -> list[Violation]:
    app = Application(root=".", kind="sam", source=SourceRef(TEMPLATE, 1, 1), functions=functions)
    rule = DeprecatedRuntime(Settings(today=dt.date.fromisoformat(today)))
    return list(rule.check(app))


def test_table_has_the_runtimes_aws_lists() -> None:
    table = runtime_table()
    for rid in (
        "python2.7",
        "python3.8",
        "python3.9",
        "python3.14",
        "nodejs",
        "nodejs12.x",
        "nodejs18.x",
        "nodejs24.x",
        "java8",
        "java8.al2",
        "java25",
        "dotnetcore3.1",
        "dotnet6",
        "dotnet8",
        "ruby2.7",
        "ruby3.4",
        "go1.x",
        "provided",
        "provided.al2",
        "provided.al2023",
    ):
        assert rid in table, rid


def test_table_dates_are_consistent() -> None:
    for life in runtime_table().values():
        if life.block_create and life.block_update:
            assert life.block_update >= life.block_create, life.id
        assert life.family in ("python", "nodejs", "java", "dotnet", "ruby", "provided"), life.id


def test_known_dates() -> None:
    table = runtime_table()
    assert table["python3.8"].deprecated == dt.date(2024, 10, 14)
    assert table["python3.9"].deprecated == dt.date(2025, 12, 15)
    assert table["nodejs16.x"].deprecated == dt.date(2024, 6, 12)
    assert table["go1.x"].deprecated == dt.date(2024, 1, 8)


@pytest.mark.parametrize(
    ("runtime", "expected"),
    [
        ("python3.8", "python3.14"),
        ("nodejs14.x", "nodejs24.x"),
        ("java8", "java25"),
        ("go1.x", "provided.al2023"),
        ("dotnet6", "dotnet10"),
        ("python3.14", None),
        ("cobol1.0", None),
    ],
)
def test_successor(runtime: str, expected: str | None) -> None:
    assert successor(runtime) == expected


def test_days_to_deprecation_is_signed() -> None:
    assert days_to_deprecation("python3.8", dt.date(2024, 10, 4)) == 10
    assert days_to_deprecation("python3.8", dt.date(2024, 10, 24)) == -10
    assert days_to_deprecation("python9.9", dt.date(2024, 10, 24)) is None


def test_deprecated_runtime_is_high_with_extra_fields() -> None:
    (v,) = _check("2026-11-29", _fn("Legacy", "python3.8", 7))
    assert v.severity is Severity.HIGH
    assert v.source.line == 7
    assert v.message == (
        "Runtime python3.8 of Legacy is deprecated since 2024-10-14: no security patches, "
        "updates blocked from 2027-03-03; move to python3.14"
    )
    assert v.extra["runtime"] == "python3.8"
    assert v.extra["deprecation_date"] == "2024-10-14"
    assert v.extra["days"] == (dt.date(2024, 10, 14) - dt.date(2026, 11, 29)).days
    assert v.extra["block_update"] == "2027-03-03"


def test_update_block_in_the_past_is_said() -> None:
    (v,) = _check("2027-04-01", _fn("Legacy", "python3.8", 7))
    assert "updates blocked since 2027-03-03" in v.message
    assert v.severity is Severity.HIGH


def test_deprecation_day_itself_counts_as_deprecated() -> None:
    (v,) = _check("2024-10-14", _fn("Fn", "python3.8", 3))
    assert v.severity is Severity.HIGH
    assert v.extra["days"] == 0


def test_upcoming_deprecation_is_low() -> None:
    (v,) = _check("2029-03-01", _fn("Fn", "python3.14", 3))
    assert v.severity is Severity.LOW
    assert v.message == "Runtime python3.14 of Fn will be deprecated on 2029-06-30"
    assert v.extra["days"] == 121


def test_warning_window_edges() -> None:
    deprecation = runtime_table()["python3.12"].deprecated
    at_edge = (deprecation - dt.timedelta(days=WARN_DAYS)).isoformat()
    beyond = (deprecation - dt.timedelta(days=WARN_DAYS + 1)).isoformat()
    assert len(_check(at_edge, _fn("Fn", "python3.12", 3))) == 1
    assert _check(beyond, _fn("Fn", "python3.12", 3)) == []


def test_unknown_image_and_unresolved_runtimes_are_skipped() -> None:
    found = _check(
        "2026-11-29",
        _fn("Typo", "python3.99", 3),
        _fn("Param", Unknown("parameter without default"), 4),
        _fn("Image", None, 5, package_type="Image"),
        _fn("NoRuntime", None, 6),
    )
    assert found == []


def test_functions_sharing_a_runtime_line_are_reported_once() -> None:
    shared = SourceRef(TEMPLATE, 4, 4)
    fns = [
        Function(
            id=f"F{i}",
            source=SourceRef(TEMPLATE, 10 * i, 10 * i),
            runtime="nodejs16.x",
            props={"Runtime": shared},
        )
        for i in range(1, 6)
    ]
    (v,) = _check("2026-11-29", *fns)
    assert v.source == shared
    assert v.resource == "F1"
    assert "of F1, F2 and 3 more functions is deprecated" in v.message
    assert v.extra["functions"] == ["F1", "F2", "F3", "F4", "F5"]
