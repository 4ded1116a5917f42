"""Code analysis of one application: each function's flows and code-level facts.

`code_facts(facts, app)` is what rules call: it runs the analysis once per application through
the scan's `Facts` memo. For each function whose handler file the loader mapped, the language
front parses the handler module and the modules it imports from the function's code folder
(each file once per scan), finds the entry points, and the taint engine resolves every flow
from the entries' bindings against the function's triggers. Files that cannot be parsed are
reported in the scan's `errors` (through `Facts.errors`), and the analysis goes on.
"""

from __future__ import annotations

import gc
import io
import os
import posixpath
import re
import time
import weakref
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from faasguard.analysis.code import catalog as cat
from faasguard.analysis.code import events, ir
from faasguard.analysis.code.entries import Binding, Entry
from faasguard.analysis.code.taint import AUTHZ, Engine, Hit
from faasguard.analysis.code.values import CONTAINED, Atom, V
from faasguard.analysis.facts import Facts
from faasguard.findings import ScanError
from faasguard.limits import DEFAULT_LIMITS
from faasguard.loaders.reader import ReadFailure, is_inside, read_bytes, read_text
from faasguard.model import Application, AuthKind, Function, Route, SourceRef, Trigger, TriggerKind

# A handler file larger than this is generated or bundled code, not something to analyse.
MAX_CODE_BYTES = 1024 * 1024
MAX_MODULES_PER_FUNCTION = 300
# Entries visited when sizing a code folder (a folder past this is reported as at least its size).
MAX_FOLDER_ENTRIES = 20_000
MAX_PY_FILES_FOR_IMPORTS = 400


class Front(Protocol):
    language: str
    suffixes: tuple[str, ...]

    @property
    def catalog(self) -> cat.Catalog: ...

    def parse(self, path: str, text: str) -> ir.Module: ...

    def module_candidates(self, importer: str, module: str, level: int, code_root: str) -> list[str]: ...

    def entries(
        self, engine: Engine, mod: ir.Module, symbol: str, reached: list[ir.Module]
    ) -> list[Entry]: ...

    @staticmethod
    def html_return(expr: ir.Expr) -> ir.Expr | None: ...


def _fronts() -> dict[str, Front]:
    from faasguard.analysis.code.js_front import JsFront  # tree-sitter loads on the first parse
    from faasguard.analysis.code.python.front import PythonFront

    js = JsFront()
    return {".py": PythonFront(), **dict.fromkeys(js.suffixes, js)}


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    source: SourceRef
    message: str


@dataclass(frozen=True, slots=True)
class Exposure:
    """The trigger a flow enters through, and how exposed it is."""

    label: str  # "GET /files (API ServerlessRestApi)", "S3 bucket Uploads", ...
    kind: str  # the TriggerKind value, or "unknown"
    source: SourceRef | None
    public: bool = False
    authenticated: bool | None = None  # None: not an HTTP trigger, or unknown


@dataclass(frozen=True, slots=True)
class Flow:
    function: str
    family: str
    sink: str
    sink_ref: SourceRef
    field: str  # "queryStringParameters.file", "an S3 object", "exception text"
    source_kind: str  # "event" | "request" | "second-order" | "exception"
    source_ref: SourceRef | None
    steps: tuple[Step, ...]
    exposure: Exposure | None
    confidence: str
    entry: str


@dataclass(frozen=True, slots=True)
class CodeFact:
    """A code-level observation in a function's code (no data flow needed)."""

    function: str
    kind: str
    source: SourceRef
    detail: str
    data: Mapping[str, object] = field(default_factory=dict)


@dataclass
class FunctionCode:
    function: str
    language: str
    code_root: str
    handler_file: str
    files: tuple[str, ...] = ()
    lines: int = 0
    entries: tuple[Entry, ...] = ()
    routes: tuple[str, ...] = ()  # in-code router routes, "GET /items/<id>"
    flows: list[Flow] = field(default_factory=list)
    facts: list[CodeFact] = field(default_factory=list)
    package_bytes: int | None = None
    package_truncated: bool = False
    unused_dependencies: list[tuple[str, SourceRef]] = field(default_factory=list)
    key_files: list[str] = field(default_factory=list)


@dataclass
class AppCode:
    functions: dict[str, FunctionCode] = field(default_factory=dict)
    lines: int = 0
    seconds: float = 0.0

    def flows(self, family: str) -> Iterable[Flow]:
        for fc in self.functions.values():
            for f in fc.flows:
                if f.family == family:
                    yield f

    def facts(self, kind: str) -> Iterable[CodeFact]:
        for fc in self.functions.values():
            for f in fc.facts:
                if f.kind == kind:
                    yield f


# --- per-scan state ------------------------------------------------------------------------------


@dataclass
class _Folder:
    bytes: int = 0
    truncated: bool = False
    py_files: list[str] = field(default_factory=list)
    key_files: list[str] = field(default_factory=list)
    requirements: str | None = None


