"""Shared helpers for the test_js_* modules: small Node.js projects analysed with the JS front."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from test_python_support import EVENTS, analyse, write

from faasguard.analysis.code.analyse import AppCode, ScanCache

__all__ = ["EVENTS", "analyse", "flows", "js_flows", "sam", "write"]


def sam(
    handler: str,
    event: str | None = "api",
    code_uri: str = "src/",
    extra: tuple[str, ...] = (),
    runtime: str = "nodejs20.x",
) -> str:
    lines = [
        "Transform: AWS::Serverless-2016-10-31",
        "Resources:",
        "  Bucket:",
        "    Type: AWS::S3::Bucket",
        "  Queue:",
        "    Type: AWS::SQS::Queue",
        "  Fn:",
        "    Type: AWS::Serverless::Function",
        "    Properties:",
        f"      CodeUri: {code_uri}",
        f"      Handler: {handler}",
        f"      Runtime: {runtime}",
        *(f"      {x}" for x in extra),
    ]
    if event is not None:
        lines += ["      Events:", "        Trigger:", "          " + EVENTS[event]]
    return "\n".join(lines) + "\n"


def flows(root: Path, files: Mapping[str, str] | None = None) -> set[tuple[str, str, str]]:
    """{(family, field, "path:line")} of every flow of the project's functions."""
    code, _ = analyse(root, files)
    return {
        (f.family, f.field, f"{f.sink_ref.path}:{f.sink_ref.line}")
        for fc in code.functions.values()
        for f in fc.flows
    }


def js_flows(
    root: Path, handler: str, source: str, event: str | None = "api", name: str = "src/app.js"
) -> set[tuple[str, str, int]]:
    """Flows of a one-file project: {(family, field, line)}."""
    code, _ = analyse(root, {"template.yaml": sam(handler, event), name: source})
    return {(f.family, f.field, f.sink_ref.line) for fc in code.functions.values() for f in fc.flows}


def analysed(root: Path, files: Mapping[str, str]) -> tuple[AppCode, ScanCache]:
    return analyse(root, files)
