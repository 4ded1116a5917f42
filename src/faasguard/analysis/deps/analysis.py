"""The dependency analysis rules read: what each function ships, how reachable it is, and which
advisories match. Results are memoised per scan through `Facts`.

Vulnerability data comes from, in this order:

1. `ScanOptions.osv_db` (`--osv-db`): a faasguard database, an OSV zip export or a folder of OSV
   JSON files. The CLI passes the cache database (`faasguard db update`) when it is not given.
2. `ScanOptions.online` (`--online`): the OSV API, for packages from the public registries only.
3. The project's own advisories: OSV JSON files under `.faasguard/advisories/` at the scan root
   (for private packages; read through the bounded reader, never replacing the public data).

With none of 1-2 configured (the library's default) no lookups are made. When one is configured
but gives no data (no database yet), the scan reports it in `errors` with how to get data.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from faasguard.analysis.deps.inventory import DepCache, FunctionDeps, Shipped, application_deps
from faasguard.analysis.deps.model import Package
from faasguard.analysis.deps.osv import (
    Advisory,
    Group,
    fixed_after,
    fixed_versions,
    group_aliases,
    is_affected,
    listed_versions,
)
from faasguard.analysis.deps.reachability import NO, UNKNOWN, YES, Reach, function_reach
from faasguard.analysis.deps.versions import NPM, PYPI, lower_bounds, satisfies
from faasguard.analysis.facts import Facts
from faasguard.findings import ScanError
from faasguard.limits import DEFAULT_LIMITS
from faasguard.model import Application, Function

if TYPE_CHECKING:  # the database and network modules load only when lookups happen
    from faasguard.analysis.deps.online import OnlineSource
    from faasguard.analysis.deps.store import Store

LOCAL_ADVISORIES = ".faasguard/advisories"
MAX_LOCAL_ADVISORIES = 10_000
HOW_TO_GET_DATA = (
    "run `faasguard db update` (or `faasguard db import PATH` with an OSV export when offline), "
    "or pass --osv-db PATH or --online"
)


@dataclass(slots=True)
class PackageUse:
    """One dependency line and the functions that ship what it pins."""

    package: Package
    functions: list[str] = field(default_factory=list)
    reach: dict[str, str] = field(default_factory=dict)  # function -> yes / no / unknown
    public: set[str] = field(default_factory=set)  # functions triggered from the internet
    via: Package | None = None  # for a transitive package: the direct dependency that brings it
    declared: Package | None = None  # the manifest line asking for it, when a lockfile pins it
    direct: bool = True
    # (function, context): the context is the ecosystem, or "<ecosystem> layer <id>" for
    # packages shipped in one of the application's own layers (see FunctionDeps.all_shipped).
    shipped_by: list[tuple[str, str]] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)  # the application's layers shipping it

    @property
    def reachable(self) -> str:
        values = set(self.reach.values())
        if YES in values:
            return YES
        if values == {NO}:
            return NO
        return UNKNOWN

    @property
    def reached_publicly(self) -> bool:
        return any(self.reach.get(f) == YES for f in self.public)


@dataclass(slots=True)
class Inventory:
    functions: list[FunctionDeps] = field(default_factory=list)
    uses: list[PackageUse] = field(default_factory=list)
    # (function, context) -> what reachability needs; reachability is computed on demand,
    # only for packages that match an advisory.
    contexts: dict[tuple[str, str], tuple[Function, str, Shipped]] = field(default_factory=dict)
    reach: dict[tuple[str, str], Reach] = field(default_factory=dict)

    def fill_reach(self, use: PackageUse, cache: DepCache) -> None:
        for fid, context in use.shipped_by:
            key = (fid, context)
            if key not in self.reach:
                fn, code, shipped = self.contexts[key]
                self.reach[key] = function_reach(fn, code, shipped, cache)
            use.reach[fid] = self.reach[key].of(use.package)


@dataclass(frozen=True, slots=True)
class Match:
    use: PackageUse
    group: Group
    fixed: str | None  # the version to move to (None: no fixed release)
    example: str | None = None  # for a range-only dependency: an affected version it admits


def is_public(app: Application, fn: Function) -> bool:
    if any(r.public is True and not r.preflight for r in app.routes_of(fn.id)):
        return True
    if any(t.kind.is_http and t.public is True for t in app.triggers_of(fn.id)):
        return True
    return fn.url is not None and fn.url.auth_type == "NONE"


# --- per-scan state -----------------------------------------------------------------------------


class _Sources:
    def __init__(self, stores: list[Store], online: OnlineSource | None, configured: bool) -> None:
        self.stores = stores
        self.online = online
        self.configured = configured  # the user asked for vulnerability data (db or online)


class _State:
    def __init__(self, facts: Facts) -> None:
        options = facts.options
        self.facts = facts
        self.cache = DepCache(facts.root, options.limits if options is not None else DEFAULT_LIMITS)
        self._sources: _Sources | None = None
        self.problem: str | None = None  # why the configured data is unavailable
        self.reported = False

    def sources(self) -> _Sources:
        if self._sources is None:
            self._sources = self._open()
        return self._sources

    def _open(self) -> _Sources:
        from faasguard.analysis.deps.online import OnlineSource
        from faasguard.analysis.deps.store import DatabaseError, default_db_path, open_cached

        options = self.facts.options
        stores: list[Store] = []
        online = None
        configured = False
        if options is not None and options.online:
            configured = True
            online = OnlineSource()
        elif options is not None and options.osv_db is not None:
            configured = True
            path = Path(options.osv_db).expanduser()
            if not path.exists():
                where = "the cache" if path == default_db_path() else "--osv-db"
                self.problem = f"no OSV vulnerability database at {path} ({where})"
            else:
                try:
                    stores.append(open_cached(path))
                except DatabaseError as exc:
                    self.problem = str(exc)
        local = self._local()
        if local is not None:
            stores.append(local)
        return _Sources(stores, online, configured)

    def _local(self) -> Store | None:
        folder = self.facts.root / LOCAL_ADVISORIES
        if not folder.is_dir() or folder.is_symlink():
            return None
        from faasguard.analysis.deps.store import Store, build, iter_folder
        from faasguard.loaders.reader import read_bytes

        root, limits = self.facts.root, self.cache.limits

        def read(path: Path) -> bytes:
            return read_bytes(path, root, limits)

        conn, _ = build(None, [(LOCAL_ADVISORIES, iter_folder(folder, read, MAX_LOCAL_ADVISORIES))])
        assert conn is not None
        return Store(conn, LOCAL_ADVISORIES)


_STATES: weakref.WeakKeyDictionary[Facts, _State] = weakref.WeakKeyDictionary()


def _state(facts: Facts) -> _State:
    state = _STATES.get(facts)
    if state is None:
        state = _STATES[facts] = _State(facts)
    return state


# --- inventory ----------------------------------------------------------------------------------


def inventory(app: Application, facts: Facts) -> Inventory:
    return facts.get("deps.inventory", app, lambda a, _root: _inventory(a, facts))


def _inventory(app: Application, facts: Facts) -> Inventory:
    state = _state(facts)
    cache = state.cache
    out = Inventory(functions=application_deps(app, cache))
    uses: dict[tuple[object, ...], PackageUse] = {}
    for fdeps in out.functions:
        fn = app.function(fdeps.function)
        if fn is None:
            continue
        public = is_public(app, fn)
        for context, shipped in fdeps.all_shipped():
            out.contexts[(fn.id, context)] = (fn, fdeps.code_dir, shipped)
            nodes = {p.node: p for p in shipped.packages if p.node}
            for pkg in shipped.packages:
                ident = (pkg.source, pkg.ecosystem, pkg.key, pkg.version, pkg.spec)
                use = uses.get(ident)
                if use is None:
                    direct = pkg.node in shipped.direct
                    via = None if direct else nodes.get(shipped.parent.get(pkg.node, ""))
                    declared = shipped.declared.get(pkg.key) if direct else None
                    if declared is not None and declared.source == pkg.source:
                        declared = None
                    use = uses[ident] = PackageUse(pkg, via=via, declared=declared, direct=direct)
                if fn.id not in use.functions:
                    use.functions.append(fn.id)
                    use.shipped_by.append((fn.id, context))
                if shipped.layer is not None and shipped.layer not in use.layers:
                    use.layers.append(shipped.layer)
                if public:
                    use.public.add(fn.id)
    for err in cache.errors:
        facts.error(err)
    out.uses = sorted(
        uses.values(), key=lambda u: (u.package.source.path, u.package.source.line, u.package.key)
    )
    return out


# --- vulnerabilities ----------------------------------------------------------------------------


def vulnerabilities(app: Application, facts: Facts) -> list[Match]:
    return facts.get("deps.vulnerabilities", app, lambda a, _root: _vulnerabilities(a, facts))


def _candidates(pkg: Package, advisory: Advisory) -> list[str]:
    """Versions the range admits that the advisory affects: the versions the advisory lists
    first (lowest first), then the range's own lower bounds (for records without lists)."""
    spec = pkg.spec or ""
    listed = _sorted_versions(pkg.ecosystem, list(listed_versions(advisory)))
    bounds = [v for v in lower_bounds(pkg.ecosystem, spec) if v not in listed]
    return [
        v
        for v in [*listed, *bounds]
        if satisfies(pkg.ecosystem, v, spec) and is_affected(pkg.ecosystem, v, advisory)
    ]


