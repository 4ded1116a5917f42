"""IAM policies written in Terraform: `aws_iam_policy_document` data sources, `jsonencode(...)`,
heredoc and `file()` JSON. Each becomes the model's Policy / Statement, with the file and line of
every statement element (a policy may be assembled in another file or module than its user)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from faasguard.loaders.intrinsics import RefTo
from faasguard.loaders.policy_doc import _principals, str_list
from faasguard.loaders.tf_values import TList, TMap, TStr
from faasguard.model import Policy, SourceRef, Statement, Unknown

if TYPE_CHECKING:
    from faasguard.loaders.tf_eval import BlockView, Evaluator


def _line(view: BlockView, name: str) -> int:
    ref = view.at(name)
    return ref.line if ref is not None else view.src.line


def _as_list(value: object, path: str, line: int) -> object:
    if isinstance(value, (list, Unknown)):
        return value
    if value is None:
        return None
    out = TList(path, line, line)
    out.add(value, line)
    return out


def document_from_block(view: BlockView, ev: Evaluator) -> TMap:
    """A data "aws_iam_policy_document" as the IAM JSON document it renders, with lines."""
    path = view.path
    src = view.src
    doc = TMap(path, src.line, src.end_line or src.line)
    doc.put("Version", view.get("version") or "2012-10-17", path, _line(view, "version"))
    statements = TList(path, src.line, src.end_line or src.line)
    by_sid: dict[str, int] = {}

    def add(stmt: object, line: int) -> None:
        sid = stmt.get("Sid") if isinstance(stmt, dict) else None
        if isinstance(sid, str) and sid and sid in by_sid:
            statements[by_sid[sid]] = stmt
            statements.item_lines[by_sid[sid]] = line
            return
        if isinstance(sid, str) and sid:
            by_sid[sid] = len(statements)
        statements.add(stmt, line)

    for key in ("source_policy_documents", "source_json"):
        sources = view.get(key)
        for src_doc in sources if isinstance(sources, list) else ([sources] if sources is not None else []):
            for stmt, line in _statements_of(src_doc, ev, SourceRef(path, _line(view, key))):
                add(stmt, line)
    for block in view.blocks("statement"):
        add(_statement(block), block.src.line)
    for key in ("override_policy_documents", "override_json"):
        overrides = view.get(key)
        for over in (
            overrides if isinstance(overrides, list) else ([overrides] if overrides is not None else [])
        ):
            for stmt, line in _statements_of(over, ev, SourceRef(path, _line(view, key))):
                add(stmt, line)
    doc.put("Statement", statements, path, src.line)
    return doc


def _statements_of(value: object, ev: Evaluator, where: SourceRef) -> list[tuple[object, int]]:
    doc = policy_document(value, ev, where)
    if not isinstance(doc, dict):
        return [(ev.unknown("a source policy document that could not be resolved", where), where.line)]
    stmts = doc.get("Statement")
    if isinstance(stmts, dict):
        stmts = [stmts]
    if not isinstance(stmts, list):
        return [(ev.unknown("source policy statements", where), where.line)]
    lines = getattr(stmts, "item_lines", [])
    return [(s, lines[i] if i < len(lines) else where.line) for i, s in enumerate(stmts)]


def _statement(block: BlockView) -> TMap:
    path = block.path
    src = block.src
    out = TMap(path, src.line, src.end_line or src.line)
    for attr, key in (("sid", "Sid"), ("effect", "Effect")):
        if block.has(attr):
            out.put(key, block.get(attr), path, _line(block, attr))
    if "Effect" not in out:
        out.put("Effect", "Allow", path, 0)
    for attr, key in (
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ):
        if block.has(attr):
            line = _line(block, attr)
            out.put(key, _as_list(block.get(attr), path, line), path, line)
    for kind, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        blocks = block.blocks(kind)
        if not blocks:
            continue
        principal = TMap(path, blocks[0].src.line, blocks[0].src.end_line or blocks[0].src.line)
        for p in blocks:
            ptype = p.get("type")
            ids = p.get("identifiers")
            name = ptype if isinstance(ptype, str) else "?"
            previous = principal.get(name)
            merged = TList(path, p.src.line, p.src.line)
            if isinstance(previous, list):
                for x in previous:
                    merged.add(x, p.src.line)
            if isinstance(ids, list):
                for i, x in enumerate(ids):
                    merged.add(
                        x,
                        ids.item_lines[i]
                        if isinstance(ids, TList) and i < len(ids.item_lines)
                        else p.src.line,
                    )
            elif ids is not None:
                merged.add(ids, p.src.line)
            principal.put(name, merged if not isinstance(ids, Unknown) else ids, path, p.src.line)
        if list(principal) == ["*"]:
            out.put(key, "*", path, blocks[0].src.line)
        else:
            out.put(key, principal, path, blocks[0].src.line)
    conditions = block.blocks("condition")
    if conditions:
        cond = TMap(path, conditions[0].src.line, conditions[-1].src.end_line or conditions[-1].src.line)
        for c in conditions:
            test, variable, values = c.get("test"), c.get("variable"), c.get("values")
            op = test if isinstance(test, str) else "?"
            body = cond.get(op)
            if not isinstance(body, TMap):
                body = TMap(path, c.src.line, c.src.end_line or c.src.line)
                cond.put(op, body, path, c.src.line)
            body.put(variable if isinstance(variable, str) else "?", values, path, c.src.line)
        out.put("Condition", cond, path, conditions[0].src.line)
    return out


def policy_document(value: object, ev: Evaluator, where: SourceRef) -> object:
    """A policy argument's document: a map with lines, or Unknown."""
    from faasguard.loaders.tf_eval import decode_json_text

    if isinstance(value, TStr) and value.data is not None:
        return value.data
    if isinstance(value, dict):
        return value
    if isinstance(value, Unknown):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text.startswith("{"):
            return ev.unknown("a policy that is not a JSON document", where)
        if not isinstance(value, TStr) or not value.path:
            value = TStr(str(value), where.path, where.line)
        return decode_json_text(ev, value, where)
    if isinstance(value, RefTo):
        return ev.unknown(f"a policy from {value.logical_id}, known only after deployment", where)
    return ev.unknown("a policy that could not be resolved", where)


