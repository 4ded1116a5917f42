"""Versions and declared ranges per ecosystem: PEP 440 for PyPI, SemVer 2.0 / node-semver for npm.

Comparisons that OSV range events need are done here: `version_key` maps a version string to a
sortable key (None when the string is not a version of that scheme). PyPI keys are
`packaging.version.Version` objects; npm keys are tuples that order exactly as SemVer 2.0 says
(prereleases before their release, numeric identifiers before alphanumeric ones, build metadata
ignored). Declared ranges (`requests>=2.19`, `^4.17.0`) are evaluated with `packaging`'s
specifiers and node-semver's ranges.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

PYPI = "PyPI"
NPM = "npm"
ECOSYSTEMS = (PYPI, NPM)

_PEP503 = re.compile(r"[-_.]+")


def normalize(ecosystem: str, name: str) -> str:
    """The name a package is known by in its ecosystem's index (PEP 503 for PyPI; npm: as is)."""
    name = name.strip()
    if ecosystem == PYPI:
        return _PEP503.sub("-", name).lower()
    return name


# --- SemVer 2.0 ---------------------------------------------------------------------------------

_SEMVER = re.compile(
    r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)

# A key sorts as SemVer 2.0 precedence: (major, minor, patch, release-flag, prerelease ids).
SemverKey = tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]


@lru_cache(maxsize=65536)
def semver_key(version: str) -> SemverKey | None:
    m = _SEMVER.match(version.strip())
    if m is None:
        return None
    pre = m.group(4)
    if pre is None:
        return (int(m.group(1)), int(m.group(2)), int(m.group(3)), 1, ())
    ids: list[tuple[int, int | str]] = []
    for part in pre.split("."):
        # Numeric identifiers sort numerically and before alphanumeric ones.
        ids.append((0, int(part)) if part.isdigit() else (1, part))
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), 0, tuple(ids))


@lru_cache(maxsize=65536)
def pep440_key(version: str) -> Any:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(version.strip())
    except InvalidVersion:
        return None


def version_key(ecosystem: str, version: str) -> Any:
    """A sortable key for a version of this ecosystem, or None when it is not one."""
    if ecosystem == PYPI:
        return pep440_key(version)
    return semver_key(version)


def range_key(range_type: str, ecosystem: str, version: str) -> Any:
    """The key for a version written in an OSV range of this type ("0" is the lowest version)."""
    if range_type == "SEMVER":
        key = semver_key(version)
        if key is None and ecosystem == PYPI:  # some PyPI records say SEMVER for PEP 440 versions
            return pep440_key(version)
        return key
    return version_key(ecosystem, version)


# --- declared ranges ----------------------------------------------------------------------------


def is_exact_pin(ecosystem: str, spec: str) -> str | None:
    """The version a spec pins exactly (`==1.2.3`, `===1.2.3`, npm `1.2.3` / `=1.2.3`), else None."""
    spec = spec.strip()
    if ecosystem == PYPI:
        m = re.fullmatch(r"={2,3}\s*([^\s,;*]+)", spec)
        if m and not m.group(1).endswith(".*"):
            return m.group(1)
        return None
    m = re.fullmatch(r"=?v?\s*(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)", spec)
    if m and semver_key(m.group(1)) is not None:
        return m.group(1)
    return None


@lru_cache(maxsize=4096)
def _pep440_spec(spec: str) -> Any:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return SpecifierSet(spec)
    except InvalidSpecifier:
        return None


@lru_cache(maxsize=4096)
def _npm_range(spec: str) -> Any:
    import nodesemver

    try:
        return nodesemver.make_range(spec, False)
    except (ValueError, TypeError):
        return None


def valid_range(ecosystem: str, spec: str) -> bool:
    if ecosystem == PYPI:
        return _pep440_spec(spec) is not None
    return _npm_range(spec) is not None


def satisfies(ecosystem: str, version: str, spec: str) -> bool:
    """Whether a version is in a declared range (npm and pip semantics for prereleases)."""
    if ecosystem == PYPI:
        specs = _pep440_spec(spec)
        key = pep440_key(version)
        return specs is not None and key is not None and specs.contains(key, prereleases=None)
    rng = _npm_range(spec)
    if rng is None or semver_key(version) is None:
        return False
    return bool(rng.test(version.lstrip("v")))


def lower_bounds(ecosystem: str, spec: str) -> Iterator[str]:
    """Versions at the low end of each part of a range: with the advisory's own boundary
    versions, the candidates whose membership decides whether a range and an advisory meet."""
    yield "0" if ecosystem == PYPI else "0.0.0"
    if ecosystem == PYPI:
        specs = _pep440_spec(spec)
        if specs is None:
            return
        for one in specs:
            op, ver = one.operator, one.version
            if op in (">=", "==", "~=", "==="):
                base = ver[:-2] if ver.endswith(".*") else ver
                yield base
            elif op == ">":
                yield base_bump(ver)
        return
    rng = _npm_range(spec)
    if rng is None:
        return
    for comparators in rng.set:
        for comp in comparators:
            if comp.operator in (">=", "", "=") and comp.value:
                yield str(comp.semver)
            elif comp.operator == ">":
                yield _semver_bump(str(comp.semver))


def base_bump(version: str) -> str:
    """A release just after a PEP 440 version (`>1.2` admits 1.2.1)."""
    key = pep440_key(version)
    if key is None:
        return version
    release = [*key.release, 0, 0][: max(3, len(key.release))]
    release[-1] += 1  # 2.30 -> 2.30.1: the next patch, as npm's `>` admits
    return ".".join(str(p) for p in release)


def _semver_bump(version: str) -> str:
    key = semver_key(version)
    if key is None:
        return version
    major, minor, patch, released, _ = key
    return f"{major}.{minor}.{patch + 1}" if released else f"{major}.{minor}.{patch}"
