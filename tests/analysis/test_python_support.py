"""Shared helpers for the test_python_* modules: small projects analysed with the Python front."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

from faasguard.analysis.code.analyse import AppCode, ScanCache, analyse_app
from faasguard.api import ScanOptions
from faasguard.engine import load_applications

EVENTS = {
    "api": "Type: Api\n          Properties: {Path: /run, Method: get}",
    "httpapi": "Type: HttpApi\n          Properties: {Path: /run, Method: post}",
    "proxy": "Type: Api\n          Properties: {Path: '/{proxy+}', Method: any}",
    "s3": "Type: S3\n          Properties: {Bucket: !Ref Bucket, Events: s3:ObjectCreated:*}",
    "sqs": "Type: SQS\n          Properties: {Queue: !GetAtt Queue.Arn}",
    "schedule": "Type: Schedule\n          Properties: {Schedule: rate(1 hour)}",
}


def sam(handler: str, event: str | None = "api", code_uri: str = "src/", extra: tuple[str, ...] = ()) -> str:
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
        "      Runtime: python3.12",
        *(f"      {x}" for x in extra),
    ]
    if event is not None:
        lines += ["      Events:", "        Trigger:", "          " + EVENTS[event]]
    return "\n".join(lines) + "\n"


def write(root: Path, files: Mapping[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def analyse(root: Path, files: Mapping[str, str] | None = None) -> tuple[AppCode, ScanCache]:
    if files is not None:
        write(root, files)
    resolved = root.resolve()
    apps, _, _ = load_applications(resolved, ScanOptions(use_config=False))
    assert len(apps) == 1, apps
    cache = ScanCache(resolved)
    return analyse_app(apps[0], cache), cache


def flows(root: Path, files: Mapping[str, str] | None = None) -> set[tuple[str, str, str]]:
    """{(family, field, "path:line")} of every flow of the project's functions."""
    code, _ = analyse(root, files)
    return {
        (f.family, f.field, f"{f.sink_ref.path}:{f.sink_ref.line}")
        for fc in code.functions.values()
        for f in fc.flows
    }
