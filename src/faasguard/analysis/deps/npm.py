"""npm dependency files: package.json, package-lock.json / npm-shrinkwrap.json (lockfile v1-v3),
yarn.lock (classic v1 and berry), pnpm-lock.yaml (v5, v6, v9), and vendored node_modules trees.

Lockfiles become graphs: each package is a node (a node_modules path for npm, an entry key for
yarn and pnpm) with edges to the nodes it depends on, resolved the way the package manager does,
and `importers` holds the direct dependencies of each workspace project.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any

from faasguard.analysis.deps.model import DepFile, Package, as_dict, json_key_lines, public_url
from faasguard.analysis.deps.versions import NPM, is_exact_pin
from faasguard.findings import ScanError
from faasguard.limits import DEFAULT_LIMITS, Limits
from faasguard.model import SourceRef

IMPORTER = "@importer:"  # an edge to a workspace project: expand its own direct dependencies
_SHORTHAND = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:#.*)?$")
_TARBALL = re.compile(r"/-/[^/]+\.tgz(?:[?#].*)?$")


def split_key(key: str) -> tuple[str, str]:
    """`@scope/name@range` -> (`@scope/name`, `range`)."""
    at = key.find("@", 1)
    return (key, "") if at == -1 else (key[:at], key[at + 1 :])


def classify(spec: str) -> tuple[str, str | None, str]:
    """(origin, aliased package or None, range) of a package.json dependency value."""
    s = spec.strip()
    if s.startswith("npm:"):
        name, rng = split_key(s[4:])
        return "registry", name, rng or "*"
    if s.startswith("workspace:"):
        return "workspace", None, s
    if s.startswith(("file:", "link:", "portal:", ".", "/", "~/")):
        return "path", None, s
    if s.startswith(("git+", "git:", "git@", "github:", "gitlab:", "bitbucket:", "gist:")):
        return "git", None, s
    if s.startswith(("http://", "https://")):
        return ("git" if s.split("#")[0].endswith(".git") else "url"), None, s
    if _SHORTHAND.match(s):
        return "git", None, s  # GitHub shorthand: user/repo
    return "registry", None, s or "*"


def _resolved_origin(resolved: str | None) -> tuple[str, bool]:
    """(origin, public) from a lockfile's resolved URL / specifier."""
    if not resolved:
        return "registry", True
    r = resolved.strip()
    if (
        r.startswith(("git+", "git:", "git@", "github:", "gitlab:", "bitbucket:"))
        or "codeload.github.com" in r
    ):
        return "git", False
    if r.startswith(("file:", "link:", ".", "/")):
        return "path", False
    if r.startswith(("http://", "https://")):
        if _TARBALL.search(r):
            return "registry", public_url(r)
        return ("git" if r.split("#")[0].endswith(".git") else "url"), False
    return "registry", True


# --- package.json -------------------------------------------------------------------------------

DEP_SECTIONS = ("dependencies", "optionalDependencies")


def _load_json(
    rel: str, text: str, limits: Limits
) -> tuple[Any, dict[tuple[str, ...], int], ScanError | None]:
    """A JSON document with the line of each key path (see `json_key_lines`); the json module
    is several times faster than the line-aware YAML reader on these machine-written files."""
    try:
        doc = json.loads(text)
    except RecursionError:
        return (
            None,
            {},
            ScanError(rel, None, f"nesting deeper than {limits.max_depth} (max_depth bound)", "bound"),
        )
    except ValueError as exc:
        return None, {}, ScanError(rel, getattr(exc, "lineno", None), f"invalid JSON: {exc}")
    return doc, json_key_lines(text), None


