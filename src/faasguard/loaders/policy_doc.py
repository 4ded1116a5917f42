"""IAM policy documents (already resolved) into the model's Policy and Statement."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faasguard.loaders.intrinsics import RefTo
from faasguard.loaders.nodes import LMap, line_of
from faasguard.model import Policy, SourceRef, Statement, Unknown
from faasguard.model.app import Str


def _text(value: object) -> Str:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, RefTo):
        return value.placeholder()
    if isinstance(value, (str, int, float, bool)):
        return str(value)
    return Unknown("a non-string value where IAM expects a string")


def str_list(value: object) -> tuple[Str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(_text(v) for v in value)
    return (_text(value),)


def _principals(value: object) -> Mapping[str, tuple[Str, ...]] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return {"*": (value,)} if value == "*" else {"AWS": (value,)}
    if isinstance(value, dict):
        return {str(k): str_list(v) for k, v in value.items()}
    return {"?": (Unknown("principal could not be resolved"),)}


def _props(stmt: LMap, path: str) -> dict[str, SourceRef]:
    return {k: SourceRef(path, line, line) for k, line in stmt.key_lines.items()}


def parse_statement(stmt: Any, path: str, default_line: int) -> Statement:
    line = line_of(stmt, default_line)
    src = SourceRef(path, line, getattr(stmt, "end_line", 0) or line)
    if not isinstance(stmt, dict):
        return Statement("Allow", src, unresolved=True)
    effect = stmt.get("Effect", "Allow")
    conditions: dict[str, Mapping[str, object]] = {}
    cond = stmt.get("Condition")
    if isinstance(cond, dict):
        for op, body in cond.items():
            if isinstance(body, dict):
                conditions[str(op)] = {str(k): v for k, v in body.items()}
    return Statement(
        effect=effect if isinstance(effect, str) else "Allow",
        source=src,
        actions=str_list(stmt.get("Action")),
        not_actions=str_list(stmt.get("NotAction")),
        resources=str_list(stmt.get("Resource")),
        not_resources=str_list(stmt.get("NotResource")),
        principals=_principals(stmt.get("Principal")),
        not_principals=_principals(stmt.get("NotPrincipal")),
        conditions=conditions,
        sid=stmt.get("Sid") if isinstance(stmt.get("Sid"), str) else None,
        props=_props(stmt, path) if isinstance(stmt, LMap) else {},
    )


def parse_policy(doc: Any, name: str, path: str, default_line: int, origin: str = "inline") -> Policy:
    line = line_of(doc, default_line)
    src = SourceRef(path, line, getattr(doc, "end_line", 0) or line)
    if not isinstance(doc, dict):
        return Policy(name, src, origin=origin, unresolved=True)
    statements = doc.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        return Policy(name, src, origin=origin, unresolved=True)
    return Policy(name, src, tuple(parse_statement(s, path, line) for s in statements), origin=origin)