class ScanCache:
    """Parsed modules, engines and folder listings shared by every application of one scan."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.modules: dict[str, ir.Module | None] = {}
        self.exists: dict[str, bool] = {}
        self.engines: dict[tuple[str, str], Engine] = {}
        self.folders: dict[str, _Folder] = {}
        self.errors: list[ScanError] = []
        self._reported: set[str] = set()
        self.fronts = _fronts()
        self.lines = 0
        self._root_str = str(root)
        self._dirs: dict[str, dict[str, str]] = {}

    def front_for(self, path: str) -> Front | None:
        return self.fronts.get(posixpath.splitext(path)[1])

    def is_file(self, rel: str) -> bool:
        got = self.exists.get(rel)
        if got is None:
            folder, _, name = rel.rpartition("/")
            listing = self._listing(folder)
            kind = listing.get(name)
            if kind == "link":  # a symlink: only when it stays inside the scanned folder
                p = self.root / rel
                got = os.path.isfile(p) and is_inside(p, self.root)
            else:
                got = kind == "file"
            self.exists[rel] = got
        return got

    def listing(self, folder: str) -> dict[str, str]:
        """Names in a folder of the scanned tree (files, folders, symlinks), read once per scan."""
        return self._listing(folder)

    def _listing(self, folder: str) -> dict[str, str]:
        got = self._dirs.get(folder)
        if got is not None:
            return got
        got = {}
        try:
            with os.scandir(os.path.join(self._root_str, folder) if folder else self._root_str) as it:
                for entry in it:
                    try:
                        if entry.is_symlink():
                            got[entry.name] = "link"
                        elif entry.is_file():
                            got[entry.name] = "file"
                        elif entry.is_dir():
                            got[entry.name] = "dir"
                    except OSError:
                        continue
        except OSError:
            pass
        self._dirs[folder] = got
        return got

    def module(self, rel: str) -> ir.Module | None:
        if rel in self.modules:
            return self.modules[rel]
        self.modules[rel] = None
        front = self.front_for(rel)
        if front is None or not self.is_file(rel):
            return None
        try:
            limits = DEFAULT_LIMITS
            if limits.max_file_bytes > MAX_CODE_BYTES:
                from dataclasses import replace

                limits = replace(limits, max_file_bytes=MAX_CODE_BYTES)
            text = read_text(self.root / rel, self.root, limits)
            mod = front.parse(rel, text)
            recovered = getattr(mod, "parse_error", None)  # analysed what parsed (tree-sitter)
            if recovered is not None:
                self.error(ScanError(rel, recovered[0], recovered[1], "parse"))
        except ReadFailure as exc:
            self.error(ScanError(rel, exc.line, exc.message, exc.kind))
            return None
        except SyntaxError as exc:
            self.error(ScanError(rel, exc.lineno, f"invalid {front.language}: {exc.msg}", "parse"))
            return None
        except (RecursionError, MemoryError):
            self.error(ScanError(rel, None, "code nested too deeply to analyse", "bound"))
            return None
        except ValueError as exc:
            self.error(ScanError(rel, None, f"cannot parse {front.language}: {exc}", "parse"))
            return None
        self.modules[rel] = mod
        self.lines += mod.lines
        return mod

    def error(self, err: ScanError) -> None:
        if err.path not in self._reported:
            self._reported.add(err.path)
            self.errors.append(err)

    def archive_size(self, rel: str) -> tuple[int | None, bool]:
        """Unpacked size of a zip package from its central directory; (size, at_least)."""
        if not self.is_file(rel):
            return None, False
        try:
            data = read_bytes(self.root / rel, self.root)
        except ReadFailure:
            try:  # over the read bound: its packed size is a lower bound
                return os.path.getsize(self.root / rel), True
            except OSError:
                return None, False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return sum(info.file_size for info in archive.infolist()), False
        except (zipfile.BadZipFile, OSError, ValueError):
            return len(data), True

    def engine(self, front: Front, code_root: str) -> Engine:
        key = (front.language, code_root)
        eng = self.engines.get(key)
        if eng is None:
            eng = Engine(_Loader(self, front, code_root), front.catalog)
            self.engines[key] = eng
        return eng

    def folder(self, code_root: str) -> _Folder:
        got = self.folders.get(code_root)
        if got is not None:
            return got
        got = _Folder()
        self.folders[code_root] = got
        base = os.path.join(self._root_str, code_root) if code_root not in ("", ".") else self._root_str
        if not os.path.isdir(base) or not is_inside(Path(base), self.root):
            return got
        prefix = len(self._root_str) + 1
        seen = 0
        stack = [base]
        while stack:
            d = stack.pop()
            try:
                it = os.scandir(d)
            except OSError:
                continue
            with it:
                for entry in it:
                    seen += 1
                    if seen > MAX_FOLDER_ENTRIES:
                        got.truncated = True
                        stack.clear()
                        break
                    name = entry.name
                    try:
                        if entry.is_symlink():
                            continue
                        if entry.is_dir():
                            if name not in _SKIPPED_DIRS:
                                stack.append(entry.path)
                            continue
                        size = entry.stat().st_size
                    except OSError:
                        continue
                    got.bytes += size
                    rel = entry.path[prefix:]
                    if name.endswith(".py"):
                        if "node_modules" not in rel:
                            got.py_files.append(rel)
                    elif _KEY_FILE.search(name):
                        got.key_files.append(rel)
                    elif name == "requirements.txt" and d == base:
                        got.requirements = rel
        got.py_files.sort()
        got.key_files.sort()
        return got


_SKIPPED_DIRS = frozenset({".git", "__pycache__", ".aws-sam", ".pytest_cache", ".mypy_cache"})
_KEY_FILE = re.compile(r"\.(pem|key|p12|pfx|jks|keystore|ppk)$|^id_(rsa|dsa|ecdsa|ed25519)$", re.IGNORECASE)


class _Loader:
    def __init__(self, cache: ScanCache, front: Front, code_root: str) -> None:
        self.cache = cache
        self.front = front
        self.code_root = code_root
        self._resolved: dict[tuple[str, str, int], str | None] = {}

    def load(self, file: str) -> ir.Module | None:
        return self.cache.module(file)

    def resolve(self, importer: ir.Module, module: str, level: int) -> str | None:
        here = posixpath.dirname(importer.path)
        key = (here, module, level)
        if key in self._resolved:
            return self._resolved[key]
        if level == 0 and module:
            # Most imports are the standard library or installed packages: when neither the
            # code folder nor the importer's folder has an entry of that name, stop here.
            head = re.split(r"[./]", module, maxsplit=1)[0]
            if not any(
                head + ".py" in listing or head in listing
                for listing in (self.cache.listing(self.code_root), self.cache.listing(here))
            ):
                self._resolved[key] = None
                return None
        found = None
        for cand in self.front.module_candidates(importer.path, module, level, self.code_root):
            if cand != importer.path and self.cache.is_file(cand):
                found = cand
                break
        self._resolved[key] = found
        return found


_caches: weakref.WeakKeyDictionary[Facts, ScanCache] = weakref.WeakKeyDictionary()


def scan_cache(facts: Facts) -> ScanCache:
    """The parsed modules and listings of one scan, shared by the analyses of its code."""
    cache = _caches.get(facts)
    if cache is None:
        cache = ScanCache(facts.root)
        _caches[facts] = cache
    return cache


def module_loader(cache: ScanCache, front: Front, code_root: str) -> _Loader:
    """Loads and resolves the modules of one code folder (for engines other than the taint one)."""
    return _Loader(cache, front, code_root)


def code_facts(facts: Facts, app: Application) -> AppCode:
    """The code analysis of an application, computed once per scan."""
    cache = scan_cache(facts)

    def compute(a: Application, root: Path) -> AppCode:
        before = len(cache.errors)
        result = analyse_app(a, cache)
        for err in cache.errors[before:]:
            facts.error(err)
        return result

    return facts.get("code", app, compute)


# --- the analysis --------------------------------------------------------------------------------


def analyse_app(app: Application, cache: ScanCache) -> AppCode:
    start = time.perf_counter()
    out = AppCode()
    lines_before = cache.lines
    # Parsing and lowering allocate many small acyclic objects: the cyclic collector would
    # traverse the whole scan's heap again and again for nothing. It runs again afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for fn in app.functions:
            front = cache.front_for(fn.handler_file) if fn.handler_file else None
            if front is None or not isinstance(fn.handler, str) or fn.inline_code:
                archive = _package_archive(fn)
                if archive is not None and fn.package_type == "Zip":
                    fc = FunctionCode(fn.id, "", archive, "")
                    fc.package_bytes, fc.package_truncated = cache.archive_size(archive)
                    out.functions[fn.id] = fc
                continue
            out.functions[fn.id] = _analyse_function(app, fn, front, cache)
    finally:
        if collecting:
            gc.enable()
    out.lines = cache.lines - lines_before
    out.seconds = time.perf_counter() - start
    return out


def _package_archive(fn: Function) -> str | None:
    """A prebuilt deployment package the template points at (`CodeUri: dist/function.zip`)."""
    uri = fn.code_uri if isinstance(fn.code_uri, str) else None
    if uri is None or not uri.lower().endswith((".zip", ".jar")):
        return None
    return posixpath.normpath(uri)


def _code_root(fn: Function) -> str:
    uri = fn.code_uri if isinstance(fn.code_uri, str) else None
    handler_file = fn.handler_file or ""
    if uri is None:
        return posixpath.dirname(handler_file)
    uri = posixpath.normpath(uri)
    if uri.endswith(".py") or uri == handler_file:
        return posixpath.dirname(uri)
    return "" if uri == "." else uri


def _analyse_function(app: Application, fn: Function, front: Front, cache: ScanCache) -> FunctionCode:
    assert fn.handler_file is not None and isinstance(fn.handler, str)
    root = _code_root(fn)
    mod = cache.module(fn.handler_file)
    fc = FunctionCode(fn.id, front.language, root, fn.handler_file)
    if mod is None:
        return fc
    engine = cache.engine(front, root)
    reached = _reached(engine, mod)
    fc.files = tuple(m.path for m in reached)
    fc.lines = sum(m.lines for m in reached)
    symbol = fn.handler.rpartition(".")[2]
    try:
        entries = front.entries(engine, mod, symbol, reached)
    except RecursionError:
        entries = []
    fc.entries = tuple(entries)
    fc.routes = tuple(e.route for e in entries if e.route)
    ctx = _Context(app, fn)
    seen: set[tuple[str, str, int]] = set()
    for entry in entries:
        summ = engine.summary(entry.file, entry.qual)
        if summ is None:
            continue
        for hit in summ.hits.values():
            flow = _resolve(ctx, entry, hit)
            if flow is not None:
                _keep(fc.flows, flow, seen)
        if entry.http or ctx.http:
            for line, expr, value in summ.return_sites:
                for flow in _return_flows(ctx, entry, front, line, expr, value):
                    _keep(fc.flows, flow, seen)
    # Module bodies run at cold start: second-order reads and code there count too.
    for m in reached:
        body = engine.summaries.get((m.path, "<module>"))
        if body is None:
            engine.module_globals(m)
            body = engine.summaries.get((m.path, "<module>"))
        if body is not None:
            for hit in body.hits.values():
                if hit.atom.root[0] == "s":
                    flow = _resolve(ctx, Entry(m.path, "<module>", {}), hit)
                    if flow is not None:
                        _keep(fc.flows, flow, seen)
    entry_quals = {(e.file, e.qual) for e in entries}
    for m in reached:
        verifying = {h.function for h in m.hits if h.kind == "jwt-verify"}
        for h in m.hits:
            if h.kind in ("swallow", "log-event") and (m.path, h.function) not in entry_quals:
                continue
            if h.kind == "jwt-unverified" and verifying and (h.data.get("peek") or h.function in verifying):
                continue  # reads the header / issuer to pick the key, then verifies
            if h.kind == "jwt-verify":
                continue
            fc.facts.append(CodeFact(fn.id, h.kind, SourceRef(m.path, h.line, h.line), h.detail, h.data))
    _quality(fc, fn, cache, reached)
    return fc


def _keep(flows: list[Flow], flow: Flow, seen: set[tuple[str, str, int]]) -> None:
    """One flow per sink and family: the most exposed, most certain source wins."""
    key = (flow.family, flow.sink_ref.path, flow.sink_ref.line)
    if key not in seen:
        seen.add(key)
        flows.append(flow)
        return
    for i, old in enumerate(flows):
        if (old.family, old.sink_ref.path, old.sink_ref.line) == key:
            new_rank, old_rank = _rank(flow), _rank(old)
            # On a tie the earliest source wins, whatever order the engine met them in (hit
            # order can follow set iteration, which changes with the hash seed).
            if new_rank > old_rank or (new_rank == old_rank and _order(flow) < _order(old)):
                flows[i] = flow
            return


def _order(flow: Flow) -> tuple[int, str, str]:
    line = flow.source_ref.line if flow.source_ref is not None and flow.source_ref.line else 0
    return (line, flow.field, flow.sink)


_CONF = {"high": 3, "medium": 2, "low": 1}


def _rank(f: Flow) -> tuple[int, int, int, int, int, str]:
    exp = f.exposure
    public = 1 if exp is not None and exp.public and exp.authenticated is not True else 0
    line = f.source_ref.line if f.source_ref is not None else 0
    # Ties go to the source read first, then to the field name: the choice never depends on
    # the order sets happen to iterate in.
    return (
        public,
        _CONF.get(f.confidence, 0),
        1 if f.source_kind in ("event", "request") else 0,
        -len(f.steps),
        -line,
        "".join(chr(0x10FFFF - ord(c)) for c in f.field[:40]),
    )


def _reached(engine: Engine, mod: ir.Module) -> list[ir.Module]:
    """The handler's module and every module of the code folder it imports, transitively."""
    out = [mod]
    seen = {mod.path}
    i = 0
    loader = engine.loader
    while i < len(out) and len(out) < MAX_MODULES_PER_FUNCTION:
        cur = out[i]
        i += 1
        for imp in cur.imported_modules:
            targets = [loader.resolve(cur, imp.module, imp.level)]
            if imp.symbol is not None:
                sub = f"{imp.module}.{imp.symbol}" if imp.module else imp.symbol
                targets.append(loader.resolve(cur, sub, imp.level))
            for t in targets:
                if t is not None and t not in seen:
                    seen.add(t)
                    m = loader.load(t)
                    if m is not None:
                        out.append(m)
    return out


