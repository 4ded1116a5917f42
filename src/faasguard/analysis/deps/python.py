"""Python dependency files: requirements*.txt, pyproject.toml (PEP 621 and Poetry), poetry.lock,
Pipfile.lock, uv.lock, and vendored *.dist-info / *.egg-info folders.

Every parser takes the file's text (read by the caller through the bounded reader) and returns a
`DepFile` whose packages carry the line that pins or declares them.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from faasguard.analysis.deps.model import (
    DepFile,
    Package,
    as_dict,
    json_key_lines,
    public_url,
    table_key_lines,
    toml_array_lines,
)
from faasguard.analysis.deps.versions import PYPI, is_exact_pin, normalize
from faasguard.findings import ScanError
from faasguard.model import SourceRef

# Reads another file for `-r` / `-c`: (path relative to the scan root) -> its text; raises
# ReadFailure (or OSError) when it cannot, including when the path leaves the scan root.
ReadRel = Callable[[str], str]

MAX_INCLUDE_DEPTH = 10
# Includes read for one requirements file, all levels together: without it, files that each
# include the next one several times make the work exponential in the depth (6 lines x 10 files
# is 6**10 parses: a hang).
MAX_INCLUDES = 100
_DEV_NAME = re.compile(r"(?:^|[-_.])(?:dev|devel|test|tests|testing|lint|docs?|ci|typing|mypy)(?:[-_.]|$)")


def is_dev_requirements(name: str) -> bool:
    """requirements-dev.txt, requirements/test.txt ...: tooling, not what the function ships."""
    stem = name.lower().removesuffix(".txt").removesuffix(".in")
    return bool(_DEV_NAME.search(stem.removeprefix("requirements")))


def _join(folder: str, rel: str) -> str:
    parts: list[str] = [] if folder in (".", "") else folder.split("/")
    for piece in rel.replace("\\", "/").split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if not parts:
                return "../" + rel  # leaves the scan root: the reader refuses it
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


# --- requirements.txt -------------------------------------------------------------------------


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first physical line, text) with backslash continuations joined and comments removed."""
    out: list[tuple[int, str]] = []
    buf: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not buf:
            start = number
        line = re.sub(r"(^|\s)#.*$", "", raw)
        if line.endswith("\\"):
            buf.append(line[:-1])
            continue
        buf.append(line)
        joined = " ".join(part.strip() for part in buf).strip()
        buf = []
        if joined:
            out.append((start, joined))
    if buf:
        joined = " ".join(part.strip() for part in buf).strip()
        if joined:
            out.append((start, joined))
    return out


_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_DIST_FILE = re.compile(r"([A-Za-z0-9][A-Za-z0-9._]*?)-(\d[^-]*?)(?:-[^/]*)?\.(?:whl|tar\.gz|zip|tar\.bz2)$")


def _url_package(target: str) -> tuple[str | None, str | None, str]:
    """(name, version, origin) of a requirement given as a URL or path."""
    origin = "git" if target.startswith(("git+", "git://", "hg+", "svn+", "bzr+")) else "url"
    if target.startswith((".", "/", "file:")) or "://" not in target:
        origin = "path"
    egg = _EGG.search(target)
    if egg:
        return egg.group(1), None, origin
    m = _DIST_FILE.search(target.split("#")[0].split("?")[0])
    if m:
        return m.group(1), m.group(2), origin
    return None, None, origin


