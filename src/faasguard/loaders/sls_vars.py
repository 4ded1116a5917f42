"""Serverless Framework variables, resolved statically, bounded and confined to the project.

`${self:path}`, `${sls:stage}`, `${opt:stage}`, `${env:NAME}`, `${param:name}` (--param, then
`params:` / v4 `stages:` for the stage, then their `default`), `${file(./x.yml):key}` (YAML, JSON
or text inside the scan root), `${strToBool(...)}` and `${aws:region}` are evaluated; fallbacks
(`${a, b, 'literal'}`, also the legacy bare `self:...` form) are tried in order. What only a
deployed account or the user's shell knows (`${ssm:}`, `${cf:}`, `${s3:}`, `${aws:accountId}`,
plugin sources, `${file()}` of JavaScript) becomes `Unknown`; no network call is ever made, and
the scanner's own environment is never read (`${env:X, default}` takes its default, or a value
from the project's `.env` files when `useDotenv` asks for them).

Resolution is memoised per parsed node, so each value is resolved once: the cost is linear in
the configuration. Cycles (`a: ${self:b}`, `b: ${self:a}`) are detected, nesting depth and the
total number of expansions are bounded, and each of these becomes an entry in `errors`.

Values read from an included file keep that file: mappings, lists and strings from it are
`FMap` / `FList` / `FStr` (line-aware nodes that also carry `file`), so locations point into the
file where a value is written.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from faasguard.limits import DEFAULT_LIMITS, Limits
from faasguard.loaders.nodes import LList, LMap, LStr, line_of
from faasguard.loaders.reader import ReadFailure, is_inside, parse_json, parse_yaml, read_text
from faasguard.model import Unknown

# Bounds on evaluation (parsing is bounded by the reader's limits).
MAX_NESTING = 32  # variables resolved inside variables (self -> file -> self ...)
MAX_EXPANSIONS = 200_000  # variable expressions evaluated per configuration
MAX_TEXT = 1_000_000  # characters of a string built from variables
MAX_FILES = 256  # distinct ${file()} targets per configuration


class FMap(LMap):
    """A mapping that comes from an included file rather than the main configuration."""

    __slots__ = ("file",)

    def __init__(self, file: str, line: int = 0, end_line: int = 0) -> None:
        super().__init__(line, end_line)
        self.file = file


class FList(LList):
    __slots__ = ("file",)

    def __init__(self, file: str, line: int = 0, end_line: int = 0) -> None:
        super().__init__(line, end_line)
        self.file = file


class FStr(LStr):
    __slots__ = ("file",)
    file: str

    def __new__(cls, value: str, line: int, file: str) -> FStr:
        obj = str.__new__(cls, value)
        obj.line = line
        obj.file = file
        return obj


def file_of(node: object, default: str) -> str:
    """The file a resolved node was read from (`default`: the main configuration)."""
    found = getattr(node, "file", None)
    return found if isinstance(found, str) else default


class _Missing:
    """No value at that address: the next fallback applies."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


class _Opaque:
    """A per-deployment value (the account id): opaque text inside strings, Unknown on its own."""

    __slots__ = ("reason", "text")

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason


# An expression is a Serverless variable when it starts with a source name followed by "(" or
# by ":" that is not "::" (CloudFormation's ${AWS::Region} and ${Resource.Arn} are left alone).
_VARIABLE = re.compile(r"\s*[A-Za-z][A-Za-z0-9_-]*\s*(?:\(|:(?!:))")
_SOURCE = re.compile(r"\s*([A-Za-z][A-Za-z0-9_-]*)\s*(?:\((.*)\))?\s*(?::(.*))?", re.DOTALL)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_DEFERRED = {
    "ssm": "an SSM parameter",
    "cf": "a CloudFormation output of another stack",
    "s3": "an S3 object",
    "secrets": "a secret",
    "vault": "a Vault secret",
    "terraform": "a Terraform output",
    "doppler": "a Doppler secret",
    "construct": "a Lift construct",
    "output": "a Serverless Dashboard output",
    "state": "a Serverless state value",
}
_CODE_FILES = (".js", ".cjs", ".mjs", ".ts", ".mts", ".cts")