# --- resolving flows at an entry -----------------------------------------------------------------


class _Context:
    def __init__(self, app: Application, fn: Function) -> None:
        self.app = app
        self.fn = fn
        self.triggers = app.triggers_of(fn.id)
        self.routes = app.routes_of(fn.id)
        self.http_triggers = [t for t in self.triggers if t.kind.is_http]
        self.http = bool(self.http_triggers) or fn.url is not None
        self._exposures: dict[int, Exposure] = {}

    def exposure(self, t: Trigger) -> Exposure:
        got = self._exposures.get(id(t))
        if got is not None:
            return got
        route = self._route_of(t)
        if route is not None:
            api = self.app.api(route.api)
            where = "the implicit API" if api is not None and api.implicit else f"API {route.api}"
            auth = route.auth.kind
            authenticated: bool | None = None if auth is AuthKind.UNKNOWN else route.auth.authenticates
            got = Exposure(
                f"{route.label} on {where}", t.kind.value, route.source, route.public is True, authenticated
            )
        elif t.kind is TriggerKind.FUNCTION_URL:
            open_url = self.fn.url is not None and self.fn.url.auth_type == "NONE"
            got = Exposure("its Function URL", t.kind.value, t.source, open_url, not open_url)
        else:
            target = t.target if isinstance(t.target, str) else None
            label = _TRIGGER_WORDS.get(t.kind, t.kind.value)
            got = Exposure(
                f"{label} {target}" if target else label, t.kind.value, t.source, t.public is True, None
            )
        self._exposures[id(t)] = got
        return got

    def _route_of(self, t: Trigger) -> Route | None:
        if not t.kind.is_http:
            return None
        wanted = t.details.get("route") if isinstance(t.details, Mapping) else None
        for r in self.routes:
            if r.source == t.source or (wanted and r.label == wanted):
                return r
        return None