def parse_requirements(
    rel: str,
    text: str,
    read: ReadRel | None = None,
    _depth: int = 0,
    _seen: frozenset[str] = frozenset(),
    _budget: list[int] | None = None,
) -> DepFile:
    """requirements*.txt, following `-r` / `-c` includes that stay inside the scanned folder."""
    from packaging.requirements import InvalidRequirement, Requirement

    out = DepFile(rel, "requirements.txt", PYPI)
    folder = rel.rpartition("/")[0] or "."
    constraints: dict[str, tuple[str, SourceRef]] = {}
    private = False
    seen = _seen | {rel}
    budget = [MAX_INCLUDES] if _budget is None else _budget

    def include(target: str, number: int) -> DepFile | None:
        child = _join(folder, target)
        if read is None:
            return None
        if child in seen or _depth >= MAX_INCLUDE_DEPTH or budget[0] <= 0:
            out.errors.append(
                ScanError(rel, number, f"include {target} skipped: a cycle, too deep or too many", "bound")
            )
            return None
        budget[0] -= 1
        try:
            child_text = read(child)
        except Exception as exc:
            message = getattr(exc, "message", None) or str(exc)
            out.errors.append(ScanError(rel, number, f"cannot read included {target}: {message}", "io"))
            return None
        return parse_requirements(child, child_text, read, _depth + 1, seen, budget)

    for number, line in _logical_lines(text):
        where = SourceRef(rel, number, number)
        option = re.match(r"^(-r|--requirement|-c|--constraint)(?:\s*=?\s*)(\S+)", line)
        if option:
            child_file = include(option.group(2), number)
            if child_file is None:
                continue
            out.errors += child_file.errors
            if option.group(1) in ("-r", "--requirement"):
                out.packages += child_file.packages
                private = private or child_file.private_index
            else:
                for p in child_file.packages:
                    if p.version:
                        constraints[p.key] = (p.version, p.source)
            continue
        index = re.match(r"^(-i|--index-url|--extra-index-url)(?:\s*=?\s*)(\S+)", line)
        if index:
            if index.group(1) == "--extra-index-url" or not public_url(index.group(2)):
                private = True  # a name may come from either index: never send names online
            continue
        editable = re.match(r"^(-e|--editable)(?:\s*=?\s*)(\S+)", line)
        if editable:
            name, version, origin = _url_package(editable.group(2))
            if name:
                out.packages.append(
                    Package(
                        PYPI, name, version, where, origin=origin, public=False, node=normalize(PYPI, name)
                    )
                )
            continue
        if line.startswith("-"):
            continue  # --hash on its own, --pre, --find-links, --only-binary ...: not a package
        body = re.split(r"\s--?[a-z]", " " + line, maxsplit=1)[0].strip()  # drop --hash=... options
        try:
            req = Requirement(body)
        except InvalidRequirement:
            name, version, origin = _url_package(body.split(";")[0].strip())
            if name is None:
                out.errors.append(ScanError(rel, number, f"not a requirement: {body[:80]}", "parse"))
                continue
            out.packages.append(
                Package(PYPI, name, version, where, origin=origin, public=False, node=normalize(PYPI, name))
            )
            continue
        marker = str(req.marker) if req.marker else None
        if req.url:
            _, version, origin = _url_package(req.url)
            out.packages.append(
                Package(
                    PYPI,
                    req.name,
                    version,
                    where,
                    origin=origin,
                    public=False,
                    marker=marker,
                    extras=tuple(sorted(req.extras)),
                    node=normalize(PYPI, req.name),
                )
            )
            continue
        spec = str(req.specifier)
        specs = list(req.specifier)
        pinned = is_exact_pin(PYPI, f"{specs[0].operator}{specs[0].version}") if len(specs) == 1 else None
        out.packages.append(
            Package(
                PYPI,
                req.name,
                pinned,
                where,
                spec=None if pinned else spec,
                marker=marker,
                extras=tuple(sorted(req.extras)),
                node=normalize(PYPI, req.name),
            )
        )
    if constraints:
        pinned_packages = []
        for p in out.packages:
            hit = constraints.get(p.key)
            if p.version is None and p.origin == "registry" and hit is not None:
                pinned_packages.append(_with(p, version=hit[0], spec=None, source=hit[1], declared=p.source))
            else:
                pinned_packages.append(p)
        out.packages = pinned_packages
    if private:
        out.packages = [_with(p, public=False) for p in out.packages]
        out.private_index = True
    return out


