"""Bounds on what a scan reads. Every number is a documented, overridable setting."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Limits:
    # A CloudFormation template body may be at most 1 MB; leave room for CDK output and JSON.
    max_file_bytes: int = 5 * 1024 * 1024
    # Deeper nesting than this never occurs in real templates; it is an attack on the parser.
    max_depth: int = 200
    # Values built per file, counting every alias expansion: stops "billion laughs" documents.
    max_nodes: int = 2_000_000
    # YAML documents per file (templates have one; serverless.yml has one).
    max_documents: int = 8
    # Wall-clock seconds to parse one file.
    parse_seconds: float = 10.0
    # Files visited during discovery before the walk stops (reported as an error).
    max_files: int = 200_000

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


DEFAULT_LIMITS = Limits()