_TRIGGER_WORDS = {
    TriggerKind.S3: "S3 bucket",
    TriggerKind.SQS: "SQS queue",
    TriggerKind.SNS: "SNS topic",
    TriggerKind.DYNAMODB_STREAM: "DynamoDB stream",
    TriggerKind.KINESIS: "Kinesis stream",
    TriggerKind.KAFKA: "Kafka topic",
    TriggerKind.MQ: "MQ broker",
    TriggerKind.EVENTBRIDGE: "EventBridge rule",
    TriggerKind.SCHEDULE: "schedule",
    TriggerKind.CLOUDWATCH_LOGS: "CloudWatch Logs subscription",
    TriggerKind.COGNITO: "Cognito trigger",
    TriggerKind.IOT: "IoT rule",
    TriggerKind.ALEXA: "Alexa skill",
    TriggerKind.WEBSOCKET: "WebSocket API",
}

_LOWER = {"high": "medium", "medium": "low", "low": "low"}


def _resolve(ctx: _Context, entry: Entry, hit: Hit) -> Flow | None:
    if hit.family == cat.XSS and not (ctx.http or entry.http or not ctx.triggers):
        return None  # an HTML body nobody's browser receives (a queue or bucket handler)
    atom = hit.atom
    root = atom.root
    confidence = hit.confidence
    exposure: Exposure | None = None
    if root[0] == "s":
        kind = str(root[1])
        if kind == "exception":
            # Exception text in an HTTP error a framework sends back (returns: _return_flows).
            if hit.family != cat.LEAK or not (ctx.http or entry.http):
                return None
            ref = SourceRef(str(root[3]), int(str(root[4])), int(str(root[4])))
            label = "exception text" if root[2] == "exception text" else "a traceback"
            return _flow(
                ctx, entry, hit, label, "exception", ref, atom, _best(ctx, ctx.http_triggers), "high"
            )
        if hit.family in (cat.LOG, AUTHZ, cat.CORS):
            return None
        label = str(root[2])
        source_ref = SourceRef(str(root[3]), int(str(root[4])), int(str(root[4])))
        return _flow(ctx, entry, hit, label, "second-order", source_ref, atom, None, "low")
    if root[0] == "p":
        index = root[1]
        binding = entry.bindings.get(index) if isinstance(index, int) else None
        if binding is None or binding.kind == "clean":
            return None
        if binding.kind == "field":
            raw = (*binding.prefix, *atom.path) if atom.shape != CONTAINED else binding.prefix
            verdict = events.TAINTED
            exposure = _best(ctx, ctx.http_triggers) if ctx.http_triggers else None
            if exposure is None and not ctx.http_triggers:
                confidence = _LOWER[confidence]
            return _finish(ctx, entry, hit, raw, verdict, exposure, confidence, "request")
        if binding.kind == "ambient":
            path = atom.path
            for _ in range(3):  # a framework's request object: accessor names -> raw fields
                head = binding.view.get(path[0]) if binding.view and path else None
                if head is None:
                    break
                path = (*head, *path[1:])
            return _resolve_http(ctx, entry, hit, path, confidence)
        return _resolve_event(ctx, entry, hit, binding, atom, confidence)
    if root[0] == "a":
        return _resolve_http(ctx, entry, hit, atom.path, confidence)
    return None