def _with(p: Package, **changes: Any) -> Package:
    from dataclasses import replace

    return replace(p, **changes)


# --- pyproject.toml ---------------------------------------------------------------------------


def _poetry_constraint(value: str) -> str:
    """A Poetry version constraint as a PEP 440 specifier set."""
    parts = []
    for piece in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", value.strip()):
        piece = piece.strip()
        if not piece or piece == "*":
            continue
        if piece.startswith("^"):
            ver = piece[1:].strip()
            nums = [int(n) for n in re.findall(r"\d+", ver.split("-")[0])[:3]] or [0]
            idx = next((i for i, n in enumerate(nums) if n != 0), len(nums) - 1)
            upper = nums[: idx + 1]
            upper[-1] += 1
            parts += [f">={ver}", f"<{'.'.join(map(str, upper))}"]
        elif piece.startswith("~") and not piece.startswith("~="):
            ver = piece[1:].strip()
            nums = [int(n) for n in re.findall(r"\d+", ver)[:3]] or [0]
            upper = nums[:2] if len(nums) >= 2 else nums[:1]
            upper[-1] += 1
            parts += [f">={ver}", f"<{'.'.join(map(str, upper))}"]
        elif re.match(r"^\d", piece):
            parts.append(f"=={piece}")
        else:
            parts.append(piece)
    return ",".join(parts)


def parse_pyproject(rel: str, text: str) -> DepFile:
    """PEP 621 `[project] dependencies` and Poetry's main `[tool.poetry.dependencies]`.

    Optional dependencies (extras) and dependency groups are not installed by default and are
    left out. The result lists direct dependencies with their declared ranges.
    """
    from packaging.requirements import InvalidRequirement, Requirement

    out = DepFile(rel, "pyproject.toml", PYPI)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        out.errors.append(ScanError(rel, int(line.group(1)) if line else None, f"invalid TOML: {exc}"))
        return out
    lines = text.splitlines()
    keys = table_key_lines(text)
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    sources = (
        data.get("tool", {}).get("uv", {}).get("sources", {}) if isinstance(data.get("tool"), dict) else {}
    )
    dep_line = keys.get(("project", "dependencies"), 1)
    for item in project.get("dependencies", []) if isinstance(project, dict) else []:
        if not isinstance(item, str):
            continue
        number = _string_line(lines, item, dep_line)
        where = SourceRef(rel, number, number)
        try:
            req = Requirement(item)
        except InvalidRequirement:
            out.errors.append(ScanError(rel, number, f"not a requirement: {item[:80]}", "parse"))
            continue
        source = sources.get(req.name) or sources.get(normalize(PYPI, req.name))
        origin = "registry"
        if req.url:
            origin = _url_package(req.url)[2]
        elif isinstance(source, dict):
            origin = (
                "workspace"
                if source.get("workspace")
                else "git"
                if "git" in source
                else "path"
                if "path" in source
                else "url"
                if "url" in source
                else "registry"
            )
        out.packages.append(_declared(req.name, str(req.specifier), where, origin, req.marker, req.extras))
    poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
    deps = poetry.get("dependencies", {}) if isinstance(poetry, dict) else {}
    for name, value in deps.items() if isinstance(deps, dict) else []:
        if name.lower() == "python":
            continue
        number = keys.get(("tool.poetry.dependencies", name)) or 1
        where = SourceRef(rel, number, number)
        entries = value if isinstance(value, list) else [value]
        entry = entries[0]
        if isinstance(entry, str):
            out.packages.append(_declared(name, _poetry_constraint(entry), where, "registry", None, ()))
            continue
        if not isinstance(entry, dict) or entry.get("optional"):
            continue
        origin = (
            "git"
            if "git" in entry
            else "path"
            if "path" in entry
            else "url"
            if "url" in entry
            else "registry"
        )
        constraint = _poetry_constraint(str(entry.get("version", "*")))
        marker = entry.get("markers") if isinstance(entry.get("markers"), str) else None
        extras = tuple(entry.get("extras", ())) if isinstance(entry.get("extras"), list) else ()
        out.packages.append(_declared(name, constraint, where, origin, marker, extras))
    out.importers = {".": [p.node for p in out.packages]}
    return out