def is_variable(inner: str) -> bool:
    return _VARIABLE.match(inner) is not None


def split_template(text: str) -> list[str | tuple[str]]:
    """Literal text and `(inner,)` for each top-level Serverless variable `${inner}`."""
    out: list[str | tuple[str]] = []
    literal: list[str] = []
    i, n = 0, len(text)
    while i < n:
        start = text.find("${", i)
        if start < 0:
            literal.append(text[i:])
            break
        literal.append(text[i:start])
        end = _closing(text, start + 2)
        if end < 0:  # unterminated: plain text
            literal.append(text[start:])
            break
        inner = text[start + 2 : end]
        if is_variable(inner):
            if "".join(literal):
                out.append("".join(literal))
            literal = []
            out.append((inner,))
        else:
            literal.append(text[start : end + 1])
        i = end + 1
    if literal and "".join(literal):
        out.append("".join(literal))
    return out


def _closing(text: str, i: int) -> int:
    """Index of the `}` closing the `${` whose body starts at `i`; -1 when there is none."""
    depth = 1
    quote = ""
    n = len(text)
    while i < n:
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "$" and text.startswith("${", i):
            depth += 1
            i += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def split_top(inner: str, sep: str = ",") -> list[str]:
    """Split at `sep` outside nested `${...}`, parentheses and quotes."""
    parts: list[str] = []
    depth = 0
    quote = ""
    current: list[str] = []
    i, n = 0, len(inner)
    while i < n:
        ch = inner[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "$" and inner.startswith("${", i):
            depth += 1
            current.append("${")
            i += 2
            continue
        elif ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append("".join(current))
            current = []
            i += 1
            continue
        current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


class VariableResolver:
    """Resolves one Serverless configuration (the raw parsed document) into plain values."""

    def __init__(
        self,
        config: LMap,
        *,
        root: Path,
        main_rel: str,
        stage: str | None = None,
        params: Mapping[str, str] | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.config = config
        self.root = root
        self.main_rel = main_rel
        self.service_dir = posixpath.dirname(main_rel)
        self.cli_stage = stage
        self.cli_params = dict(params or {})
        self.limits = limits
        self.env: dict[str, str] = {}
        self.errors: list[tuple[str, int | None, str, str]] = []
        self.unknowns = 0
        self.files: list[str] = []  # included files, relative to the scan root
        self._memo: dict[int, tuple[object, Any]] = {}
        self._resolved: set[int] = set()
        self._active: set[int] = set()
        self._keep: list[object] = []  # resolved nodes, kept alive so their ids stay unique
        self._file_cache: dict[str, Any] = {}
        self._reported_missing: set[str] = set()
        self._nesting = 0
        self._expansions = 0
        self._bound_hit = False
        self._stage_pending = False
        self.stage = "dev"
        self.stage = self._select_stage()

    # -- public ---------------------------------------------------------------------------------

    def resolve_config(self) -> LMap:
        out = self.resolve(self.config, self.main_rel)
        return out if isinstance(out, LMap) else LMap()

    def resolve(self, node: Any, file: str) -> Any:
        """The node with every variable in it evaluated (memoised per node)."""
        if isinstance(node, str):
            if "${" not in node:
                if file != self.main_rel and not isinstance(node, FStr):
                    return FStr(node, line_of(node), file)
                return node
            return self._memoised(node, file, self._resolve_string)
        if isinstance(node, (dict, list)):
            return self._memoised(node, file, self._resolve_container)
        return node

    # -- stage ----------------------------------------------------------------------------------

    def _select_stage(self) -> str:
        if self.cli_stage:
            return self.cli_stage
        provider = self.config.get("provider")
        if isinstance(provider, dict) and "stage" in provider:
            self._stage_pending = True
            try:
                value = self.resolve(provider["stage"], self.main_rel)
            finally:
                self._stage_pending = False
            if isinstance(value, str) and value and "${" not in value:
                return str(value)
        return "dev"

    # -- memo -----------------------------------------------------------------------------------

    def _memoised(self, node: Any, file: str, build: Any) -> Any:
        key = id(node)
        if key in self._resolved:
            return node
        hit = self._memo.get(key)
        if hit is not None:
            return hit[1]
        if key in self._active:
            return self._cycle(node, file)
        self._active.add(key)
        try:
            result = build(node, file)
        finally:
            self._active.discard(key)
        self._memo[key] = (node, result)
        if isinstance(result, (dict, list, str)):
            self._resolved.add(id(result))
            self._keep.append(result)
        return result

    def _cycle(self, node: Any, file: str) -> Unknown:
        line = line_of(node) or None
        self.errors.append((file, line, "circular variable reference: left unresolved", "parse"))
        return self.unknown("circular variable reference")

    def unknown(self, reason: str) -> Unknown:
        self.unknowns += 1
        return Unknown(reason)

    # -- containers -----------------------------------------------------------------------------

    def _resolve_container(self, node: Any, file: str) -> Any:
        line = line_of(node)
        end = getattr(node, "end_line", 0) or line
        if isinstance(node, dict):
            out: LMap = FMap(file, line, end) if file != self.main_rel else LMap(line, end)
            key_lines = getattr(node, "key_lines", {})
            for k, v in node.items():
                out[k] = self.resolve(v, file)
                if k in key_lines:
                    out.key_lines[k] = key_lines[k]
            return out
        lst: LList = FList(file, line, end) if file != self.main_rel else LList(line, end)
        for item in node:
            lst.append(self.resolve(item, file))
        return lst

    # -- strings --------------------------------------------------------------------------------

    def _resolve_string(self, text: str, file: str) -> Any:
        line = line_of(text)
        parts = split_template(text)
        if len(parts) == 1 and isinstance(parts[0], tuple):
            value = self._expression(parts[0][0], file, line)
            return self._whole(value, text, file)
        pieces: list[str] = []
        for part in parts:
            if isinstance(part, str):
                pieces.append(part)
                continue
            value = self._expression(part[0], file, line)
            piece = self._as_text(value)
            if isinstance(piece, Unknown):
                return piece
            pieces.append(piece)
        joined = "".join(pieces)
        if len(joined) > MAX_TEXT:
            return self._bound(file, line, f"a string built from variables is over {MAX_TEXT} characters")
        return FStr(joined, line, file) if file != self.main_rel else LStr(joined, line)

    def _whole(self, value: Any, text: str, file: str) -> Any:
        if value is MISSING:
            return self.unknown(f"no value for {text.strip()[:80]}")
        if isinstance(value, _Opaque):
            return self.unknown(value.reason)
        return value

    def _as_text(self, value: Any) -> str | Unknown:
        if isinstance(value, Unknown):
            return value
        if isinstance(value, _Opaque):
            return value.text
        if value is MISSING or value is None:
            return self.unknown("a variable with no value inside a string")
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (str, int, float)):
            return str(value)
        return self.unknown("a mapping or list inside a string")

    def _bound(self, file: str, line: int | None, message: str) -> Unknown:
        if not self._bound_hit:
            self._bound_hit = True
            self.errors.append((file, line or None, message + ": values left unresolved", "bound"))
        return self.unknown(message)

    # -- expressions ----------------------------------------------------------------------------

    def _expression(self, inner: str, file: str, line: int) -> Any:
        """`source:address, fallback, ...` -> a value, MISSING, Unknown or _Opaque."""
        self._expansions += 1
        if self._expansions > MAX_EXPANSIONS:
            return self._bound(file, line, f"more than {MAX_EXPANSIONS} variable expansions")
        if self._nesting >= MAX_NESTING:
            return self._bound(file, line, f"variables nested more than {MAX_NESTING} deep")
        self._nesting += 1
        try:
            missing_file: str | None = None
            for i, part in enumerate(split_top(inner)):
                candidate = part.strip()
                if not candidate:
                    continue
                value, missing = self._term(candidate, file, line, first=i == 0)
                missing_file = missing_file or missing
                if value is not MISSING:
                    return value
            if missing_file is not None and missing_file not in self._reported_missing:
                self._reported_missing.add(missing_file)  # once per file, at its first use
                self.errors.append(
                    (file, line or None, f"${{file({missing_file})}} names no file in the project", "io")
                )
            return MISSING
        finally:
            self._nesting -= 1

    def _term(self, term: str, file: str, line: int, first: bool) -> tuple[Any, str | None]:
        """One alternative of an expression: a variable (bare or `${...}`) or a literal."""
        if term.startswith("${") and _closing(term, 2) == len(term) - 1:
            return self._expression(term[2:-1], file, line), None
        if len(term) >= 2 and term[0] == term[-1] and term[0] in "'\"":
            return term[1:-1], None
        if not first:
            if term in ("true", "false"):
                return term == "true", None
            if term == "null":
                return MISSING, None
            if _NUMBER.fullmatch(term):
                return (float(term) if "." in term else int(term)), None
        if not is_variable(term):
            return (term if not first else MISSING), None
        # Nested variables in the source, its parameters or its address are resolved first.
        text = term
        if "${" in term:
            built = self._resolve_string(LStr(term, line), file)
            if isinstance(built, Unknown):
                return built, None
            if not isinstance(built, str):
                return self.unknown("a variable address that is not text"), None
            text = str(built)
        return self._fetch(text, file, line)

    def _fetch(self, text: str, file: str, line: int) -> tuple[Any, str | None]:
        m = _SOURCE.fullmatch(text)
        if m is None:
            return MISSING, None
        source, params, address = m.group(1), m.group(2), (m.group(3) or "").strip()
        if source == "self":
            return self._self(address), None
        if source == "sls":
            if address == "stage":
                if self._stage_pending:
                    return self.unknown("${sls:stage} inside provider.stage"), None
                return self.stage, None
            return self.unknown(f"${{sls:{address}}} is known only at deployment"), None
        if source == "opt":
            if address == "stage" and self.cli_stage:
                return self.cli_stage, None
            return MISSING, None  # options other than --stage are not given to a scan
        if source == "env":
            return self.env.get(address, MISSING), None
        if source == "param":
            return self._param(address), None
        if source == "file":
            return self._file(params, address, file, line)
        if source == "strToBool":
            value = (params or "").strip().strip("'\"").lower()
            if value in ("true", "1"):
                return True, None
            if value in ("false", "0"):
                return False, None
            return self.unknown("strToBool of a value that is not a boolean"), None
        if source == "aws":
            if address == "accountId":
                return _Opaque("${AWS::AccountId}", "the AWS account id of the deployment"), None
            if address == "region":
                region = self._self("provider.region")
                if isinstance(region, str) and "${" not in region:
                    return region, None
                return _Opaque("${AWS::Region}", "the region of the deployment"), None
            return self.unknown(f"${{aws:{address}}} is known only at deployment"), None
        what = _DEFERRED.get(source, f"the {source} variable source")
        return self.unknown(f"{what} (${{{source}:...}}) is read only at deployment"), None

    # -- sources --------------------------------------------------------------------------------

    def _self(self, address: str) -> Any:
        path = [p for p in address.split(".") if p] if address else []
        if not path:
            return self.resolve(self.config, self.main_rel)
        value = self._walk(self.config, self.main_rel, path)
        if value is MISSING:
            if path == ["provider", "stage"]:
                return self.stage
            if path == ["provider", "region"]:
                return "us-east-1"
        if path == ["service"] and isinstance(value, dict) and isinstance(value.get("name"), str):
            return value["name"]  # v1 `service: {name: ...}`
        return value

    def _walk(self, node: Any, file: str, path: list[str]) -> Any:
        """Follow `path` from `node`, resolving what lies on the way; the target is resolved."""
        current = node
        current_file = file
        for key in path:
            if isinstance(current, str) and "${" in current:
                current = self.resolve(current, current_file)
            current_file = file_of(current, current_file)
            if isinstance(current, dict):
                if key not in current:
                    return MISSING
                current = current[key]
            elif isinstance(current, list):
                try:
                    current = current[int(key)]
                except (ValueError, IndexError):
                    return MISSING
            else:
                return MISSING if not isinstance(current, Unknown) else current
        current_file = file_of(current, current_file)
        value = self.resolve(current, current_file)
        return MISSING if value is None else value

    def _param(self, name: str) -> Any:
        if name in self.cli_params:
            return self.cli_params[name]
        for path in (
            ["params", self.stage, name],
            ["stages", self.stage, "params", name],
            ["params", "default", name],
            ["stages", "default", "params", name],
        ):
            value = self._walk(self.config, self.main_rel, path)
            if value is not MISSING:
                return value
        return MISSING

    def _file(self, params: str | None, address: str, file: str, line: int) -> tuple[Any, str | None]:
        raw = (params or "").strip().strip("'\"").strip()
        if not raw:
            return MISSING, None
        rel = self._locate(raw, file)
        if rel is None:
            self.errors.append(
                (file, line or None, f"${{file({raw})}} leaves the scanned folder: not read", "outside-root")
            )
            return self.unknown(f"${{file({raw})}} outside the scanned folder"), None
        if rel.lower().endswith(_CODE_FILES):
            return self.unknown(f"${{file({raw})}} is JavaScript: not executed"), None
        doc = self._load(rel, file, line)
        if doc is MISSING:
            return MISSING, raw
        if isinstance(doc, Unknown):
            return doc, None
        path = [p for p in address.split(".") if p] if address else []
        if not path:
            return self.resolve(doc, rel), None
        return self._walk(doc, rel, path), None

    def _locate(self, raw: str, file: str) -> str | None:
        """The file relative to the scan root, or None when it would leave the root.

        Paths are relative to the service folder; a file included from another file is also
        looked for beside that file (where older Framework versions resolved it)."""
        if raw.startswith("~") or posixpath.isabs(raw) or re.match(r"^[A-Za-z]:[\\/]", raw):
            return None
        raw = raw.replace("\\", "/")
        first = posixpath.normpath(posixpath.join(self.service_dir, raw))
        candidates = [first]
        beside = posixpath.normpath(posixpath.join(posixpath.dirname(file), raw))
        if beside != first:
            candidates.append(beside)
        inside = [c for c in candidates if c != ".." and not c.startswith("../")]
        if not inside:
            return None
        for cand in inside:
            if (self.root / cand).is_file():
                return cand
        return inside[0]

    def _load(self, rel: str, file: str, line: int) -> Any:
        if rel in self._file_cache:
            return self._file_cache[rel]
        if len(self._file_cache) >= MAX_FILES:
            return self._bound(file, line, f"more than {MAX_FILES} files included with ${{file()}}")
        path = self.root / rel
        result: Any
        if not path.is_file():
            result = MISSING
        elif not is_inside(path, self.root):
            self.errors.append(
                (rel, None, "refused: the path resolves outside the scanned folder", "outside-root")
            )
            result = self.unknown(f"${{file({rel})}} outside the scanned folder")
        else:
            try:
                text = read_text(path, self.root, self.limits)
                low = rel.lower()
                if low.endswith(".json"):
                    result = parse_json(text, rel, self.limits)
                elif low.endswith((".yml", ".yaml")):
                    docs = parse_yaml(text, rel, self.limits)
                    result = docs[0] if docs else None
                else:
                    result = LStr(text, 1)
                self.files.append(rel)
            except ReadFailure as exc:
                self.errors.append((rel, exc.line, exc.message, exc.kind))
                result = self.unknown(f"${{file({rel})}} could not be read")
        if result is None:
            result = MISSING
        self._file_cache[rel] = result
        return result

    # -- dotenv ---------------------------------------------------------------------------------

    def load_dotenv(self) -> None:
        """`.env.<stage>` (else `.env`) beside the configuration, as the Framework's useDotenv does."""
        for name in (f".env.{self.stage}", ".env"):
            rel = posixpath.normpath(posixpath.join(self.service_dir, name))
            path = self.root / rel
            if not path.is_file():
                continue
            try:
                text = read_text(path, self.root, self.limits)
            except ReadFailure:
                return
            for raw in text.splitlines():
                entry = raw.strip()
                if not entry or entry.startswith("#") or "=" not in entry:
                    continue
                key, _, value = entry.removeprefix("export ").partition("=")
                value = value.strip()
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                    value = value[1:-1]
                self.env.setdefault(key.strip(), value)
            self.files.append(rel)
            return


__all__ = [
    "MISSING",
    "FList",
    "FMap",
    "FStr",
    "VariableResolver",
    "file_of",
    "is_variable",
    "split_template",
    "split_top",
]