def _resolve_http(
    ctx: _Context, entry: Entry, hit: Hit, path: tuple[str, ...], confidence: str
) -> Flow | None:
    tree = events.SCHEMAS[TriggerKind.HTTP_API]
    raw = events.normalise(path, tree)
    verdict = events.resolve(tree, raw)
    exposure = _best(ctx, ctx.http_triggers) if ctx.http_triggers else None
    if not ctx.http_triggers:
        confidence = _LOWER[confidence]
    return _finish(ctx, entry, hit, raw, verdict, exposure, confidence, "request")


def _resolve_event(
    ctx: _Context, entry: Entry, hit: Hit, binding: Binding, atom: Atom, confidence: str
) -> Flow | None:
    path = atom.path
    if binding.view and path:
        head = binding.view.get(path[0])
        if head is not None:
            path = (*head, *path[1:])
    triggers = ctx.triggers
    candidates: list[tuple[Trigger | None, events.Node, str]] = []
    if triggers:
        for t in triggers:
            candidates.append(
                (t, events.SCHEMAS.get(t.kind, events.UNKNOWN_TRIGGER), events.CONFIDENCE.get(t.kind, "high"))
            )
    elif binding.implied:
        for k in binding.implied:
            candidates.append(
                (None, events.SCHEMAS.get(k, events.UNKNOWN_TRIGGER), events.CONFIDENCE.get(k, "high"))
            )
    else:
        candidates.append((None, events.UNKNOWN_TRIGGER, "medium"))
    best: tuple[str, tuple[str, ...], Trigger | None, str] | None = None
    for trig, tree, conf in candidates:
        raw = events.normalise(path, tree)
        verdict = events.resolve(tree, raw)
        if atom.shape == CONTAINED and verdict == events.SAFE:
            continue
        if verdict == events.SAFE:
            continue
        cand = (verdict, raw, trig, conf)
        if best is None or _better(ctx, cand, best):
            best = cand
    if best is None:
        return None
    verdict, raw, trig, conf = best
    exposure = ctx.exposure(trig) if trig is not None else None
    if _CONF[conf] < _CONF[confidence]:
        confidence = conf
    return _finish(ctx, entry, hit, raw, verdict, exposure, confidence, "event")