def _string_line(lines: list[str], item: str, start: int) -> int:
    for quote in ('"', "'"):
        for i in range(max(start, 1) - 1, len(lines)):
            if f"{quote}{item}{quote}" in lines[i]:
                return i + 1
    return start


def _declared(name: str, spec: str, where: SourceRef, origin: str, marker: object, extras: object) -> Package:
    pinned = None
    if origin == "registry" and spec and "," not in spec:
        pinned = is_exact_pin(PYPI, spec)
    return Package(
        PYPI,
        name,
        pinned,
        where,
        spec=None if pinned else spec,
        origin=origin,
        public=origin == "registry",
        marker=str(marker) if marker else None,
        extras=tuple(sorted(str(e) for e in extras))
        if isinstance(extras, (set, tuple, list, frozenset))
        else (),
        node=normalize(PYPI, name),
    )


# --- poetry.lock ------------------------------------------------------------------------------


def parse_poetry_lock(rel: str, text: str) -> DepFile:
    out = DepFile(rel, "poetry.lock", PYPI, graph=True, lock=True)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        out.errors.append(ScanError(rel, None, f"invalid TOML: {exc}"))
        return out
    blocks = toml_array_lines(text, "package")
    for i, entry in enumerate(data.get("package", [])):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        lines = blocks[i] if i < len(blocks) else {}
        number = lines.get("version") or lines.get("name") or lines.get("", 1)
        source = as_dict(entry.get("source"))
        stype = source.get("type")
        origin = {"git": "git", "url": "url", "file": "path", "directory": "path"}.get(str(stype), "registry")
        public = origin == "registry" and (stype is None or public_url(str(source.get("url", ""))))
        requires = []
        deps = entry.get("dependencies")
        for dep in deps if isinstance(deps, dict) else {}:
            requires.append(normalize(PYPI, dep))
        out.packages.append(
            Package(
                PYPI,
                entry["name"],
                str(entry.get("version")) if entry.get("version") is not None else None,
                SourceRef(rel, number, number),
                direct=False,
                origin=origin,
                public=public,
                node=normalize(PYPI, entry["name"]),
                requires=tuple(requires),
                # lock-version 1.x still says which packages are dev-only
                dev=entry.get("category") == "dev",
            )
        )
    return out


# --- Pipfile.lock -----------------------------------------------------------------------------


def parse_pipfile_lock(rel: str, text: str) -> DepFile:
    out = DepFile(rel, "Pipfile.lock", PYPI, lock=True)
    try:
        data = json.loads(text)
    except ValueError as exc:
        out.errors.append(ScanError(rel, getattr(exc, "lineno", None), f"invalid JSON: {exc}"))
        return out
    if not isinstance(data, dict):
        return out
    lines = json_key_lines(text)
    sources = as_dict(data.get("_meta")).get("sources")
    indexes = {
        s.get("name"): s.get("url")
        for s in (sources if isinstance(sources, list) else [])
        if isinstance(s, dict) and isinstance(s.get("name"), str)
    }
    for name, entry in as_dict(data.get("default")).items():
        if not isinstance(entry, dict):
            continue
        number = lines.get(("default", name, "version")) or lines.get(("default", name)) or 1
        version = is_exact_pin(PYPI, str(entry.get("version", ""))) if entry.get("version") else None
        origin = (
            "git"
            if "git" in entry
            else "path"
            if "path" in entry or ("file" in entry and not str(entry["file"]).startswith("http"))
            else "url"
            if "file" in entry
            else "registry"
        )
        index_url = (
            indexes.get(entry.get("index")) if entry.get("index") else next(iter(indexes.values()), None)
        )
        out.packages.append(
            Package(
                PYPI,
                name,
                version,
                SourceRef(rel, number, number),
                spec=None if version else str(entry.get("version") or "") or None,
                direct=True,
                origin=origin,
                public=origin == "registry" and public_url(str(index_url or "")),
                marker=entry.get("markers") if isinstance(entry.get("markers"), str) else None,
                extras=tuple(entry.get("extras", ())) if isinstance(entry.get("extras"), list) else (),
                node=normalize(PYPI, name),
            )
        )
    return out


