"""The one way files are read: confined to the scan root, size-, depth-, alias- and time-bounded.

YAML (and JSON, which the YAML parser reads too) is built from libyaml's event stream by an
iterative builder instead of PyYAML's recursive composer: nesting depth, the number of values
(alias expansions included) and wall time are checked as events arrive, so a hostile file stops
at a bound instead of exhausting the stack, memory or the clock. libyaml itself keeps explicit
stacks, and the input size is capped before parsing, so each event costs bounded work.
"""

from __future__ import annotations

import json
import os
import stat
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from faasguard.limits import DEFAULT_LIMITS, Limits
from faasguard.loaders.nodes import LList, LMap, LStr


class ReadFailure(Exception):
    """A file that could not be read or parsed; becomes an `errors` entry."""

    def __init__(self, message: str, line: int | None = None, kind: str = "parse") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.kind = kind


@lru_cache(maxsize=4096)
def _real_dir(folder: str) -> str:
    return os.path.realpath(folder)


def is_inside(path: Path, root: Path) -> bool:
    """True when `path`, with every symlink resolved, stays under `root` (already resolved)."""
    try:
        if os.path.islink(path):
            real = Path(os.path.realpath(path))
        else:  # folders repeat across files: resolve each once
            real = Path(_real_dir(str(path.parent))) / path.name
    except (OSError, RuntimeError, ValueError):
        return False
    return real == root or root in real.parents