def _better(
    ctx: _Context,
    a: tuple[str, tuple[str, ...], Trigger | None, str],
    b: tuple[str, tuple[str, ...], Trigger | None, str],
) -> bool:
    def score(c: tuple[str, tuple[str, ...], Trigger | None, str]) -> tuple[int, int, int]:
        verdict, _, trig, conf = c
        exp = ctx.exposure(trig) if trig is not None else None
        public = 1 if exp is not None and exp.public and exp.authenticated is not True else 0
        return (1 if verdict == events.TAINTED else 0, public, _CONF[conf])

    return score(a) > score(b)


def _best(ctx: _Context, triggers: list[Trigger]) -> Exposure | None:
    best: Exposure | None = None
    for t in triggers:
        e = ctx.exposure(t)
        if best is None or (
            e.public and e.authenticated is not True and not (best.public and best.authenticated is not True)
        ):
            best = e
    return best


def _finish(
    ctx: _Context,
    entry: Entry,
    hit: Hit,
    raw: tuple[str, ...],
    verdict: str,
    exposure: Exposure | None,
    confidence: str,
    source_kind: str,
) -> Flow | None:
    family = hit.family
    if family == cat.LOG:
        if raw != () or verdict == events.SAFE:
            return None
        label = "the whole event" if source_kind == "event" else "the whole request"
    else:
        if verdict != events.TAINTED:
            return None
        if hit.structured and raw and raw[0] in _STRING_FIELDS:
            return None  # a query-string value or a header is a string: no operator injection
        label = events.display(raw) if raw else "the event"
    source_ref = _first_step(hit.atom)
    return _flow(ctx, entry, hit, label, source_kind, source_ref, hit.atom, exposure, confidence)


# Request fields that are always strings (or lists of strings), never JSON objects.
_STRING_FIELDS = frozenset(
    {
        "queryStringParameters",
        "multiValueQueryStringParameters",
        "pathParameters",
        "headers",
        "multiValueHeaders",
        "cookies",
        "rawPath",
        "rawQueryString",
        "path",
        "requestContext",
    }
)


