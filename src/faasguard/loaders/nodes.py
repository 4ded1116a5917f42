"""Parsed YAML/JSON values that remember their lines.

Mappings and sequences are dict/list subclasses carrying `line`/`end_line`; a mapping also keeps
the line of each key so a rule can point at `Timeout: 900` itself. Scalars stay plain Python
values (their line is their key's line); strings are `LStr` so list items keep theirs too.
"""

from __future__ import annotations

from typing import Any


class LMap(dict[str, Any]):
    __slots__ = ("end_line", "key_lines", "line")

    def __init__(self, line: int = 0, end_line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.end_line = end_line
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LList(list[Any]):
    __slots__ = ("end_line", "line")

    def __init__(self, line: int = 0, end_line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.end_line = end_line


class LStr(str):
    __slots__ = ("line",)
    line: int

    def __new__(cls, value: str, line: int = 0) -> LStr:
        obj = super().__new__(cls, value)
        obj.line = line
        return obj


def line_of(value: object, default: int = 0) -> int:
    """The line where a parsed value starts, when it knows it."""
    line = getattr(value, "line", None)
    return line if isinstance(line, int) and line > 0 else default


def end_line_of(value: object, default: int = 0) -> int:
    end = getattr(value, "end_line", None)
    return end if isinstance(end, int) and end > 0 else default