# --- uv.lock ----------------------------------------------------------------------------------


def parse_uv_lock(rel: str, text: str) -> DepFile:
    out = DepFile(rel, "uv.lock", PYPI, graph=True, lock=True)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        out.errors.append(ScanError(rel, None, f"invalid TOML: {exc}"))
        return out
    blocks = toml_array_lines(text, "package")
    for i, entry in enumerate(data.get("package", [])):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        lines = blocks[i] if i < len(blocks) else {}
        number = lines.get("version") or lines.get("name") or lines.get("", 1)
        source = as_dict(entry.get("source"))
        node = normalize(PYPI, entry["name"])
        requires = tuple(
            normalize(PYPI, d["name"])
            for d in entry.get("dependencies", [])
            if isinstance(d, dict) and isinstance(d.get("name"), str)
        )
        member = source.get("editable") or source.get("virtual")
        if isinstance(member, str):  # a workspace member: an importer, not a shipped package
            out.importers[str(PurePosixPath(member))] = list(requires)
            out.importers.setdefault(node, list(requires))  # members depend on each other by name
            continue
        if "registry" in source:
            origin, public = "registry", public_url(str(source["registry"]))
        elif "git" in source:
            origin, public = "git", False
        elif "url" in source:
            origin, public = "url", False
        else:
            origin, public = "path", False
        out.packages.append(
            Package(
                PYPI,
                entry["name"],
                str(entry["version"]) if entry.get("version") is not None else None,
                SourceRef(rel, number, number),
                direct=False,
                origin=origin,
                public=public,
                node=node,
                requires=requires,
            )
        )
    return out


# --- vendored distributions -------------------------------------------------------------------


def _headers(text: str) -> tuple[dict[str, tuple[str, int]], list[str]]:
    """Email-style metadata: first value and line per header, and every Requires-Dist."""
    heads: dict[str, tuple[str, int]] = {}
    requires: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            break  # the body (long description) starts
        name, sep, value = line.partition(":")
        if not sep or line[:1].isspace():
            continue
        heads.setdefault(name.strip().lower(), (value.strip(), number))
        if name.strip().lower() == "requires-dist":
            requires.append(value.strip())
    return heads, requires


def parse_dist_info(
    rel_metadata: str, text: str, top_level: str | None, requires_txt: str | None = None
) -> Package | None:
    """A vendored distribution from its METADATA / PKG-INFO (+ top_level.txt, requires.txt)."""
    from packaging.requirements import InvalidRequirement, Requirement

    heads, requires = _headers(text)
    if "name" not in heads or "version" not in heads:
        return None
    name, _ = heads["name"]
    version, number = heads["version"]
    if requires_txt:
        for line in requires_txt.splitlines():
            if line.startswith("["):
                break  # extras' sections: not installed by default
            if line.strip():
                requires.append(line.strip())
    deps = []
    for item in requires:
        try:
            req = Requirement(item)
        except InvalidRequirement:
            continue
        if req.marker is not None and "extra" in str(req.marker):
            continue
        deps.append(normalize(PYPI, req.name))
    modules = tuple(m.strip() for m in (top_level or "").splitlines() if m.strip() and not m.startswith("_"))
    return Package(
        PYPI,
        name,
        version,
        SourceRef(rel_metadata, number, number),
        direct=False,
        origin="registry",
        import_names=modules,
        node=normalize(PYPI, name),
        requires=tuple(deps),
    )
