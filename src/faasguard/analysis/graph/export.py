"""The attack graph as JSON (a plain document) and as Graphviz DOT.

Both are deterministic: applications, nodes and edges in a fixed order. Names come from scanned
files and may be hostile (quotes, backslashes, newlines, control characters, lone surrogates
from undecodable file names): DOT strings escape every one of them, so a name can never close
its string or add a statement; JSON escapes them through the encoder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from faasguard.analysis.graph.model import AttackGraph, AttackPath, Edge, Node
from faasguard.model import SourceRef

FORMAT_VERSION = "1"


def _where(ref: SourceRef | None) -> dict[str, object] | None:
    return None if ref is None else {"path": ref.path, "line": ref.line}


def _node(n: Node) -> dict[str, object]:
    return {"kind": n.kind, "id": n.id, "label": n.label, "location": _where(n.source), "entry": n.entry}


def _edge(e: Edge) -> dict[str, object]:
    return {
        "kind": e.kind,
        "source": e.source,
        "target": e.target,
        "label": e.label,
        "location": _where(e.where),
    }


def _path(p: AttackPath) -> dict[str, object]:
    return {
        "kind": p.kind,
        "function": p.function,
        "severity": "critical" if p.critical else "high",
        "summary": p.summary,
        "entries": list(p.entries),
        "hops": [
            {"kind": h.kind, "id": h.id, "label": h.label, "message": h.message, **(_where(h.source) or {})}
            for h in p.hops
        ],
    }


def to_document(graphs: Sequence[tuple[str, AttackGraph]]) -> dict[str, object]:
    """The graphs of several applications (application folder, graph) as one JSON document."""
    return {
        "version": FORMAT_VERSION,
        "applications": [
            {
                "application": root,
                "nodes": [_node(n) for n in g.sorted_nodes()],
                "edges": [_edge(e) for e in g.sorted_edges()],
                "paths": [_path(p) for p in g.paths],
            }
            for root, g in sorted(graphs, key=lambda item: item[0])
        ],
    }


def to_json(graphs: Sequence[tuple[str, AttackGraph]]) -> str:
    # ensure_ascii: lone surrogates and control characters become \u escapes, always valid JSON.
    return json.dumps(to_document(graphs), indent=2, ensure_ascii=True) + "\n"


def dot_string(text: str) -> str:
    """A DOT double-quoted string holding `text` literally, whatever it contains."""
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0 or code in (0x2028, 0x2029):
            out.append(f"\\\\x{code:02x}")  # shown as the escape, never interpreted
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\\\u{code:04x}")  # a lone surrogate cannot be written as UTF-8
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_SHAPES = {
    "route": "house",
    "function-url": "house",
    "open-invoke": "house",
    "function": "box",
    "role": "hexagon",
    "flaw": "octagon",
    "store": "cylinder",
    "secret": "note",
    "account": "doubleoctagon",
}


def to_dot(graphs: Sequence[tuple[str, AttackGraph]]) -> str:
    lines = ["digraph faasguard {", "  rankdir=LR;", "  node [fontname=Helvetica];"]
    for index, (root, g) in enumerate(sorted(graphs, key=lambda item: item[0])):
        prefix = f"{root}#"
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f"    label={dot_string(root)};")
        for n in g.sorted_nodes():
            label = n.label + (f"\n{n.source.path}:{n.source.line}" if n.source is not None else "")
            attrs = [f"label={dot_string(label)}", f"shape={_SHAPES.get(n.kind, 'ellipse')}"]
            if n.entry:
                attrs.append("color=red")
            attrs.append(f"kind={dot_string(n.kind)}")
            lines.append(f"    {dot_string(prefix + n.id)} [{', '.join(attrs)}];")
        for e in g.sorted_edges():
            attrs = [
                f"label={dot_string(e.kind)}",
                f"tooltip={dot_string(e.label)}",
                f"kind={dot_string(e.kind)}",
            ]
            ends = f"{dot_string(prefix + e.source)} -> {dot_string(prefix + e.target)}"
            lines.append(f"    {ends} [{', '.join(attrs)}];")
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"