def _first_step(atom: Atom) -> SourceRef | None:
    if atom.steps:
        p, line, _ = atom.steps[0]
        return SourceRef(p, line, line)
    return None


def _flow(
    ctx: _Context,
    entry: Entry,
    hit: Hit,
    label: str,
    source_kind: str,
    source_ref: SourceRef | None,
    atom: Atom,
    exposure: Exposure | None,
    confidence: str,
) -> Flow:
    steps: list[Step] = []
    raw_steps = atom.steps[1:] if source_kind != "second-order" else atom.steps
    for p, line, msg in raw_steps:
        ref = SourceRef(p, line, line)
        if (p, line) == (hit.file, hit.line) or (source_ref is not None and ref == source_ref):
            continue
        if steps and steps[-1].source == ref:
            continue
        steps.append(Step(ref, msg))
    return Flow(
        function=ctx.fn.id,
        family=hit.family,
        sink=hit.label,
        sink_ref=SourceRef(hit.file, hit.line, hit.line),
        field=label,
        source_kind=source_kind,
        source_ref=source_ref,
        steps=tuple(steps[:10]),
        exposure=exposure,
        confidence=confidence,
        entry=entry.qual,
    )


def _return_flows(
    ctx: _Context, entry: Entry, front: Front, line: int, expr: ir.Expr, value: V
) -> list[Flow]:
    out: list[Flow] = []
    file = entry.file
    # Atoms are a set: take them in a fixed order (the earliest source first), not the hash's.
    exc = sorted(
        (a for a in value.atoms if a.root[0] == "s" and a.root[1] == "exception"),
        key=lambda a: (int(str(a.root[4])), repr(a.root)),
    )
    if exc:
        a = exc[0]
        ref = SourceRef(str(a.root[3]), int(str(a.root[4])), int(str(a.root[4])))
        hit = Hit(cat.LEAK, "the response", file, line, a)
        label = "exception text" if a.root[2] == "exception text" else "a traceback"
        out.append(_flow(ctx, entry, hit, label, "exception", ref, a, _best(ctx, ctx.http_triggers), "high"))
    if entry.html_returns:
        body = front.html_return(expr)
        if body is not None:
            for a in sorted(value.atoms, key=lambda a: repr(a.root)):
                if a.root[0] == "s" or a.is_clean_for(cat.XSS):
                    continue
                hit = Hit(cat.XSS, "a text/html response", file, line, a)
                flow = _resolve(ctx, entry, hit)
                if flow is not None:
                    out.append(flow)
                    break
    return out


# --- code quality --------------------------------------------------------------------------------

# Distribution names whose import name differs (lower-cased, '-' and '.' as '_').
_IMPORT_NAMES: Mapping[str, tuple[str, ...]] = {
    "pyyaml": ("yaml",),
    "beautifulsoup4": ("bs4",),
    "pillow": ("PIL",),
    "scikit_learn": ("sklearn",),
    "opencv_python": ("cv2",),
    "opencv_python_headless": ("cv2",),
    "python_jose": ("jose",),
    "pyjwt": ("jwt",),
    "python_dateutil": ("dateutil",),
    "pycryptodome": ("Crypto",),
    "pycryptodomex": ("Cryptodome",),
    "pyopenssl": ("OpenSSL",),
    "dnspython": ("dns",),
    "psycopg2_binary": ("psycopg2",),
    "psycopg_binary": ("psycopg",),
    "mysqlclient": ("MySQLdb",),
    "mysql_connector_python": ("mysql",),
    "python_dotenv": ("dotenv",),
    "attrs": ("attr", "attrs"),
    "protobuf": ("google",),
    "opensearch_py": ("opensearchpy",),
    "pynacl": ("nacl",),
    "pymongo": ("pymongo", "bson", "gridfs"),
    "google_cloud_storage": ("google",),
    "google_api_python_client": ("googleapiclient",),
    "ruamel_yaml": ("ruamel",),
    "msgpack_python": ("msgpack",),
    "python_magic": ("magic",),
    "typing_extensions": ("typing_extensions",),
    "aws_xray_sdk": ("aws_xray_sdk",),
    "elastic_apm": ("elasticapm",),
    "sentry_sdk": ("sentry_sdk",),
    "faiss_cpu": ("faiss",),
    "pyarrow": ("pyarrow",),
    "python_multipart": ("multipart",),
    "pydantic_settings": ("pydantic_settings",),
    "requests_aws4auth": ("requests_aws4auth",),
    "markdown": ("markdown",),
    "pymupdf": ("fitz",),
    "pypdf2": ("PyPDF2",),
    "tensorflow_cpu": ("tensorflow",),
    "discord_py": ("discord",),
    "slack_sdk": ("slack_sdk",),
    "slack_bolt": ("slack_bolt",),
    "smart_open": ("smart_open",),
    "jsonpickle": ("jsonpickle",),
    "pyodbc": ("pyodbc",),
    "snowflake_connector_python": ("snowflake",),
    "aws_lambda_powertools": ("aws_lambda_powertools",),
}
# Installed for the runtime or for another package, never imported by the code itself.
_IMPLICIT = frozenset(
    {
        "boto3",
        "botocore",
        "s3transfer",
        "jmespath",
        "urllib3",
        "certifi",
        "idna",
        "charset_normalizer",
        "chardet",
        "six",
        "setuptools",
        "wheel",
        "pip",
        "cryptography",
        "python_multipart",
        "email_validator",
        "uvicorn",
        "gunicorn",
        "fastjsonschema",
        "aws_xray_sdk",
        "pydantic",
        "pydantic_core",
        "typing_extensions",
        "awslambdaric",
        "importlib_metadata",
        "zipp",
        "greenlet",
        "asyncpg",
        "aiosignal",
        "frozenlist",
        "multidict",
        "yarl",
        "async_timeout",
        "attrs",
        "packaging",
        "pytz",
        "tzdata",
        "mangum",
        "psycopg2_binary",
        "psycopg_binary",
        "pymysql",
        "orjson",
        "ujson",
        "uvloop",
        "httptools",
        "websockets",
        "watchfiles",
        "python_dotenv",
        "markupsafe",
        "itsdangerous",
        "click",
        "werkzeug",
        "jinja2",
        "h11",
        "anyio",
        "sniffio",
        "starlette",
        "numpy",
        "lxml",
    }
)
_DEV_PREFIXES = (
    "pytest",
    "types_",
    "mypy",
    "black",
    "flake8",
    "ruff",
    "pylint",
    "moto",
    "coverage",
    "isort",
    "tox",
)
_REQ_LINE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_IMPORT_TEXT = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)