def _vulnerabilities(app: Application, facts: Facts) -> list[Match]:
    inv = inventory(app, facts)
    checkable = [u for u in inv.uses if u.package.checkable and u.package.ecosystem in (PYPI, NPM)]
    if not checkable:
        return []
    state = _state(facts)
    sources = state.sources()
    if state.problem is not None and not state.reported:
        state.reported = True
        facts.error(
            ScanError(
                checkable[0].package.source.path,
                None,
                f"dependencies not checked for known vulnerabilities: {state.problem}; {HOW_TO_GET_DATA}",
                "data",
            )
        )
    if not sources.stores and sources.online is None:
        return []
    if sources.online is not None:
        from faasguard.analysis.deps.online import OnlineError

        try:
            sources.online.prefetch(
                (u.package.ecosystem, u.package.name) for u in checkable if u.package.public
            )
        except (OnlineError, ValueError) as exc:
            if not state.reported:
                state.reported = True
                facts.error(
                    ScanError(
                        checkable[0].package.source.path,
                        None,
                        f"dependencies not checked online: {exc}",
                        "data",
                    )
                )
            sources.online = None
    out: list[Match] = []
    for use in checkable:
        pkg = use.package
        advisories: list[Advisory] = []
        for store in sources.stores:
            advisories += store.lookup(pkg.ecosystem, pkg.name)
        if sources.online is not None and pkg.public:
            advisories += sources.online.lookup(pkg.ecosystem, pkg.name)
        matched: list[tuple[Advisory, list[str]]] = []
        for adv in advisories:
            if pkg.version is not None:
                if is_affected(pkg.ecosystem, pkg.version, adv):
                    matched.append((adv, []))
            else:
                hits = _candidates(pkg, adv)
                if hits:
                    matched.append((adv, hits))
        if not matched:
            continue
        inv.fill_reach(use, state.cache)
        examples = {a.id: hits for a, hits in matched}
        for group in group_aliases([a for a, _ in matched]):
            if pkg.version is not None:
                # each record's first fix above the version; the highest of them fixes them all
                fixes = [f for a in group.advisories if (f := fixed_after(pkg.ecosystem, pkg.version, a))]
                fixed = _highest(pkg.ecosystem, fixes)
            else:
                fixes = [f for a in group.advisories for f in fixed_versions(pkg.ecosystem, a)]
                fixed = _highest(pkg.ecosystem, fixes)
            example = _example(pkg.ecosystem, group, examples)
            out.append(Match(use, group, fixed, example))
    return out


def _example(ecosystem: str, group: Group, examples: dict[str, list[str]]) -> str | None:
    """The lowest affected version a range admits, preferring versions the records list."""
    hits = [v for a in group.advisories for v in examples.get(a.id, [])]
    if not hits:
        return None
    listed = set().union(*(listed_versions(a) for a in group.advisories))
    ordered = _sorted_versions(ecosystem, hits)
    return next((v for v in ordered if v in listed), ordered[0] if ordered else hits[0])


def _sorted_versions(ecosystem: str, versions: list[str]) -> list[str]:
    from faasguard.analysis.deps.versions import version_key

    keyed = [(version_key(ecosystem, v), v) for v in set(versions)]
    try:
        return [v for k, v in sorted((kv for kv in keyed if kv[0] is not None), key=lambda kv: kv[0])]
    except TypeError:
        return sorted(set(versions))


def _highest(ecosystem: str, versions: list[str]) -> str | None:
    ordered = _sorted_versions(ecosystem, versions)
    return ordered[-1] if ordered else None
