"""What the manifest and lockfile parsers produce: packages with the line each came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from faasguard.analysis.deps.versions import normalize
from faasguard.findings import ScanError
from faasguard.model import SourceRef

# Hosts of the public registries: a package resolved elsewhere is private (never sent online).
PUBLIC_HOSTS = frozenset(
    {
        "pypi.org",
        "pypi.python.org",
        "files.pythonhosted.org",
        "registry.npmjs.org",
        "registry.yarnpkg.com",
        "registry.npmjs.com",
    }
)


def as_dict(value: object) -> dict[str, Any]:
    """A parsed mapping, or an empty one for anything else (hostile files have any shape)."""
    return value if isinstance(value, dict) else {}


def public_url(url: str | None) -> bool:
    if not url:
        return True
    try:
        host = urlparse(url).hostname or ""
    except ValueError:  # "https://[host/..." (an unclosed IPv6 bracket): not a registry URL
        return False
    return host.lower() in PUBLIC_HOSTS


@dataclass(frozen=True, slots=True)
class Package:
    ecosystem: str  # "PyPI" | "npm"
    name: str  # the registry name (an npm alias resolved to the package it installs)
    version: str | None  # the exact version installed or pinned; None when only a range is known
    source: SourceRef  # the lockfile line that pins it, or the manifest line that declares it
    spec: str | None = None  # the declared range of a dependency given only as a range
    direct: bool = True
    dev: bool = False  # a development-only dependency (never shipped)
    origin: str = "registry"  # registry | git | url | path | workspace
    public: bool = True  # from a public registry: may be looked up with --online
    # The names code loads it by, when known: Python's top-level modules (top_level.txt); npm's
    # folder under node_modules (an alias installs a package under its own name).
    import_names: tuple[str, ...] = ()
    node: str = ""  # its id in the lockfile's graph
    requires: tuple[str, ...] = ()  # the nodes it depends on
    marker: str | None = None  # PEP 508 environment marker
    extras: tuple[str, ...] = ()
    declared: SourceRef | None = None  # the manifest line that asked for it, when a lockfile pins it

    @property
    def key(self) -> str:
        return normalize(self.ecosystem, self.name)

    @property
    def checkable(self) -> bool:
        """Published on the public index under this name (not a git, URL, path or workspace copy)."""
        return self.origin == "registry"


@dataclass(slots=True)
class DepFile:
    """One parsed manifest or lockfile."""

    path: str  # relative to the scan root, POSIX
    kind: str  # requirements.txt | pyproject.toml | poetry.lock | Pipfile.lock | uv.lock | ...
    ecosystem: str
    packages: list[Package] = field(default_factory=list)
    # Project folder (relative to this file's folder, "." for its own) -> its direct nodes.
    importers: dict[str, list[str]] = field(default_factory=dict)
    # yarn: "name@range" -> node, to resolve a package.json's direct dependencies.
    index: dict[str, str] = field(default_factory=dict)
    graph: bool = False  # whether `requires` edges are known
    lock: bool = False  # pins every package (a lockfile or a vendored tree)
    private_index: bool = False  # told to install from a non-public index
    errors: list[ScanError] = field(default_factory=list)

    @property
    def folder(self) -> str:
        return self.path.rpartition("/")[0] or "."

    def nodes(self) -> dict[str, Package]:
        return {p.node: p for p in self.packages if p.node}


# --- line finding helpers -----------------------------------------------------------------------

_JSON_KEY = re.compile(r'^(\s*)"((?:[^"\\]|\\.)*)"\s*:')


def json_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Line of each key path in machine-written (indented) JSON: lockfiles are written by tools
    with one key per line, so indentation gives the nesting. Minified files yield line 1."""
    lines: dict[tuple[str, ...], int] = {}
    stack: list[tuple[int, str]] = []  # (indent, key) of the open objects
    for number, line in enumerate(text.splitlines(), 1):
        m = _JSON_KEY.match(line)
        if m is None:
            continue
        indent = len(m.group(1).expandtabs(4))
        key = m.group(2).replace('\\"', '"').replace("\\\\", "\\")
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = (*(k for _, k in stack), key)
        lines.setdefault(path, number)
        rest = line[m.end() :].strip()
        if rest.startswith("{") and not rest.rstrip(",").endswith("}"):
            stack.append((indent, key))
    return lines


_TOML_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY = re.compile(r'^\s*("(?:[^"\\]|\\.)*"|[A-Za-z0-9_.-]+)\s*=')


def toml_array_lines(text: str, table: str) -> list[dict[str, int]]:
    """For each `[[table]]` entry, the line of each of its keys (sub-tables as `sub.key`)."""
    out: list[dict[str, int]] = []
    current: dict[str, int] | None = None
    prefix = ""
    in_multiline = False
    for number, line in enumerate(text.splitlines(), 1):
        if in_multiline:
            if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                in_multiline = False
            continue
        header = _TOML_HEADER.match(line)
        if header is not None:
            name = header.group(1)
            if line.lstrip().startswith("[[") and name == table:
                current = {"": number}
                out.append(current)
                prefix = ""
            elif current is not None and name.startswith(table + "."):
                prefix = name[len(table) + 1 :] + "."
            else:
                current = None
            continue
        if current is None:
            continue
        m = _TOML_KEY.match(line)
        if m is not None:
            current.setdefault(prefix + m.group(1).strip('"'), number)
            if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                in_multiline = True
    return out


def table_key_lines(text: str) -> dict[tuple[str, str], int]:
    """(table, key) -> line for every `key = ...` in a TOML file (top-level keys: table "")."""
    out: dict[tuple[str, str], int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        header = _TOML_HEADER.match(line)
        if header is not None:
            table = header.group(1)
            continue
        m = _TOML_KEY.match(line)
        if m is not None:
            out.setdefault((table, m.group(1).strip('"')), number)
    return out


def find_line(text_lines: list[str], needle: str, start: int = 1) -> int | None:
    """The first line at or after `start` (1-based) containing needle."""
    for i in range(max(start, 1) - 1, len(text_lines)):
        if needle in text_lines[i]:
            return i + 1
    return None
