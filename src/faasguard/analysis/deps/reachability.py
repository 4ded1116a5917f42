"""Which shipped packages a handler can load: its imports, followed through the function's own
modules, mapped to distributions, then through the lockfile graph.

- Python: the handler and the local modules it imports are parsed with `ast`; `import x`,
  `from x import y`, relative imports, and `importlib.import_module("x")` / `__import__("x")`
  with a literal name count. A call with a computed name makes the result incomplete.
- JavaScript / TypeScript (first version): `require("x")`, `import ... from "x"`, `import "x"`,
  `import("x")` and `export ... from "x"` are found with regular expressions over the handler and
  the local files it loads (`./lib`); a `require(variable)` makes the result incomplete. Comments
  are not stripped, so a commented-out require still counts (errs towards "reachable").

Layers the application builds land on the import path (`python/` as /opt/python,
`nodejs/node_modules` as /opt/nodejs/node_modules): a package a layer ships is reachable when the
handler imports it, and a module of a layer's `python/` folder that the handler imports is
followed like the function's own modules.

Import names map to distributions by the vendored `top_level.txt` when present, then by a table
of well-known differences (`yaml` -> PyYAML, `jose` -> python-jose ...), then by PEP 503 name.
A package is reachable when imported or when an imported package depends on it (lockfile graph).
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field

from faasguard.analysis.deps.inventory import DepCache, Shipped, closure, layer_dir
from faasguard.analysis.deps.model import DepFile, Package
from faasguard.analysis.deps.versions import NPM, normalize
from faasguard.model import Function

MAX_FILES = 300  # local modules followed per handler

# Import names whose distribution is named differently (the names are facts about those projects).
IMPORT_TO_DIST: dict[str, tuple[str, ...]] = {
    "yaml": ("PyYAML",),
    "jose": ("python-jose",),
    "jwt": ("PyJWT",),
    "Crypto": ("pycryptodome", "pycrypto"),
    "Cryptodome": ("pycryptodomex",),
    "PIL": ("Pillow",),
    "bs4": ("beautifulsoup4",),
    "dateutil": ("python-dateutil",),
    "dotenv": ("python-dotenv",),
    "sklearn": ("scikit-learn",),
    "skimage": ("scikit-image",),
    "cv2": ("opencv-python", "opencv-python-headless", "opencv-contrib-python"),
    "OpenSSL": ("pyOpenSSL",),
    "attr": ("attrs",),
    "magic": ("python-magic",),
    "serial": ("pyserial",),
    "git": ("GitPython",),
    "nacl": ("PyNaCl",),
    "MySQLdb": ("mysqlclient",),
    "psycopg2": ("psycopg2", "psycopg2-binary"),
    "psycopg": ("psycopg", "psycopg-binary"),
    "docx": ("python-docx",),
    "pptx": ("python-pptx",),
    "multipart": ("python-multipart",),
    "socks": ("PySocks",),
    "websocket": ("websocket-client",),
    "kafka": ("kafka-python",),
    "slugify": ("python-slugify",),
    "fitz": ("PyMuPDF",),
    "ldap": ("python-ldap",),
    "zmq": ("pyzmq",),
    "usb": ("pyusb",),
    "dns": ("dnspython",),
    "grpc": ("grpcio",),
    "googleapiclient": ("google-api-python-client",),
    "google.protobuf": ("protobuf",),
    "bson": ("pymongo",),
    "gridfs": ("pymongo",),
    "pkg_resources": ("setuptools",),
    "_cffi_backend": ("cffi",),
    "telegram": ("python-telegram-bot",),
    "gi": ("PyGObject",),
    "pythonjsonlogger": ("python-json-logger",),
    "sentry_sdk": ("sentry-sdk",),
    "opensearchpy": ("opensearch-py",),
    "Levenshtein": ("python-Levenshtein", "levenshtein"),
    "ruamel": ("ruamel.yaml",),
    "xmltodict": ("xmltodict",),
    "Bio": ("biopython",),
    "jsonpath_ng": ("jsonpath-ng",),
    "snappy": ("python-snappy",),
    "OpenGL": ("PyOpenGL",),
    "Xlib": ("python-xlib",),
}

NODE_BUILTINS = frozenset(
    (
        "assert",
        "async_hooks",
        "buffer",
        "child_process",
        "cluster",
        "console",
        "constants",
        "crypto",
        "dgram",
        "diagnostics_channel",
        "dns",
        "domain",
        "events",
        "fs",
        "http",
        "http2",
        "https",
        "inspector",
        "module",
        "net",
        "os",
        "path",
        "perf_hooks",
        "process",
        "punycode",
        "querystring",
        "readline",
        "repl",
        "stream",
        "string_decoder",
        "sys",
        "timers",
        "tls",
        "trace_events",
        "tty",
        "url",
        "util",
        "v8",
        "vm",
        "wasi",
        "worker_threads",
        "zlib",
        "test",
        "sqlite",
        "sea",
    )
)

_JS_IMPORTS = re.compile(
    r"""(?:\brequire\s*\(\s*|\bimport\s*\(\s*|\bimport\s+(?:[\w*{}\s,$]+\s+from\s+)?|\bexport\s+[\w*{}\s,$]+\s+from\s+)"""
    r"""(['"`])([^'"`\n]+)\1"""
)
_JS_DYNAMIC = re.compile(r"""\brequire\s*\(\s*(?!['"`][^'"`$]*['"`]\s*\))[^)\s]""")
_JS_EXTENSIONS = ("", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx", ".json")


@dataclass(slots=True)
class Imports:
    modules: set[str] = field(default_factory=set)  # third-party names (Python: dotted too)
    parsed: bool = False  # the handler file was found and read
    complete: bool = True  # no import with a computed name was seen
    files: list[str] = field(default_factory=list)  # the files read


def _join(folder: str, name: str) -> str:
    return name if folder in (".", "") else f"{folder}/{name}"


def _norm(path: str) -> str:
    parts: list[str] = []
    for piece in path.split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if not parts:
                return ""
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts) or "."


def _exists(cache: DepCache, rel: str) -> bool:
    folder, _, name = rel.rpartition("/")
    return name in cache.listdir(folder or ".")


# --- Python -------------------------------------------------------------------------------------


def python_imports(
    handler: str, code: str, cache: DepCache, vendored: set[str], paths: tuple[str, ...] = ()
) -> Imports:
    """Third-party modules the handler loads, following local modules under the code folder
    (and under `paths`: the `python/` folders of the function's layers, on its import path)."""
    out = Imports()
    stdlib = set(sys.stdlib_module_names)
    queue = [handler]
    seen: set[str] = set()
    while queue and len(seen) < MAX_FILES:
        rel = queue.pop()
        if rel in seen:
            continue
        seen.add(rel)
        text = cache.text(rel)
        if text is None:
            if rel == handler:
                return out
            continue
        try:
            tree = ast.parse(text, filename=rel)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            if rel == handler:
                return out
            out.complete = False
            continue
        if rel == handler:
            out.parsed = True
        out.files.append(rel)
        package_dir = rel.rpartition("/")[0] or "."
        for name, level in _python_names(tree, out):
            if level:
                base = package_dir
                for _ in range(level - 1):
                    base = base.rpartition("/")[0] or "."
                local = _local_module(cache, base, name)
                if local:
                    queue += local
                continue
            top = name.split(".")[0]
            if top in stdlib or not top:
                continue
            if top not in vendored:
                local = _local_module(cache, code, name)
                if local:
                    queue += local
                    continue
                # A module of a layer's python/ folder: shared code, or a package copied there
                # without its metadata. Followed, and still counted as loaded (its requirement
                # line names it).
                queue += next((f for base in paths if (f := _local_module(cache, base, name))), [])
            out.modules.add(name)
            out.modules.add(top)
    if any(rel not in seen for rel in queue):
        out.complete = False  # more modules than followed: what they load is not known
    return out


def _python_names(tree: ast.AST, out: Imports) -> list[tuple[str, int]]:
    names: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names.append((module, node.level))
            # `from pkg import sub` may load pkg.sub (a local submodule, or pkg's own).
            names += [
                (f"{module}.{a.name}" if module else a.name, node.level) for a in node.names if a.name != "*"
            ]
        elif isinstance(node, ast.Call):
            func = node.func
            called = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else ""
            )
            if called in ("import_module", "__import__") and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    names.append((arg.value, 0))
                else:
                    out.complete = False
    return names


def _local_module(cache: DepCache, base: str, dotted: str) -> list[str]:
    """Files of a module under `base` (x.py, x/__init__.py, a namespace folder x/)."""
    parts = [p for p in dotted.split(".") if p]
    found: list[str] = []
    folder = base
    for i, part in enumerate(parts):
        as_file = _join(folder, part + ".py")
        as_pkg = _join(folder, part)
        if _exists(cache, as_file):
            found.append(as_file)
            break
        if cache.is_dir(as_pkg):
            init = _join(as_pkg, "__init__.py")
            if _exists(cache, init):
                found.append(init)
            elif i == 0 and not any(n.endswith(".py") for n in cache.listdir(as_pkg)):
                return []  # a data folder that happens to share the name, not a module
            folder = as_pkg
            continue
        break
    return found


def python_candidates(module: str) -> set[str]:
    """Distribution keys (PEP 503) an import name may belong to."""
    out = {normalize("PyPI", module), normalize("PyPI", module.split(".")[0])}
    if "." in module:
        out.add(normalize("PyPI", module.replace(".", "-")))
    for name in (module, module.split(".")[0]):
        out |= {normalize("PyPI", d) for d in IMPORT_TO_DIST.get(name, ())}
    return out


# --- JavaScript ---------------------------------------------------------------------------------


def _package_of(spec: str) -> str | None:
    if spec.startswith("node:"):
        return None
    parts = spec.split("/")
    name = "/".join(parts[:2]) if spec.startswith("@") and len(parts) > 1 else parts[0]
    if name in NODE_BUILTINS:
        return None
    return name


def _js_resolve(cache: DepCache, folder: str, spec: str) -> str | None:
    target = _norm(_join(folder, spec))
    if not target:
        return None
    for ext in _JS_EXTENSIONS:
        if ext and _exists(cache, target + ext):
            return target + ext
        if not ext and _exists(cache, target) and not cache.is_dir(target):
            return target
    if cache.is_dir(target):
        for index in ("index.js", "index.mjs", "index.cjs", "index.ts"):
            if _exists(cache, _join(target, index)):
                return _join(target, index)
    return None


def js_imports(handler: str, cache: DepCache) -> Imports:
    out = Imports()
    queue = [handler]
    seen: set[str] = set()
    while queue and len(seen) < MAX_FILES:
        rel = queue.pop()
        if rel in seen:
            continue
        seen.add(rel)
        if rel.endswith(".json"):
            continue
        text = cache.text(rel)
        if text is None:
            if rel == handler:
                return out
            continue
        if rel == handler:
            out.parsed = True
        out.files.append(rel)
        if _JS_DYNAMIC.search(text):
            out.complete = False
        folder = rel.rpartition("/")[0] or "."
        for m in _JS_IMPORTS.finditer(text):
            spec = m.group(2).strip()
            if "${" in spec:
                out.complete = False
                continue
            if spec.startswith((".", "/")):
                local = _js_resolve(cache, folder, spec)
                if local:
                    queue.append(local)
                continue
            name = _package_of(spec)
            if name:
                out.modules.add(name)
    return out


# --- per function -------------------------------------------------------------------------------

YES, NO, UNKNOWN = "yes", "no", "unknown"


@dataclass(slots=True)
class Reach:
    """Reachability of one function's shipped packages: node -> yes / no / unknown."""

    status: dict[str, str] = field(default_factory=dict)
    imports: Imports = field(default_factory=Imports)

    def of(self, pkg: Package) -> str:
        return self.status.get(pkg.node or pkg.key, UNKNOWN)


def _imported(pkg: Package, ecosystem: str, modules: set[str], candidates: dict[str, set[str]]) -> bool:
    if pkg.import_names:
        if any(m in modules for m in pkg.import_names):
            return True
        if ecosystem == NPM:
            return False
    if ecosystem == NPM:
        return pkg.name in modules
    return any(pkg.key in cands for cands in candidates.values())


def layer_python_paths(fn: Function, cache: DepCache) -> tuple[str, ...]:
    """The `python/` folders of the function's own layers (each one /opt/python at run time)."""
    out = []
    for layer in fn.layers:
        content = layer_dir(layer, cache)
        if content is not None and cache.is_dir(folder := _join(content, "python")) and folder not in out:
            out.append(folder)
    return tuple(out)


def function_reach(fn: Function, code: str, shipped: Shipped, cache: DepCache) -> Reach:
    reach = Reach()
    handler = fn.handler_file
    if not handler:
        return reach
    ecosystem = shipped.ecosystem
    if ecosystem == NPM:
        if not handler.endswith((".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")):
            return reach
        imports = js_imports(handler, cache)
    else:
        if not handler.endswith(".py"):
            return reach
        vendored = {m for p in shipped.packages for m in p.import_names}
        imports = python_imports(handler, code, cache, vendored, layer_python_paths(fn, cache))
    reach.imports = imports
    if not imports.parsed:
        return reach
    candidates = {m: python_candidates(m) for m in imports.modules} if ecosystem != NPM else {}
    hits = [p for p in shipped.packages if _imported(p, ecosystem, imports.modules, candidates)]
    if shipped.graph:
        graph = DepFile("", "", ecosystem, packages=shipped.packages, graph=True)
        reached, _ = closure(graph, [p.node for p in hits if p.node])
    else:
        reached = {p.node for p in hits}
    # Without a graph, a package no handler imports may still be loaded by one that is imported.
    # Only when nothing third-party is imported at all is "not reachable" certain.
    sure = imports.complete and (shipped.graph or not imports.modules)
    for p in shipped.packages:
        ident = p.node or p.key
        if ident in reached:
            reach.status[ident] = YES
        else:
            reach.status[ident] = NO if sure else UNKNOWN
    return reach
