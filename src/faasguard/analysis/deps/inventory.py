"""Which packages each function ships, and from which file line each comes.

For a function, its code folder (`CodeUri`) is the start; from there the walk goes up to the scan
root, folder by folder:

- Python: the nearest folder with dependency files decides. `requirements*.txt` there (not the
  dev / test / lint ones) is what `sam build` installs; otherwise a `poetry.lock`, `uv.lock` or
  `Pipfile.lock`; otherwise `pyproject.toml`, whose declared ranges are pinned by a `uv.lock` of
  a workspace further up when there is one.
- npm: the nearest `package.json` is the function's project; the nearest lockfile at or above it
  (`npm-shrinkwrap.json`, `package-lock.json`, `pnpm-lock.yaml`, `yarn.lock`) pins its packages.
  A workspace's single root lockfile is read once and each project takes its own part of it.
- Vendored copies inside the code folder count too: `*.dist-info` / `*.egg-info` folders
  (`pip install -t`) and `node_modules/**/package.json`.
- Layers the application builds itself (`Layer.content_dir`): the same files, looked for only
  inside the layer's folder (a layer is built from that folder alone): `python/` (or the folder
  itself) for Python manifests and `*.dist-info` down to `python/lib/pythonX.Y/site-packages/`,
  `nodejs/` (or the folder itself) for `package.json`, its lockfile and `node_modules/`. What a
  layer ships is attributed to every function attaching it, once per layer.

From a lockfile, the shipped set is the closure of the project's direct dependencies through the
lockfile's graph, so development-only packages and other workspaces' packages drop out. Python
environment markers are evaluated for the function's runtime and architecture.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from faasguard.analysis.deps import npm, python
from faasguard.analysis.deps.model import DepFile, Package, public_url
from faasguard.analysis.deps.versions import NPM, PYPI, normalize
from faasguard.findings import ScanError
from faasguard.limits import DEFAULT_LIMITS, Limits
from faasguard.model import Application, Function, Layer

PY_LOCKS = ("poetry.lock", "uv.lock", "Pipfile.lock")
NPM_LOCKS = ("npm-shrinkwrap.json", "package-lock.json", "pnpm-lock.yaml", "yarn.lock")
_REQUIREMENTS = re.compile(r"^requirements.*\.txt$", re.IGNORECASE)
# Bounds on the vendored-package walk of one code folder.
MAX_VENDORED_MANIFESTS = 20_000
MAX_VENDOR_DEPTH = 24  # nested node_modules levels
_SKIP = frozenset({".git", "__pycache__", ".aws-sam", ".serverless", ".terraform", ".venv", "venv", ".tox"})


@dataclass(slots=True)
class Shipped:
    """The packages of one ecosystem that a function ships."""

    ecosystem: str
    packages: list[Package] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the dependency files they come from
    graph: bool = False  # edges known: what an imported package pulls in can be followed
    direct: set[str] = field(default_factory=set)  # nodes that are direct dependencies
    parent: dict[str, str] = field(default_factory=dict)  # transitive node -> the direct one bringing it
    declared: dict[str, Package] = field(default_factory=dict)  # key -> the manifest line asking for it
    pinned: bool = True  # every package has an exact version (a lockfile or a vendored tree)
    lock: bool = False  # read from a lockfile
    layer: str | None = None  # shipped in this layer of the application (its id), not the code


@dataclass(slots=True)
class FunctionDeps:
    function: str
    code_dir: str
    shipped: dict[str, Shipped] = field(default_factory=dict)
    layers: list[Shipped] = field(default_factory=list)  # what the function's own layers ship

    def all_shipped(self) -> list[tuple[str, Shipped]]:
        """(context, shipped) for the code and each layer: a context names where the packages
        come from ("PyPI", "npm", or "PyPI layer <id>") for reachability to be computed once."""
        out = list(self.shipped.items())
        out += [(f"{s.ecosystem} layer {s.layer}", s) for s in self.layers]
        return out


class DepCache:
    """Per-scan reads and parses: a lockfile shared by 50 functions is parsed once."""

    def __init__(self, root: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.root = root
        self.limits = limits
        self.errors: list[ScanError] = []
        self._texts: dict[str, str | None] = {}
        self._lists: dict[str, frozenset[str]] = {}
        self._parsed: dict[tuple[str, str], object] = {}
        self._vendored: dict[tuple[str, str], DepFile] = {}

    def error(self, error: ScanError) -> None:
        if error not in self.errors:
            self.errors.append(error)

    def listdir(self, rel: str) -> frozenset[str]:
        hit = self._lists.get(rel)
        if hit is None:
            try:
                hit = frozenset(os.listdir(self.root / rel))
            except OSError:
                hit = frozenset()
            self._lists[rel] = hit
        return hit

    def is_dir(self, rel: str) -> bool:
        path = self.root / rel
        return path.is_dir() and not path.is_symlink()

    def text(self, rel: str) -> str | None:
        if rel not in self._texts:
            self._texts[rel] = self._read(rel)
        return self._texts[rel]

    def read_or_raise(self, rel: str) -> str:
        from faasguard.loaders.reader import read_text

        return read_text(self.root / rel, self.root, self.limits)

    def _read(self, rel: str) -> str | None:
        from faasguard.loaders.reader import ReadFailure

        try:
            return self.read_or_raise(rel)
        except ReadFailure as exc:
            self.error(ScanError(rel, exc.line, exc.message, exc.kind))
            return None

    def parsed(self, rel: str, parse: Callable[[str, str], DepFile]) -> DepFile | None:
        key = (rel, parse.__name__)
        if key not in self._parsed:
            text = self.text(rel)
            result = None
            if text is not None:
                try:
                    result = parse(rel, text)
                except RecursionError:
                    self.error(ScanError(rel, None, "nested too deeply to read", "bound"))
                for err in result.errors if result is not None else ():
                    self.error(err)
            self._parsed[key] = result
        value = self._parsed[key]
        return value if isinstance(value, DepFile) else None

    def package_json(self, rel: str) -> tuple[DepFile, dict[str, object]] | None:
        key = (rel, "package.json")
        if key not in self._parsed:
            text = self.text(rel)
            if text is None:
                self._parsed[key] = None
            else:
                parsed = npm.parse_package_json(rel, text, self.limits)
                for err in parsed[0].errors:
                    self.error(err)
                self._parsed[key] = parsed
        value = self._parsed[key]
        return value if isinstance(value, tuple) else None

    def vendored(self, code_dir: str, ecosystem: str) -> DepFile:
        key = (code_dir, ecosystem)
        if key not in self._vendored:
            walk = _walk_python_vendored if ecosystem == PYPI else _walk_node_modules
            self._vendored[key] = walk(self, code_dir)
        return self._vendored[key]


def _join(folder: str, name: str) -> str:
    return name if folder in (".", "") else f"{folder}/{name}"


def _up(start: str, stop: str | None = None) -> list[str]:
    """start, its parent, ... up to the scan root ('.'), or up to `stop` when given."""
    out = [start]
    while start not in (".", "") and start != stop:
        start = start.rpartition("/")[0] or "."
        out.append(start)
    return out


def _relative(target: str, base: str) -> str:
    """`target` relative to `base` (both relative to the scan root); '.' when equal."""
    if base in (".", ""):
        return target
    if target == base:
        return "."
    return target[len(base) + 1 :] if target.startswith(base + "/") else target


def code_dir(fn: Function, cache: DepCache) -> str | None:
    """The function's code folder relative to the root, when it is a local folder."""
    raw = fn.code_uri if isinstance(fn.code_uri, str) else None
    if raw is None and fn.handler_file:
        raw = fn.handler_file.rpartition("/")[0] or "."
    if raw is None or "://" in raw or fn.inline_code:
        return None
    rel = os.path.normpath(raw.replace("\\", "/")).replace(os.sep, "/")
    if rel.startswith("..") or os.path.isabs(rel):
        return None
    if not cache.is_dir(rel):
        rel = rel.rpartition("/")[0] or "."  # CodeUri naming the handler file itself
        if not cache.is_dir(rel):
            return None
    return rel