def read_bytes(path: Path, root: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    if not is_inside(path, root):
        raise ReadFailure("refused: the path resolves outside the scanned folder", kind="outside-root")
    try:
        # Non-blocking open, then fstat: a FIFO or device named like a template must not hang us.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ReadFailure("not a regular file", kind="io")
            if info.st_size > limits.max_file_bytes:
                raise ReadFailure(
                    f"file is {info.st_size} bytes, over the max_file_bytes bound ({limits.max_file_bytes})",
                    kind="bound",
                )
            data = fh.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise ReadFailure(f"cannot read file: {exc.strerror or exc}", kind="io") from exc
    if len(data) > limits.max_file_bytes:
        raise ReadFailure(f"file is over the max_file_bytes bound ({limits.max_file_bytes})", kind="bound")
    return data


def decode_text(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise ReadFailure("binary file (NUL bytes), not a text template", kind="parse")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReadFailure(f"invalid UTF-8 at byte {exc.start}", line=line) from exc
    return text


def read_text(path: Path, root: Path, limits: Limits = DEFAULT_LIMITS) -> str:
    return decode_text(read_bytes(path, root, limits))


# --- YAML -------------------------------------------------------------------------------------

_STR_TAG = "tag:yaml.org,2002:str"
# First characters with which a plain YAML 1.1 scalar can be an int, float, bool or null.
_MAYBE_TYPED = frozenset("0123456789+-.~nNtTfFyYoO")
# CloudFormation short forms; `!Ref` and `!Condition` keep their names, the rest become Fn::X.
_BARE_TAGS = {"!Ref": "Ref", "!Condition": "Condition"}


def _intrinsic_key(tag: str) -> str | None:
    if tag in _BARE_TAGS:
        return _BARE_TAGS[tag]
    if tag.startswith("!") and not tag.startswith("!!") and len(tag) > 1:
        return "Fn::" + tag[1:]
    return None


@dataclass
class _Frame:
    value: LMap | LList
    anchor: str | None
    size: int
    intrinsic: str | None
    intrinsic_line: int
    pending_key: object = None
    has_key: bool = False
    key_line: int = 0


_NO_KEY = object()
_MAX_KEY_CHARS = 1024


class _Builder:
    def __init__(self, name: str, limits: Limits) -> None:
        import yaml

        self._yaml = yaml
        self.name = name
        self.limits = limits
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.nodes = 0
        self.deadline = time.monotonic() + limits.parse_seconds
        self._resolver = yaml.resolver.Resolver()
        self._constructor = yaml.constructor.SafeConstructor()

    def scalar(self, event: Any) -> Any:
        line = event.start_mark.line + 1
        value: str = event.value
        tag: str | None = event.tag
        if tag and tag not in ("!", _STR_TAG):
            key = _intrinsic_key(tag)
            if key is not None:
                return self._wrap_intrinsic(key, LStr(value, line), line)
            # Other explicit tags (!!int, ...): construct as YAML says.
            return self._construct(tag, value, line)
        if not event.implicit[0] or tag == _STR_TAG or tag == "!":  # quoted or block: a string
            return LStr(value, line)
        if value and value[0] not in _MAYBE_TYPED:  # most scalars: no resolver needed
            return LStr(value, line)
        resolved: str = self._resolver.resolve(  # type: ignore[no-untyped-call]
            self._yaml.ScalarNode, value, (True, False)
        )
        if resolved == _STR_TAG or resolved == "tag:yaml.org,2002:timestamp":
            return LStr(value, line)  # templates mean dates like 2012-10-17 as strings
        return self._construct(resolved, value, line)

    def _construct(self, tag: str, value: str, line: int) -> Any:
        node = self._yaml.ScalarNode(tag, value)
        try:
            if tag == "tag:yaml.org,2002:int":
                return self._constructor.construct_yaml_int(node)
            if tag == "tag:yaml.org,2002:float":
                return self._constructor.construct_yaml_float(node)
            if tag == "tag:yaml.org,2002:bool":
                return self._constructor.construct_yaml_bool(node)
            if tag == "tag:yaml.org,2002:null":
                return None
        except (ValueError, TypeError):
            pass
        return LStr(value, line)

    def _wrap_intrinsic(self, key: str, value: Any, line: int) -> LMap:
        if key == "Fn::GetAtt" and isinstance(value, str):
            head, _, tail = value.partition(".")
            pair = LList(line, line)
            pair.extend([LStr(head, line), LStr(tail, line)])
            value = pair
        out = LMap(line, line)
        out[key] = value
        out.key_lines[key] = line
        return out

    def tick(self) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise ReadFailure(
                f"more than {self.limits.max_nodes} values (alias expansion?): over the max_nodes bound",
                kind="bound",
            )

    def build(self, text: str) -> list[Any]:
        yaml = self._yaml
        loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        docs: list[Any] = []
        stack: list[_Frame] = []
        result: Any = None
        count = 0
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        try:
            for event in yaml.parse(text, Loader=loader_cls):
                count += 1
                if count & 1023 == 0 and time.monotonic() > self.deadline:
                    raise ReadFailure(
                        f"parsing took longer than parse_seconds ({self.limits.parse_seconds})", kind="bound"
                    )
                done, value, size = False, None, 1
                kind = type(event)  # exact classes: cheaper than isinstance chains on every event
                if kind is scalar_event:
                    self.nodes += 1
                    if self.nodes > self.limits.max_nodes:
                        self.tick()
                    value = self.scalar(event)
                    if event.anchor:
                        self.anchors[event.anchor] = (value, 1)
                    done = True
                elif kind is alias_event:
                    if event.anchor not in self.anchors:
                        raise ReadFailure(f"unknown alias *{event.anchor}", line=event.start_mark.line + 1)
                    value, size = self.anchors[event.anchor]
                    self.nodes += size
                    if self.nodes > self.limits.max_nodes:
                        raise ReadFailure(
                            f"alias expansion exceeds {self.limits.max_nodes} values (max_nodes bound)",
                            line=event.start_mark.line + 1,
                            kind="bound",
                        )
                    done = True
                elif kind is mapping_start or kind is sequence_start:
                    self.tick()
                    if len(stack) >= self.limits.max_depth:
                        raise ReadFailure(
                            f"nesting deeper than {self.limits.max_depth} (max_depth bound)",
                            line=event.start_mark.line + 1,
                            kind="bound",
                        )
                    line = event.start_mark.line + 1
                    container: LMap | LList = LMap(line, line) if kind is mapping_start else LList(line, line)
                    tag = event.tag
                    intrinsic = _intrinsic_key(tag) if tag else None
                    stack.append(_Frame(container, event.anchor, 1, intrinsic, line))
                elif kind is mapping_end or kind is sequence_end:
                    frame = stack.pop()
                    frame.value.end_line = max(event.end_mark.line + 1, frame.value.line)
                    value, size = frame.value, frame.size
                    if frame.intrinsic is not None:
                        value = self._wrap_intrinsic(frame.intrinsic, value, frame.intrinsic_line)
                    if frame.anchor:
                        self.anchors[frame.anchor] = (value, size)
                    done = True
                elif isinstance(event, yaml.DocumentStartEvent):
                    self.anchors.clear()
                elif isinstance(event, yaml.DocumentEndEvent):
                    docs.append(result)
                    result = None
                    if len(docs) > self.limits.max_documents:
                        raise ReadFailure(
                            f"more than {self.limits.max_documents} YAML documents (max_documents bound)",
                            kind="bound",
                        )
                if done:
                    if not stack:
                        result = value
                    else:
                        self._add(stack[-1], value, size, event)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            problem = exc.problem or str(exc)
            raise ReadFailure(f"invalid YAML: {problem}", line=line) from None
        except yaml.YAMLError as exc:
            raise ReadFailure(f"invalid YAML: {exc}") from None
        return docs

    def _add(self, frame: _Frame, value: Any, size: int, event: Any) -> None:
        frame.size += size
        container = frame.value
        if isinstance(container, LList):
            container.append(value)
            return
        if not frame.has_key:
            frame.pending_key = value
            frame.has_key = True
            frame.key_line = event.start_mark.line + 1
            return
        key = frame.pending_key
        frame.has_key = False
        if key == "<<" and isinstance(value, (LMap, LList)):  # YAML merge key
            sources = [value] if isinstance(value, LMap) else [v for v in value if isinstance(v, LMap)]
            for src in sources:
                for k, v in src.items():
                    if k not in container:
                        container[k] = v
                        container.key_lines[k] = src.key_lines.get(k, src.line)
            return
        # A map or list as a key (never in a real template) is named by its JSON, cut short: the
        # JSON of a key holding a key re-escapes it, doubling in size at each level of nesting.
        skey = key if isinstance(key, str) else json.dumps(key, default=str)[:_MAX_KEY_CHARS]
        container[str(skey)] = value
        container.key_lines[str(skey)] = frame.key_line


def parse_yaml(text: str, name: str = "<string>", limits: Limits = DEFAULT_LIMITS) -> list[Any]:
    """All documents of a YAML (or JSON) text, as line-aware values."""
    return _Builder(name, limits).build(text)


def parse_json(text: str, name: str = "<string>", limits: Limits = DEFAULT_LIMITS) -> Any:
    """A JSON document with lines. The YAML reader takes nearly all JSON; a file it rejects is
    read again by the json module (without lines) so valid JSON never fails."""
    try:
        docs = parse_yaml(text, name, limits)
        return docs[0] if docs else None
    except ReadFailure as yaml_failure:
        if yaml_failure.kind == "bound":
            raise
        try:
            return _as_nodes(json.loads(text), limits)
        except RecursionError:
            raise ReadFailure(
                f"nesting deeper than {limits.max_depth} (max_depth bound)", kind="bound"
            ) from None
        except json.JSONDecodeError as exc:
            raise ReadFailure(f"invalid JSON: {exc.msg}", line=exc.lineno) from None


def _as_nodes(value: Any, limits: Limits) -> Any:
    """The json module's values as line-aware nodes (all on line 1: it keeps no lines), so a JSON
    file only the json module reads loads like any other instead of reaching a loader as plain
    dicts. Iterative, with the same depth bound as the YAML reader."""

    def node(v: Any) -> Any:
        if isinstance(v, dict):
            return LMap(1, 1)
        if isinstance(v, list):
            return LList(1, 1)
        return LStr(v, 1) if isinstance(v, str) else v

    top = node(value)
    stack: list[tuple[Any, Any, int]] = [(value, top, 1)] if isinstance(value, dict | list) else []
    while stack:
        src, dst, depth = stack.pop()
        if depth > limits.max_depth:
            raise ReadFailure(f"nesting deeper than {limits.max_depth} (max_depth bound)", kind="bound")
        for key, v in src.items() if isinstance(src, dict) else zip(range(len(src)), src, strict=True):
            child = node(v)
            if isinstance(dst, LMap):
                dst[str(key)] = child
                dst.key_lines[str(key)] = 1
            else:
                dst.append(child)
            if isinstance(v, dict | list):
                stack.append((v, child, depth + 1))
    return top


def load_structured(path: Path, root: Path, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Read and parse one YAML or JSON file (first document)."""
    text = read_text(path, root, limits)
    if path.suffix.lower() == ".json":
        return parse_json(text, str(path), limits)
    docs = parse_yaml(text, str(path), limits)
    return docs[0] if docs else None