def parse_package_json(
    rel: str, text: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[DepFile, dict[str, Any]]:
    """Direct dependencies as declared (devDependencies are not shipped), and the document."""
    out = DepFile(rel, "package.json", NPM)
    doc, lines, error = _load_json(rel, text, limits)
    if error is not None:
        out.errors.append(error)
        return out, {}
    if not isinstance(doc, dict):
        return out, {}
    for section in DEP_SECTIONS:
        deps = doc.get(section)
        if not isinstance(deps, dict):
            continue
        for install, value in deps.items():
            if not isinstance(value, str):
                continue
            number = lines.get((section, install)) or lines.get((section,)) or 1
            where = SourceRef(rel, number, number)
            origin, aliased, rng = classify(value)
            name = aliased or install
            pinned = is_exact_pin(NPM, rng) if origin == "registry" else None
            out.packages.append(
                Package(
                    NPM,
                    name,
                    pinned,
                    where,
                    spec=None if pinned or origin != "registry" else rng,
                    origin=origin,
                    public=origin == "registry",
                    import_names=(install,),
                    node=install,
                )
            )
    out.importers = {".": [p.node for p in out.packages]}
    return out, doc


def direct_specs(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """(install name, value) of a package.json's shipped dependencies."""
    out = []
    for section in DEP_SECTIONS:
        deps = doc.get(section)
        if isinstance(deps, dict):
            out += [(k, str(v)) for k, v in deps.items() if isinstance(v, str)]
    return out


def workspace_globs(doc: dict[str, Any]) -> list[str]:
    ws = doc.get("workspaces")
    if isinstance(ws, dict):
        ws = ws.get("packages")
    return [str(w) for w in ws] if isinstance(ws, list) else []


# --- node resolution (package-lock and node_modules trees) ---------------------------------------


def _node_resolve(tree: dict[str, Any], links: dict[str, str], from_path: str, dep: str) -> str | None:
    """Node's lookup: <from>/node_modules/<dep>, then each enclosing node_modules, then the root."""
    base = from_path
    while True:
        candidate = f"{base}/node_modules/{dep}" if base else f"node_modules/{dep}"
        if candidate in links:
            return links[candidate]
        if candidate in tree:
            return candidate
        if not base:
            return None
        cut = base.rfind("/node_modules/")
        base = base[:cut] if cut != -1 else ""


# --- package-lock.json --------------------------------------------------------------------------


def parse_package_lock(rel: str, text: str) -> DepFile:
    kind = rel.rpartition("/")[2]
    out = DepFile(rel, kind, NPM, graph=True, lock=True)
    try:
        data = json.loads(text)
    except ValueError as exc:
        out.errors.append(ScanError(rel, getattr(exc, "lineno", None), f"invalid JSON: {exc}"))
        return out
    if not isinstance(data, dict):
        return out
    lines = json_key_lines(text)
    if isinstance(data.get("packages"), dict):
        _lock_v2(out, data["packages"], lines)
    elif isinstance(data.get("dependencies"), dict):
        _lock_v1(out, data["dependencies"], lines)
    return out


def _entry_deps(entry: dict[str, Any], sections: tuple[str, ...]) -> list[str]:
    names: list[str] = []
    for section in sections:
        deps = entry.get(section)
        if isinstance(deps, dict):
            names += [str(k) for k in deps]
    return names


def _lock_v2(out: DepFile, packages: dict[str, Any], lines: dict[tuple[str, ...], int]) -> None:
    rel = out.path
    tree: dict[str, Any] = {}
    links: dict[str, str] = {}
    projects: dict[str, dict[str, Any]] = {}
    for path, entry in packages.items():
        if not isinstance(entry, dict):
            continue
        if path == "" or "node_modules/" not in path:
            projects[path] = entry  # the root project or a workspace folder
        elif entry.get("link"):
            target = str(entry.get("resolved", ""))
            links[path] = IMPORTER + (posixpath.normpath(target) if target else ".")
        else:
            tree[path] = entry
    for path, entry in tree.items():
        install = path.rpartition("node_modules/")[2]
        name = str(entry.get("name") or install)
        origin, public = _resolved_origin(entry.get("resolved"))
        version = entry.get("version")
        number = lines.get(("packages", path, "version")) or lines.get(("packages", path)) or 1
        requires = []
        for dep in _entry_deps(entry, ("dependencies", "optionalDependencies", "peerDependencies")):
            found = _node_resolve(tree, links, path, dep)
            if found is not None:
                requires.append(found)
        out.packages.append(
            Package(
                NPM,
                name,
                str(version) if version is not None else None,
                SourceRef(rel, number, number),
                direct=False,
                dev=bool(entry.get("dev")),
                origin=origin,
                public=public,
                import_names=(install,),
                node=path,
                requires=tuple(requires),
            )
        )
    for path, entry in projects.items():
        direct = []
        for dep in _entry_deps(entry, ("dependencies", "optionalDependencies")):
            found = _node_resolve(tree, links, path, dep)
            if found is not None:
                direct.append(found)
        out.importers[path or "."] = direct


def _lock_v1(out: DepFile, deps: dict[str, Any], lines: dict[tuple[str, ...], int]) -> None:
    rel = out.path
    tree: dict[str, Any] = {}
    keypaths: dict[str, tuple[str, ...]] = {}

    def walk(level: dict[str, Any], node_prefix: str, key_prefix: tuple[str, ...]) -> None:
        for install, entry in level.items():
            if not isinstance(entry, dict):
                continue
            node = f"{node_prefix}/node_modules/{install}" if node_prefix else f"node_modules/{install}"
            tree[node] = entry
            keypaths[node] = (*key_prefix, install)
            nested = entry.get("dependencies")
            if isinstance(nested, dict):
                walk(nested, node, (*key_prefix, install, "dependencies"))

    walk(deps, "", ("dependencies",))
    for node, entry in tree.items():
        install = node.rpartition("node_modules/")[2]
        raw = str(entry.get("version", ""))
        name, version = install, raw or None
        origin, public = _resolved_origin(entry.get("resolved"))
        if raw.startswith("npm:"):  # an alias: "npm:lodash@4.17.15"
            name, version = split_key(raw[4:])
        elif raw and not re.match(r"^\d", raw):  # git / file / URL written in place of a version
            origin, public = _resolved_origin(raw)
            version = None
        requires = []
        req = entry.get("requires")
        for dep in req if isinstance(req, dict) else {}:
            target = _node_resolve(tree, {}, node, str(dep))
            if target is not None:
                requires.append(target)
        key = keypaths[node]
        number = lines.get((*key, "version")) or lines.get(key) or 1
        out.packages.append(
            Package(
                NPM,
                name,
                version,
                SourceRef(rel, number, number),
                direct=False,
                dev=bool(entry.get("dev")),
                origin=origin,
                public=public,
                import_names=(install,),
                node=node,
                requires=tuple(requires),
            )
        )
    # v1 does not list the root's direct dependencies: package.json gives them (see inventory).


# --- yarn.lock ----------------------------------------------------------------------------------


def parse_yarn_lock(rel: str, text: str, limits: Limits = DEFAULT_LIMITS) -> DepFile:
    if re.search(r"^__metadata:", text, re.MULTILINE):
        return _yarn_berry(rel, text, limits)
    return _yarn_classic(rel, text)


def _unquote(s: str) -> str:
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] == '"':
        return s[1:-1].replace('\\"', '"')
    return s


def _split_keys(header: str) -> list[str]:
    return [_unquote(k) for k in re.findall(r'"(?:[^"\\]|\\.)*"|[^,]+', header) if k.strip()]


def _yarn_classic(rel: str, text: str) -> DepFile:
    out = DepFile(rel, "yarn.lock", NPM, graph=True, lock=True)
    entries: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    section: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0:
            keys = _split_keys(stripped[:-1]) if stripped.endswith(":") else []
            if not keys:  # a header names at least one `package@range`
                out.errors.append(ScanError(rel, number, "not a yarn.lock entry header", "parse"))
                current = None
                continue
            current = {
                "keys": keys,
                "line": number,
                "fields": {},
                "lines": {},
                "deps": {},
            }
            entries.append(current)
            section = None
        elif current is None:
            continue
        elif indent <= 2:
            if stripped.endswith(":"):
                section = stripped[:-1]
                continue
            section = None
            key, _, value = stripped.partition(" ")
            current["fields"][_unquote(key)] = _unquote(value)
            current["lines"][_unquote(key)] = number
        elif section in ("dependencies", "optionalDependencies"):
            key, _, value = stripped.partition(" ")
            current["deps"][_unquote(key)] = _unquote(value)
    for entry in entries:
        node = entry["keys"][0]
        for key in entry["keys"]:
            out.index[key] = node
    aliases: dict[str, set[str]] = {}
    for entry in entries:
        for key in entry["keys"]:
            install, _ = split_key(key)
            aliases.setdefault(entry["keys"][0], set()).add(install)
    for entry in entries:
        node = entry["keys"][0]
        install, spec = split_key(node)
        name = install
        if spec.startswith("npm:"):
            name = split_key(spec[4:])[0]
        origin, public = _resolved_origin(entry["fields"].get("resolved"))
        if origin == "registry" and not spec.startswith("npm:"):
            spec_origin = classify(spec)[0]
            if spec_origin != "registry":
                origin, public = spec_origin, False
        requires = []
        for dep, rng in entry["deps"].items():
            target = out.index.get(f"{dep}@{rng}")
            if target is not None:
                requires.append(target)
        number = entry["lines"].get("version", entry["line"])
        out.packages.append(
            Package(
                NPM,
                name,
                entry["fields"].get("version"),
                SourceRef(rel, number, number),
                direct=False,
                origin=origin,
                public=public,
                import_names=tuple(sorted(aliases.get(node, {install}))),
                node=node,
                requires=tuple(requires),
            )
        )
    return out


def _berry_lookup(index: dict[str, str], name: str, rng: str) -> str | None:
    hit = index.get(f"{name}@{rng}")
    if hit is None and ":" not in rng.split("@")[0]:
        hit = index.get(f"{name}@npm:{rng}")
    return hit


def _yarn_berry(rel: str, text: str, limits: Limits) -> DepFile:
    from faasguard.loaders.nodes import LMap
    from faasguard.loaders.reader import ReadFailure, parse_yaml

    out = DepFile(rel, "yarn.lock", NPM, graph=True, lock=True)
    try:
        docs = parse_yaml(text, rel, limits)
    except ReadFailure as exc:
        out.errors.append(ScanError(rel, exc.line, exc.message, exc.kind))
        return out
    data = docs[0] if docs else None
    if not isinstance(data, LMap):
        return out
    entries: list[tuple[list[str], LMap, int]] = []
    for header, entry in data.items():
        if header == "__metadata" or not isinstance(entry, LMap):
            continue
        keys = [k.strip() for k in str(header).split(",") if k.strip()]
        entries.append((keys, entry, data.line_of(header)))
        for key in keys:
            out.index[key] = keys[0]
    workspaces: dict[str, str] = {}  # node -> workspace folder
    for keys, entry, _ in entries:
        resolution = str(entry.get("resolution", keys[0]))
        _, protocol = split_key(resolution)
        if protocol.startswith("workspace:"):
            workspaces[keys[0]] = posixpath.normpath(protocol[len("workspace:") :] or ".")
    for keys, entry, line in entries:
        node = keys[0]
        requires = []
        for section in ("dependencies", "optionalDependencies"):
            deps = entry.get(section)
            for dep, rng in deps.items() if isinstance(deps, dict) else []:
                target = _berry_lookup(out.index, str(dep), str(rng))
                if target is not None:
                    requires.append(IMPORTER + workspaces[target] if target in workspaces else target)
        if node in workspaces:
            out.importers[workspaces[node]] = requires
            continue
        resolution = str(entry.get("resolution", node))
        name, protocol = split_key(resolution)
        if protocol.startswith("npm:") or (protocol.startswith("patch:") and "npm%3A" in protocol):
            origin, public = "registry", True
        elif protocol.startswith(("file:", "link:", "portal:", "exec:")):
            origin, public = "path", False
        elif protocol.startswith(("http:", "https:")) and not protocol.split("#")[0].endswith(".git"):
            origin, public = "url", False
        else:
            origin, public = "git", False
        installs = sorted({split_key(k)[0] for k in keys})
        number = entry.line_of("version") if "version" in entry.key_lines else line
        out.packages.append(
            Package(
                NPM,
                name,
                str(entry["version"]) if entry.get("version") is not None else None,
                SourceRef(rel, number, number),
                direct=False,
                origin=origin,
                public=public,
                import_names=tuple(installs),
                node=node,
                requires=tuple(requires),
            )
        )
    return out


# --- pnpm-lock.yaml -----------------------------------------------------------------------------


def _pnpm_major(data: dict[str, Any]) -> int:
    m = re.match(r"\s*(\d+)", str(data.get("lockfileVersion", "5")))
    return int(m.group(1)) if m else 5


def _pnpm_node(major: int, name: str, ref: str, importer: str) -> str | None:
    ref = ref.strip()
    if ref.startswith("link:"):
        return IMPORTER + posixpath.normpath(posixpath.join(importer, ref[5:]))
    if ref.startswith("file:"):
        return None
    if major < 9:
        if ref.startswith("/"):
            return ref
        return f"/{name}/{ref}" if major < 6 else f"/{name}@{ref}"
    if ref[:1].isdigit():
        return f"{name}@{ref}"
    return ref if "@" in ref[1:] and not ref.startswith(("http:", "https:")) else f"{name}@{ref}"


def _pnpm_name_version(major: int, key: str) -> tuple[str, str | None]:
    body = key[1:] if key.startswith("/") else key
    if major < 6:
        head, _, tail = body.rpartition("/")
        return head, tail.split("_")[0] or None
    body = body.split("(")[0]
    name, version = split_key(body)
    return name, version or None


def parse_pnpm_lock(rel: str, text: str, limits: Limits = DEFAULT_LIMITS) -> DepFile:
    from faasguard.loaders.nodes import LMap
    from faasguard.loaders.reader import ReadFailure, parse_yaml

    out = DepFile(rel, "pnpm-lock.yaml", NPM, graph=True, lock=True)
    try:
        docs = parse_yaml(text, rel, limits)
    except ReadFailure as exc:
        out.errors.append(ScanError(rel, exc.line, exc.message, exc.kind))
        return out
    data = docs[0] if docs else None
    if not isinstance(data, LMap):
        return out
    major = _pnpm_major(data)
    importers: dict[str, Any] = as_dict(data.get("importers")) or {".": data}
    aliases: dict[str, set[str]] = {}

    def edges(deps: object, importer: str) -> list[str]:
        found = []
        for dep, value in deps.items() if isinstance(deps, dict) else []:
            ref = value.get("version") if isinstance(value, dict) else value
            if ref is None:
                continue
            node = _pnpm_node(major, str(dep), str(ref), importer)
            if node is not None:
                found.append(node)
                if not node.startswith(IMPORTER):
                    aliases.setdefault(node, set()).add(str(dep))
        return found

    for path, imp in importers.items():
        if not isinstance(imp, dict):
            continue
        path = posixpath.normpath(str(path))
        out.importers[path] = edges(imp.get("dependencies"), path) + edges(
            imp.get("optionalDependencies"), path
        )
    packages_value, snapshots_value = data.get("packages"), data.get("snapshots")
    packages: LMap = packages_value if isinstance(packages_value, LMap) else LMap()
    snapshots: LMap | None = snapshots_value if isinstance(snapshots_value, LMap) else None
    graph_entries: LMap = snapshots if snapshots is not None else packages
    requires: dict[str, list[str]] = {}
    for key, entry in graph_entries.items():
        if isinstance(entry, dict):
            requires[key] = edges(entry.get("dependencies"), ".") + edges(
                entry.get("optionalDependencies"), "."
            )
    for key in graph_entries:
        meta_key = key.split("(")[0] if snapshots is not None else key
        meta = as_dict(packages.get(meta_key))
        name, version = _pnpm_name_version(major, meta_key)
        if isinstance(meta.get("name"), str):
            name = meta["name"]
        if meta.get("version") is not None:
            version = str(meta["version"])
        resolution = as_dict(meta.get("resolution"))
        if resolution.get("type") == "git" or "repo" in resolution:
            origin, public = "git", False
        elif "directory" in resolution:
            origin, public = "path", False
        elif "tarball" in resolution:
            origin, public = _resolved_origin(str(resolution["tarball"]))
        else:
            origin, public = "registry", True
        number = packages.line_of(meta_key) if meta_key in packages.key_lines else graph_entries.line_of(key)
        installs = aliases.get(key, set()) | {name}
        out.packages.append(
            Package(
                NPM,
                name,
                version,
                SourceRef(rel, number, number),
                direct=False,
                dev=meta.get("dev") is True,
                origin=origin,
                public=public,
                import_names=tuple(sorted(installs)),
                node=key,
                requires=tuple(requires.get(key, ())),
            )
        )
    return out


# --- node_modules -------------------------------------------------------------------------------


def parse_node_modules(
    manifests: list[tuple[str, str, str]], limits: Limits = DEFAULT_LIMITS
) -> tuple[list[Package], list[ScanError]]:
    """Vendored packages from (install path like `node_modules/a/node_modules/b`, rel path of its
    package.json, text), with edges resolved as Node would."""
    docs: dict[str, tuple[str, dict[str, Any], int]] = {}
    errors: list[ScanError] = []
    for install_path, rel, text in manifests:
        doc, lines, error = _load_json(rel, text, limits)
        if error is not None:
            errors.append(error)
            continue
        if isinstance(doc, dict) and isinstance(doc.get("name"), str) and isinstance(doc.get("version"), str):
            docs[install_path] = (rel, doc, lines.get(("version",), 1))
    out = []
    for install_path, (rel, doc, number) in docs.items():
        requires = []
        for dep in _entry_deps(doc, ("dependencies", "optionalDependencies")):
            target = _node_resolve(docs, {}, install_path, dep)
            if target is not None:
                requires.append(target)
        resolved = doc.get("_resolved")
        origin, public = _resolved_origin(resolved if isinstance(resolved, str) else None)
        out.append(
            Package(
                NPM,
                str(doc["name"]),
                str(doc["version"]),
                SourceRef(rel, number, number),
                direct=False,
                origin=origin,
                public=public,
                import_names=(install_path.rpartition("node_modules/")[2],),
                node=install_path,
                requires=tuple(requires),
            )
        )
    return out, errors
