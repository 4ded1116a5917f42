"""Values of evaluated Terraform expressions, and where they were written.

Maps and lists are the reader's line-aware `LMap` / `LList` with the file they come from (a
module's value may travel into another file). Strings may be `TStr`: the text plus the file and
line where it starts (so JSON inside a heredoc or a `file()` keeps its lines), the resource whose
attribute it is (so `aws_iam_role.x.name` still links to the role), and for `jsonencode(...)` the
value it encodes. A reference to what only exists after deployment (an ARN, an id) is a
`RefTo(address, attribute)`, shown inside strings as `${address.attribute}`, the same convention
the CloudFormation loader uses for `!GetAtt`.
"""

from __future__ import annotations

import json
import math
from typing import Any

from faasguard.loaders.intrinsics import RefTo
from faasguard.loaders.nodes import LList, LMap
from faasguard.model import SourceRef, Unknown


class TStr(str):
    __slots__ = ("data", "line", "path", "target")
    path: str | None
    line: int
    target: str | None
    data: object

    def __new__(
        cls,
        value: str,
        path: str | None = None,
        line: int = 0,
        target: str | None = None,
        data: object = None,
    ) -> TStr:
        obj = super().__new__(cls, value)
        obj.path = path
        obj.line = line
        obj.target = target
        obj.data = data
        return obj


class TMap(LMap):
    __slots__ = ("key_paths", "path")

    def __init__(self, path: str = "", line: int = 0, end_line: int = 0) -> None:
        super().__init__(line, end_line)
        self.path = path
        self.key_paths: dict[str, str] = {}

    def ref(self, key: str | None = None) -> SourceRef:
        if key is not None and key in self.key_lines:
            line = self.key_lines[key]
            return SourceRef(self.key_paths.get(key, self.path), line, line)
        return SourceRef(self.path, self.line or 1, max(self.end_line, self.line or 1))

    def put(self, key: str, value: object, path: str, line: int) -> None:
        self[key] = value
        if line:
            self.key_lines[key] = line
        if path != self.path:
            self.key_paths[key] = path


class TList(LList):
    __slots__ = ("item_lines", "path")

    def __init__(self, path: str = "", line: int = 0, end_line: int = 0) -> None:
        super().__init__(line, end_line)
        self.path = path
        self.item_lines: list[int] = []

    def add(self, value: object, line: int) -> None:
        self.append(value)
        self.item_lines.append(line)

    def ref(self, i: int | None = None) -> SourceRef:
        if i is not None and i < len(self.item_lines) and self.item_lines[i]:
            line = self.item_lines[i]
            return SourceRef(self.path, line, line)
        return SourceRef(self.path, self.line or 1, max(self.end_line, self.line or 1))


class Many:
    """`each.value` of a resource with for_each: the values of every element. Traversals apply to
    each; any other use collapses to the common value, or Unknown when the elements differ."""

    __slots__ = ("values",)

    def __init__(self, values: list[object]) -> None:
        self.values = values


def plain(value: object, depth: int = 0) -> Any:
    """JSON-able Python for a value (placeholders for references and unknowns)."""
    if depth > 200:
        return None
    if isinstance(value, dict):
        return {str(k): plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v, depth + 1) for v in value]
    if isinstance(value, RefTo):
        return value.placeholder()
    if isinstance(value, Unknown):
        return str(value)
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        return int(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value if not isinstance(value, str) else str(value)
    return None


def json_text(value: object) -> str:
    return json.dumps(plain(value), separators=(",", ":"), sort_keys=False)


def number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def has_unknown(value: object, depth: int = 0) -> bool:
    if isinstance(value, Unknown) or depth > 200:
        return True
    if isinstance(value, dict):
        return any(has_unknown(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(has_unknown(v, depth + 1) for v in value)
    return False


def first_unknown(value: object, depth: int = 0) -> Unknown | None:
    if isinstance(value, Unknown):
        return value
    if depth > 200:
        return Unknown("nested too deeply")
    if isinstance(value, dict):
        for v in value.values():
            u = first_unknown(v, depth + 1)
            if u is not None:
                return u
    elif isinstance(value, list):
        for v in value:
            u = first_unknown(v, depth + 1)
            if u is not None:
                return u
    return None


def target_of(value: object) -> str | None:
    """The resource address a value refers to (a reference, or a configured attribute of it)."""
    if isinstance(value, RefTo):
        return value.logical_id
    if isinstance(value, TStr) and value.target:
        return value.target
    if isinstance(value, str) and value.startswith("${") and value.endswith("}") and value.count("${") == 1:
        inner = value[2:-1]
        return _address_of(inner)
    return None


def _address_of(text: str) -> str | None:
    """'module.m.aws_x.y.arn' -> 'module.m.aws_x.y'; 'data.t.n.a' -> 'data.t.n'."""
    parts = text.split(".")
    i = 0
    while i + 1 < len(parts) and parts[i] == "module":
        i += 2
    if i < len(parts) and parts[i] == "data":
        i += 1
    if i + 1 >= len(parts):
        return None
    return ".".join(parts[: i + 2])


def addresses_in(text: str) -> list[str]:
    """Every resource address named by a `${...}` placeholder inside a string."""
    out: list[str] = []
    start = 0
    while True:
        i = text.find("${", start)
        if i < 0:
            return out
        j = text.find("}", i)
        if j < 0:
            return out
        addr = _address_of(text[i + 2 : j])
        if addr is not None:
            out.append(addr)
        start = j + 1


__all__ = [
    "Many",
    "RefTo",
    "TList",
    "TMap",
    "TStr",
    "addresses_in",
    "first_unknown",
    "has_unknown",
    "json_text",
    "number_text",
    "plain",
    "target_of",
]