def _condition_value(value: object) -> object:
    if isinstance(value, list):
        return [_condition_value(v) for v in value]
    if isinstance(value, RefTo):
        return value.placeholder()
    if isinstance(value, str):
        return str(value)
    return value


def _ref(m: TMap, key: str, fallback: SourceRef) -> SourceRef:
    return m.ref(key) if key in m.key_lines else fallback


def parse_statement(stmt: object, fallback: SourceRef) -> Statement:
    if not isinstance(stmt, dict):
        return Statement("Allow", fallback, unresolved=True)
    src = stmt.ref() if isinstance(stmt, TMap) and stmt.line else fallback
    props: dict[str, SourceRef] = {}
    if isinstance(stmt, TMap):
        props = {k: _ref(stmt, k, src) for k in stmt if k in stmt.key_lines}
    effect = stmt.get("Effect", "Allow")
    conditions: dict[str, Mapping[str, object]] = {}
    cond = stmt.get("Condition")
    if isinstance(cond, dict):
        for op, body in cond.items():
            if isinstance(body, dict):
                conditions[str(op)] = {str(k): _condition_value(v) for k, v in body.items()}
    unresolved = isinstance(stmt.get("Action"), Unknown) or isinstance(stmt.get("NotAction"), Unknown)
    return Statement(
        effect=effect if isinstance(effect, str) else "Allow",
        source=src,
        actions=str_list(stmt.get("Action")) if not isinstance(stmt.get("Action"), Unknown) else (),
        not_actions=str_list(stmt.get("NotAction")) if not isinstance(stmt.get("NotAction"), Unknown) else (),
        resources=str_list(stmt.get("Resource")),
        not_resources=str_list(stmt.get("NotResource")),
        principals=_principals(stmt.get("Principal")),
        not_principals=_principals(stmt.get("NotPrincipal")),
        conditions=conditions,
        sid=str(stmt["Sid"]) if isinstance(stmt.get("Sid"), str) else None,
        unresolved=unresolved,
        props=props,
    )


def parse_policy(value: object, name: str, where: SourceRef, ev: Evaluator, origin: str = "inline") -> Policy:
    """A policy argument (document, JSON text, jsonencode or policy-document reference) as a Policy.
    `where` is the argument's own location, used when the document has no lines of its own."""
    doc = policy_document(value, ev, where)
    if not isinstance(doc, dict):
        return Policy(name, where, origin=origin, unresolved=True)
    src = doc.ref() if isinstance(doc, TMap) and doc.line else where
    statements = doc.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        return Policy(name, src, origin=origin, unresolved=True)
    out = []
    lines = getattr(statements, "item_lines", [])
    for i, stmt in enumerate(statements):
        fallback = SourceRef(src.path, lines[i], lines[i]) if i < len(lines) and lines[i] else src
        out.append(parse_statement(stmt, fallback))
    return Policy(name, src, tuple(out), origin=origin)


__all__ = ["document_from_block", "parse_policy", "parse_statement", "policy_document", "str_list"]