def _ecosystems(fn: Function) -> tuple[str, ...]:
    runtime = fn.runtime if isinstance(fn.runtime, str) else ""
    if runtime.startswith("python"):
        return (PYPI,)
    if runtime.startswith("nodejs"):
        return (NPM,)
    return (PYPI, NPM)


def _marker_env(fn: Function) -> dict[str, str]:
    runtime = fn.runtime if isinstance(fn.runtime, str) else ""
    m = re.match(r"python(\d+)\.(\d+)", runtime)
    env = {
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": "aarch64" if fn.architecture == "arm64" else "x86_64",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }
    if m:
        env["python_version"] = f"{m.group(1)}.{m.group(2)}"
        env["python_full_version"] = f"{m.group(1)}.{m.group(2)}.0"
    return env


def _keeps(pkg: Package, env: dict[str, str]) -> bool:
    if not pkg.marker:
        return True
    from packaging.markers import InvalidMarker, Marker, UndefinedEnvironmentName

    try:
        return bool(Marker(pkg.marker).evaluate(env))
    except (InvalidMarker, UndefinedEnvironmentName, ValueError, TypeError):
        return True


def closure(dep: DepFile, roots: list[str]) -> tuple[set[str], dict[str, str]]:
    """Nodes reachable from roots (workspace edges expanded), and each one's direct ancestor."""
    nodes = dep.nodes()
    seen: set[str] = set()
    parent: dict[str, str] = {}
    expanded: set[str] = set()
    stack: list[tuple[str, str | None]] = [(r, None) for r in reversed(roots)]
    while stack:
        node, top = stack.pop()
        if node.startswith(npm.IMPORTER):
            path = node[len(npm.IMPORTER) :]
            if path not in expanded:
                expanded.add(path)
                stack += [(n, top) for n in reversed(dep.importers.get(path, []))]
            continue
        if node in seen or node not in nodes:
            continue
        seen.add(node)
        if top is not None:
            parent[node] = top
        nxt = top if top is not None else node
        stack += [(n, nxt) for n in reversed(nodes[node].requires)]
    return seen, parent


def _from_lock(
    lock: DepFile, importer: str | None, declared: DepFile | None, resolve: Callable[[Package], str | None]
) -> Shipped:
    """The part of a lockfile one project ships."""
    shipped = Shipped(lock.ecosystem, files=[lock.path], graph=lock.graph, lock=True)
    roots: list[str] | None = None
    if importer is not None and importer in lock.importers:
        roots = list(lock.importers[importer])
    elif declared is not None:
        roots = [n for n in (resolve(p) for p in declared.packages if p.origin == "registry") if n]
        roots += [
            npm.IMPORTER + p.spec.removeprefix("workspace:")
            for p in declared.packages
            if p.origin == "workspace" and p.spec
        ]
    elif "." in lock.importers and importer in (None, "."):
        roots = list(lock.importers["."])
    if declared is not None:
        shipped.files.insert(0, declared.path)
        shipped.declared = {p.key: p for p in declared.packages}
    if roots is None or not lock.graph:
        shipped.packages = [p for p in lock.packages if not p.dev]
        shipped.direct = {p.node for p in shipped.packages if p.key in shipped.declared or not lock.graph}
        return shipped
    keep, parent = closure(lock, roots)
    shipped.packages = [p for p in lock.packages if p.node in keep]
    shipped.direct = {r for r in roots if not r.startswith(npm.IMPORTER)}
    for r in roots:  # direct dependencies of the project's own workspace dependencies
        if r.startswith(npm.IMPORTER):
            shipped.direct |= {n for n in lock.importers.get(r[len(npm.IMPORTER) :], []) if n in keep}
    shipped.parent = {n: p for n, p in parent.items() if n not in shipped.direct}
    return shipped


def _python(fn: Function, start: str, cache: DepCache, stop: str | None = None) -> Shipped | None:
    project: str | None = None
    declared: DepFile | None = None
    for folder in _up(start, stop):
        names = cache.listdir(folder)
        reqs = sorted(n for n in names if _REQUIREMENTS.match(n) and not python.is_dev_requirements(n))
        locks = [n for n in PY_LOCKS if n in names]
        if project is None and reqs:
            shipped = Shipped(PYPI, graph=False)
            for name in reqs:
                dep = cache.parsed(_join(folder, name), _requirements_parser(cache))
                if dep is not None:
                    shipped.files.append(dep.path)
                    shipped.packages += dep.packages
                    shipped.declared.update({p.key: p for p in dep.packages})
            shipped.direct = {p.node for p in shipped.packages}
            shipped.pinned = all(p.version for p in shipped.packages if p.origin == "registry")
            return shipped
        if locks and (project is None or "uv.lock" in locks):
            name = locks[0] if project is None else "uv.lock"
            parser = {
                "poetry.lock": python.parse_poetry_lock,
                "uv.lock": python.parse_uv_lock,
                "Pipfile.lock": python.parse_pipfile_lock,
            }[name]
            lock = cache.parsed(_join(folder, name), parser)
            if lock is not None:
                if project is None and "pyproject.toml" in names and name != "Pipfile.lock":
                    declared = cache.parsed(_join(folder, "pyproject.toml"), python.parse_pyproject)
                importer = _relative(project or folder, folder)
                return _from_lock(lock, importer, declared, _by_key(lock))
        if project is None and "pyproject.toml" in names:
            parsed = cache.parsed(_join(folder, "pyproject.toml"), python.parse_pyproject)
            if parsed is not None and parsed.packages:
                project, declared = folder, parsed
    if declared is not None:
        shipped = Shipped(PYPI, packages=list(declared.packages), files=[declared.path], graph=False)
        shipped.direct = {p.node for p in declared.packages}
        shipped.declared = {p.key: p for p in declared.packages}
        shipped.pinned = all(p.version for p in declared.packages if p.origin == "registry")
        return shipped
    return None


def _by_key(lock: DepFile) -> Callable[[Package], str | None]:
    nodes = {p.key: p.node for p in lock.packages}

    def resolve(p: Package) -> str | None:
        return nodes.get(p.key)

    return resolve


def _requirements_parser(cache: DepCache) -> Callable[[str, str], DepFile]:
    def parse_requirements(rel: str, text: str) -> DepFile:
        return python.parse_requirements(rel, text, cache.read_or_raise)

    return parse_requirements


def _npm(fn: Function, start: str, cache: DepCache, stop: str | None = None) -> Shipped | None:
    project: str | None = None
    manifest: tuple[DepFile, dict[str, object]] | None = None
    for folder in _up(start, stop):
        names = cache.listdir(folder)
        if project is None and "package.json" in names:
            manifest = cache.package_json(_join(folder, "package.json"))
            if manifest is not None:
                project = folder
        lock_name = next((n for n in NPM_LOCKS if n in names), None)
        if lock_name is None:
            continue
        rel = _join(folder, lock_name)
        if lock_name == "pnpm-lock.yaml":
            lock = cache.parsed(rel, _limited(npm.parse_pnpm_lock, cache))
        elif lock_name == "yarn.lock":
            lock = cache.parsed(rel, _limited(npm.parse_yarn_lock, cache))
        else:
            lock = cache.parsed(rel, npm.parse_package_lock)
        if lock is None:
            break
        declared = manifest[0] if manifest is not None else None
        importer = _relative(project, folder) if project is not None else None
        nodes = lock.nodes()

        def resolve(p: Package, lock: DepFile = lock, nodes: dict[str, Package] = nodes) -> str | None:
            install = p.import_names[0] if p.import_names else p.name
            value = (
                (p.spec or p.version or "") if p.name == install else f"npm:{p.name}@{p.spec or p.version}"
            )
            for key in (f"{install}@{value}", f"{install}@npm:{value}"):
                if key in lock.index:
                    return lock.index[key]
            if f"node_modules/{install}" in nodes:
                return f"node_modules/{install}"
            return next((n for n, q in nodes.items() if install in q.import_names), None)

        return _from_lock(lock, importer, declared, resolve)
    if manifest is None:
        return None
    dep = manifest[0]
    shipped = Shipped(NPM, packages=list(dep.packages), files=[dep.path], graph=False)
    shipped.direct = {p.node for p in dep.packages}
    shipped.declared = {p.key: p for p in dep.packages}
    shipped.pinned = all(p.version for p in dep.packages if p.origin == "registry")
    return shipped


_NPMRC = re.compile(r"^\s*(?:(@[\w.-]+):)?registry\s*=\s*(\S+)", re.MULTILINE)
_YARNRC = re.compile(r'^\s*"?(?:(@[\w.-]+):)?registry"?\s+"?([^"\s]+)', re.MULTILINE)
_YARNRC_YML = re.compile(r"^(\s*)npmRegistryServer:\s*[\"']?([^\"'\s]+)", re.MULTILINE)
_YARN_SCOPE = re.compile(r"^\s{2}[\"']?([\w.-]+)[\"']?:\s*$", re.MULTILINE)


def npm_private_registries(start: str, cache: DepCache) -> tuple[bool, set[str]]:
    """(every package comes from a private registry, scopes that do) per the project's .npmrc,
    .yarnrc or .yarnrc.yml from the code folder up to the root: names resolved there are never
    sent online, even when the lockfile does not record where they came from."""
    private_default = False
    scopes: set[str] = set()
    for folder in _up(start):
        names = cache.listdir(folder)
        for conf, pattern in ((".npmrc", _NPMRC), (".yarnrc", _YARNRC)):
            if conf in names:
                for scope, url in pattern.findall(cache.text(_join(folder, conf)) or ""):
                    if not public_url(url):
                        if scope:
                            scopes.add(scope)
                        else:
                            private_default = True
        if ".yarnrc.yml" in names:
            text = cache.text(_join(folder, ".yarnrc.yml")) or ""
            for m in _YARNRC_YML.finditer(text):
                if public_url(m.group(2)):
                    continue
                if not m.group(1):
                    private_default = True
                else:  # under npmScopes: the nearest scope name above it
                    above = [s.group(1) for s in _YARN_SCOPE.finditer(text[: m.start()])]
                    if above:
                        scopes.add("@" + above[-1].lstrip("@"))
    return private_default, scopes


def _limited(parse: Callable[[str, str, Limits], DepFile], cache: DepCache) -> Callable[[str, str], DepFile]:
    def run(rel: str, text: str) -> DepFile:
        return parse(rel, text, cache.limits)

    run.__name__ = parse.__name__
    return run


def _walk_python_vendored(cache: DepCache, start: str) -> DepFile:
    """*.dist-info / *.egg-info folders in a code folder (`pip install -t`: at the top; in a
    layer's layout: under python/ or python/lib/pythonX.Y/site-packages/)."""
    out = DepFile(start, "vendored", PYPI, graph=True, lock=True)
    stack: list[tuple[str, int]] = [(start, 0)]
    while stack:
        folder, depth = stack.pop()
        for name in sorted(cache.listdir(folder)):
            rel = _join(folder, name)
            if name in _SKIP or name == "node_modules" or not cache.is_dir(rel):
                continue
            low = name.lower()
            if low.endswith((".dist-info", ".egg-info")):
                _vendored_python(cache, rel, out)
            elif depth < 4:
                stack.append((rel, depth + 1))
    return out


def _walk_node_modules(cache: DepCache, start: str) -> DepFile:
    """node_modules/**/package.json in a code folder (read when no lockfile governs it)."""
    out = DepFile(start, "node_modules", NPM, graph=True, lock=True)
    if "node_modules" not in cache.listdir(start):
        return out
    manifests: list[tuple[str, str, str]] = []
    count = _node_modules(cache, _join(start, "node_modules"), start, manifests, 0)
    if manifests:
        packages, errors = npm.parse_node_modules(manifests, cache.limits)
        out.packages = packages
        for err in errors:
            cache.error(err)
    if count >= MAX_VENDORED_MANIFESTS:
        cache.error(
            ScanError(
                start, None, f"over {MAX_VENDORED_MANIFESTS} vendored packages: the rest not read", "bound"
            )
        )
    return out


def _node_modules(
    cache: DepCache, rel: str, code: str, manifests: list[tuple[str, str, str]], count: int
) -> int:
    stack = [rel]
    while stack and count < MAX_VENDORED_MANIFESTS:
        folder = stack.pop()
        for name in sorted(cache.listdir(folder)):
            if name.startswith("."):
                continue
            pkg_dir = _join(folder, name)
            if not cache.is_dir(pkg_dir):
                continue
            inner = [pkg_dir]
            if name.startswith("@"):
                inner = [
                    _join(pkg_dir, n)
                    for n in sorted(cache.listdir(pkg_dir))
                    if cache.is_dir(_join(pkg_dir, n))
                ]
            for pdir in inner:
                entries = cache.listdir(pdir)
                if "package.json" in entries:
                    text = cache.text(_join(pdir, "package.json"))
                    count += 1
                    if text is not None:
                        manifests.append((_relative(pdir, code), _join(pdir, "package.json"), text))
                if "node_modules" in entries and pdir.count("node_modules/") < MAX_VENDOR_DEPTH:
                    stack.append(_join(pdir, "node_modules"))
    return count


def _vendored_python(cache: DepCache, rel: str, into: DepFile) -> None:
    names = cache.listdir(rel)
    meta_name = "METADATA" if "METADATA" in names else "PKG-INFO" if "PKG-INFO" in names else None
    if meta_name is None:
        return
    text = cache.text(_join(rel, meta_name))
    if text is None:
        return
    top = cache.text(_join(rel, "top_level.txt")) if "top_level.txt" in names else None
    requires = cache.text(_join(rel, "requires.txt")) if "requires.txt" in names else None
    if top is None and "RECORD" in names:
        record = cache.text(_join(rel, "RECORD")) or ""
        tops = {line.split("/")[0].split(",")[0] for line in record.splitlines() if line}
        top = "\n".join(
            t.removesuffix(".py")
            for t in sorted(tops)
            if not t.endswith((".dist-info", ".data")) and (t.endswith(".py") or "." not in t)
        )
    pkg = python.parse_dist_info(_join(rel, meta_name), text, top, requires)
    if pkg is not None:
        into.packages.append(pkg)


def _collect(
    fn: Function, cache: DepCache, starts: dict[str, tuple[str, str]], stop: str | None
) -> dict[str, Shipped]:
    """What the function ships per ecosystem; `starts`: ecosystem -> (folder the manifest walk
    starts from, folder whose vendored copies count); the walk goes up to `stop` (None: root)."""
    out: dict[str, Shipped] = {}
    env = _marker_env(fn)
    for eco in _ecosystems(fn):
        start, vendor_dir = starts[eco]
        shipped = _python(fn, start, cache, stop) if eco == PYPI else _npm(fn, start, cache, stop)
        # Vendored copies: always for Python (cheap metadata headers); node_modules only when no
        # lockfile says what is installed (it can hold tens of thousands of package.json files).
        extra = None
        if eco == PYPI or shipped is None or not shipped.lock:
            extra = cache.vendored(vendor_dir, eco)
        if extra is not None and extra.packages:
            have = {(p.key, p.version) for p in shipped.packages} if shipped else set()
            if shipped is None:
                shipped = Shipped(eco, graph=True)
            added = [p for p in extra.packages if (p.key, p.version) not in have]
            if added:
                shipped.packages += added
                shipped.files.append(extra.path)
                if not shipped.files[:-1]:  # only vendored packages: their metadata is the graph
                    shipped.graph = True
                    required = {n for p in extra.packages for n in p.requires}
                    shipped.direct = {p.node for p in extra.packages if p.node not in required}
        if shipped is None:
            continue
        if eco == PYPI:
            shipped.packages = [p for p in shipped.packages if _keeps(p, env)]
        else:
            private_default, scopes = npm_private_registries(start, cache)
            if private_default or scopes:
                shipped.packages = [
                    replace(p, public=False)
                    if p.public and (private_default or p.name.split("/")[0] in scopes)
                    else p
                    for p in shipped.packages
                ]
        if shipped.packages:
            out[eco] = shipped
    return out


def layer_dir(layer: Layer, cache: DepCache) -> str | None:
    """A layer's content folder relative to the root, when it is a local folder."""
    raw = layer.content_dir
    if not raw:
        return None
    rel = os.path.normpath(raw.replace("\\", "/")).replace(os.sep, "/")
    if rel.startswith("..") or os.path.isabs(rel) or not cache.is_dir(rel):
        return None
    return rel


def layer_shipped(fn: Function, layer: Layer, cache: DepCache) -> list[Shipped]:
    """What one of the application's own layers ships to a function (layers land on the import
    path: python/ as /opt/python, nodejs/node_modules as /opt/nodejs/node_modules)."""
    content = layer_dir(layer, cache)
    if content is None:
        return []
    py = _join(content, "python")
    js = _join(content, "nodejs")
    starts = {
        PYPI: (py if cache.is_dir(py) else content, content),
        NPM: (js, js) if cache.is_dir(js) else (content, content),
    }
    out = []
    for shipped in _collect(fn, cache, starts, content).values():
        shipped.layer = layer.layer_id or content
        out.append(shipped)
    return out


def function_deps(fn: Function, cache: DepCache) -> FunctionDeps | None:
    start = code_dir(fn, cache)
    layers = [layer for layer in fn.layers if layer.content_dir]
    if start is None and not layers:
        return None
    where = start if start is not None else (fn.handler_file or "").rpartition("/")[0] or "."
    out = FunctionDeps(fn.id, where)
    if start is not None:
        out.shipped = _collect(fn, cache, {PYPI: (start, start), NPM: (start, start)}, None)
    seen: set[str] = set()
    for layer in layers:
        key = layer.layer_id or layer.content_dir or ""
        if key in seen:
            continue
        seen.add(key)
        out.layers += layer_shipped(fn, layer, cache)
    return out


def application_deps(app: Application, cache: DepCache) -> list[FunctionDeps]:
    out = []
    for fn in app.functions:
        if fn.package_type == "Image":
            continue
        deps = function_deps(fn, cache)
        if deps is not None and (deps.shipped or deps.layers):
            out.append(deps)
    return out


__all__ = ["DepCache", "FunctionDeps", "Shipped", "application_deps", "layer_shipped", "normalize"]
