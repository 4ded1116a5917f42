"""Parsing JavaScript and TypeScript with tree-sitter, loaded on first use.

The grammars come from the `tree-sitter-javascript` and `tree-sitter-typescript` wheels, which
bundle the compiled parsers: nothing is downloaded or built at run time. The bindings are
imported the first time a JavaScript or TypeScript file is parsed, so a scan of Python-only
applications never pays for them.

Bounds: the file size is bounded by the reader (`MAX_CODE_BYTES`); a parse that runs past
`PARSE_TIMEOUT_S` is abandoned; minified or bundled code (very long lines) is refused, since it
is generated and its lines say nothing to a reader.
"""

from __future__ import annotations

import time
from functools import cache
from typing import Any

PARSE_TIMEOUT_S = 5.0
# A line longer than this, or an average line longer than MAX_AVERAGE_LINE, is generated code.
MAX_LINE = 5000
MAX_AVERAGE_LINE = 300

TS_SUFFIXES = (".ts", ".mts", ".cts")
TSX_SUFFIXES = (".tsx",)


class ParseBound(ValueError):
    """The file is outside what the front analyses (minified, too slow to parse)."""


@cache
def _parsers() -> dict[str, Any]:
    import tree_sitter
    import tree_sitter_javascript
    import tree_sitter_typescript

    return {
        "javascript": tree_sitter.Parser(tree_sitter.Language(tree_sitter_javascript.language())),
        "typescript": tree_sitter.Parser(tree_sitter.Language(tree_sitter_typescript.language_typescript())),
        "tsx": tree_sitter.Parser(tree_sitter.Language(tree_sitter_typescript.language_tsx())),
    }


def dialect(path: str) -> str:
    lower = path.lower()
    if lower.endswith(TS_SUFFIXES):
        return "typescript"
    if lower.endswith(TSX_SUFFIXES):
        return "tsx"
    return "javascript"


def check_generated(text: str) -> None:
    lines = text.count("\n") + 1
    if len(text) / lines > MAX_AVERAGE_LINE or any(len(line) > MAX_LINE for line in text.split("\n")):
        raise ParseBound("minified or generated code (very long lines) is not analysed")


def parse(path: str, source: bytes) -> Any:
    """The tree-sitter tree of a file (error-tolerant: syntax errors become ERROR nodes)."""
    parser = _parsers()[dialect(path)]
    deadline = time.monotonic() + PARSE_TIMEOUT_S

    def read(offset: int, _point: object) -> bytes:
        return source[offset : offset + 65536]

    def progress(*_state: object) -> bool:
        return time.monotonic() > deadline  # True cancels the parse

    try:
        tree = parser.parse(read, progress_callback=progress)
    except ValueError as exc:
        raise ParseBound(f"parsing took longer than {PARSE_TIMEOUT_S:g} s") from exc
    if tree is None:
        raise ParseBound("the parser gave no tree")
    return tree


def first_error(root: Any) -> tuple[int, str] | None:
    """Line and description of the first syntax error in a tree, or None."""
    if not root.has_error:
        return None
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            what = f"missing {node.type}" if node.is_missing else "unexpected syntax"
            return node.start_point[0] + 1, what
        if node.has_error:
            stack.extend(reversed(node.children))
    return root.start_point[0] + 1, "unexpected syntax"