def _quality(fc: FunctionCode, fn: Function, cache: ScanCache, reached: list[ir.Module]) -> None:
    if fn.package_type != "Zip":
        return
    folder = cache.folder(fc.code_root)
    fc.package_bytes = folder.bytes
    fc.package_truncated = folder.truncated
    fc.key_files = list(folder.key_files)
    if (
        fc.language != "python"
        or folder.requirements is None
        or folder.truncated
        or len(folder.py_files) > MAX_PY_FILES_FOR_IMPORTS
    ):
        return
    try:
        text = read_text(cache.root / folder.requirements, cache.root)
    except ReadFailure:
        return
    imported: set[str] = set()
    for m in reached:
        for imp in m.imported_modules:
            if imp.level == 0 and imp.module:
                imported.add(imp.module.split(".")[0])
    reached_paths = {m.path for m in reached}
    others: list[str] | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.split("#", 1)[0].strip()
        if not stripped or stripped.startswith(("-", "git+", "http:", "https:", "file:")):
            continue
        match = _REQ_LINE.match(stripped)
        if match is None:
            continue
        dist = re.sub(r"[-.]+", "_", match.group(1)).lower()
        if dist in _IMPLICIT or dist.startswith(_DEV_PREFIXES) or dist.endswith("_stubs"):
            continue
        names = _IMPORT_NAMES.get(dist) or _import_guesses(dist)
        if any(n in imported or n.lower() in imported for n in names):
            continue
        if others is None:
            others = _imports_elsewhere(cache, folder, reached_paths)
        if any(n in others or n.lower() in others for n in names):
            continue
        fc.unused_dependencies.append((match.group(1), SourceRef(folder.requirements, lineno, lineno)))


def _import_guesses(dist: str) -> tuple[str, ...]:
    """Import names a distribution may provide: "strands_agents" -> strands_agents, strands."""
    tokens = [t for t in dist.split("_") if t]
    for affix in ("python", "py"):
        if tokens and tokens[0] == affix and len(tokens) > 1:
            tokens = tokens[1:]
    out = {dist, "_".join(tokens)}
    for n in range(1, len(tokens)):
        head = "_".join(tokens[:n])
        if len(head) >= 3:
            out.add(head)
    return tuple(sorted(out))


def _imports_elsewhere(cache: ScanCache, folder: _Folder, skip: set[str]) -> list[str]:
    """Top-level modules imported by the code folder's other Python files (a quick text scan)."""
    out: set[str] = set()
    for rel in folder.py_files:
        if rel in skip:
            continue
        try:
            text = read_text(cache.root / rel, cache.root)
        except ReadFailure:
            continue
        out.update(m.group(1) for m in _IMPORT_TEXT.finditer(text))
        out.update(m.group(1) for m in re.finditer(r"import_module\(\s*['\"]([A-Za-z_][A-Za-z0-9_]*)", text))
    return sorted(out | {o.lower() for o in out})
