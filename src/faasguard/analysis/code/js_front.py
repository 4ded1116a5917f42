"""The JavaScript / TypeScript front: parsing, module resolution, and the entry points of handlers.

Entry points come from the model's handler (`file.export`), never from a function's name. The
export is looked up the way Node does: `exports.x` / `module.exports.x` / `module.exports = { x }`
(CommonJS), `export const x` / `export function x` / `export { y as x }` / `export default` and
re-exports through barrels (ESM and TypeScript). What the export holds is then:

- a function: the handler (event, context, callback);
- a handler wrapped by middleware, `middy(handler).use(...)`, `middy().handler(fn)`,
  `Sentry.wrapHandler(fn)`, or any wrapper of the code folder: the function handed to the
  wrapper is the handler (a middy validator middleware with a schema validates the event);
- a web framework behind an adapter, `serverless(app)` (serverless-http),
  `serverlessExpress({ app })` (@vendia / @codegenie), aws-serverless-express, Fastify's
  adapter: every route the code registers (`app.get("/users/:id", handler)`, routers, `use`)
  is an entry whose request object (`req.query`, `req.body`, `req.params`, `req.headers`,
  Koa's `ctx.request`) is the HTTP request.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping

from faasguard.analysis.code import ir
from faasguard.analysis.code.catalog import Catalog
from faasguard.analysis.code.entries import CLEAN, EVENT, Binding, Entry
from faasguard.analysis.code.taint import Engine
from faasguard.analysis.code.values import V

EXTENSIONS = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
_TS_FOR_JS = {".js": (".ts", ".tsx"), ".mjs": (".mts",), ".cjs": (".cts",), ".jsx": (".tsx",)}

_QS = ("queryStringParameters",)
_HEADERS = ("headers",)
# Express / lambda-api / Fastify request objects: accessor -> raw field of the proxy event.
EXPRESS_VIEW: Mapping[str, tuple[str, ...]] = {
    "query": _QS,
    "params": ("pathParameters",),
    "body": ("body",),
    "rawBody": ("body",),
    "files": ("body",),
    "file": ("body",),
    "headers": _HEADERS,
    "header": _HEADERS,
    "get": _HEADERS,
    "cookies": ("cookies",),
    "path": ("rawPath",),
    "url": ("rawPath",),
    "originalUrl": ("rawPath",),
    "hostname": ("headers", "host"),
    "apiGateway": (),  # serverless-express: req.apiGateway.event is the raw event
    "event": (),
    "requestContext": ("requestContext",),
}
# Koa's context: ctx.request.* and the shortcuts on ctx.
KOA_VIEW: Mapping[str, tuple[str, ...]] = {
    **EXPRESS_VIEW,
    "request": (),
    "querystring": ("rawQueryString",),
}
_VIEWS = {"express": EXPRESS_VIEW, "koa": KOA_VIEW, "fastify": EXPRESS_VIEW}
_WEB_TAGS = frozenset({"t:web.app", "t:adapter.web"})
_ROUTER_NAME = ("app", "router", "api", "server", "route", "routes", "v1", "v2", "admin", "public", "private")
_MAX_UNWRAP = 6


class JsFront:
    language: str = "javascript"
    suffixes: tuple[str, ...] = EXTENSIONS

    @property
    def catalog(self) -> Catalog:
        from faasguard.analysis.code.js_catalog import js_catalog

        return js_catalog()

    def parse(self, path: str, text: str) -> ir.Module:
        from faasguard.analysis.code.js_lower import parse_module

        return parse_module(path, text)

    def module_candidates(self, importer: str, module: str, level: int, code_root: str) -> list[str]:
        """Files (relative to the scan root) a require / import may name, most likely first."""
        if level:
            if module.startswith("/"):
                return []
            stem = posixpath.normpath(posixpath.join(posixpath.dirname(importer), module))
        else:  # a bare name inside the code folder (TypeScript `baseUrl` imports)
            stem = posixpath.normpath(posixpath.join(code_root, module)) if code_root else module
        if stem.startswith("../") or stem == "..":
            return []
        stem = "" if stem == "." else stem
        out: list[str] = []
        ext = posixpath.splitext(stem)[1]
        if ext in EXTENSIONS or ext == ".json":
            out.append(stem)
            base = stem[: -len(ext)]
            out.extend(base + alt for alt in _TS_FOR_JS.get(ext, ()))  # "./x.js" written for x.ts
        if stem:
            out.extend(stem + e for e in EXTENSIONS)
        prefix = f"{stem}/" if stem else ""
        out.extend(f"{prefix}index{e}" for e in EXTENSIONS)
        return [o for o in out if not o.endswith(".json")]

    # --- entries ---------------------------------------------------------------------------------

    def entries(self, engine: Engine, mod: ir.Module, symbol: str, reached: list[ir.Module]) -> list[Entry]:
        from faasguard.analysis.code.js_lower import JsModule

        out: list[Entry] = []
        seen: set[tuple[str, str]] = set()
        web = False
        value = engine._member(mod, symbol) if mod.exports is not None else engine.global_value(mod, symbol)
        if value.empty and symbol in mod.defs:
            value = engine.global_value(mod, symbol)
        validated = False
        wrapped: list[str] = []
        expr = mod.export_exprs.get(symbol) if isinstance(mod, JsModule) else None
        if expr is not None:
            validated = _validated(engine, mod, expr)
            if not _callable(value) or value.tags & _WEB_TAGS or _is_wrapper_call(expr):
                wrapped = self._unwrap(engine, mod, expr, 0)
        tags = sorted(value.tags) + wrapped
        if value.tags & _WEB_TAGS or any(t in _WEB_TAGS for t in wrapped):
            web = True
        for tag in tags:
            found = _function_of(engine, tag)
            if found is None:
                continue
            target, fn = found
            key = (target.path, fn.qualname)
            if key in seen:
                continue
            seen.add(key)
            out.append(self._handler_entry(target, fn, validated))
            summ = engine.summary(target.path, fn.qualname)
            if summ is not None and "web" in summ.routers:
                web = True
            if tag.startswith("clo:"):  # a wrapper's closure: the function it wraps
                for captured in _captured(engine, tag):
                    inner = _function_of(engine, captured)
                    if inner is not None and (inner[0].path, inner[1].qualname) not in seen:
                        seen.add((inner[0].path, inner[1].qualname))
                        out.append(self._handler_entry(inner[0], inner[1], validated))
        if web:
            out.extend(self._routes(engine, reached, seen))
        return out

    def _handler_entry(self, mod: ir.Module, fn: ir.Function, validated: bool) -> Entry:
        shift = 1 if fn.owner is not None and not fn.static else 0
        event = CLEAN if validated else EVENT
        bindings: dict[int, Binding] = {shift: event, shift + 1: CLEAN, shift + 2: CLEAN}
        return Entry(mod.path, fn.qualname, bindings, "handler", None, None, fn.line, http=False)

    def _unwrap(self, engine: Engine, mod: ir.Module, expr: ir.Expr, depth: int) -> list[str]:
        """Function and web-app tags handed to the wrappers in an export's expression."""
        if depth > _MAX_UNWRAP:
            return []
        out: list[str] = []
        if isinstance(expr, ir.Call):
            for a in expr.args:
                inner = a.value if isinstance(a, ir.Starred) else a
                v = engine.eval_in_module(mod, inner)
                out.extend(t for t in v.tags if t.startswith(("fn:", "clo:")) or t in _WEB_TAGS)
                if isinstance(inner, ir.Coll) and inner.keys is not None:  # serverlessExpress({ app })
                    for item in inner.items:
                        iv = engine.eval_in_module(mod, item)
                        out.extend(t for t in iv.tags if t in _WEB_TAGS)
                elif isinstance(inner, ir.Call):
                    out.extend(self._unwrap(engine, mod, inner, depth + 1))
            out.extend(self._unwrap(engine, mod, expr.func, depth + 1))
        elif isinstance(expr, ir.Attr):
            out.extend(self._unwrap(engine, mod, expr.obj, depth + 1))
        elif isinstance(expr, (ir.Either, ir.BoolOp)):
            parts = expr.options if isinstance(expr, ir.Either) else expr.values
            for p in parts:
                out.extend(self._unwrap(engine, mod, p, depth + 1))
        elif isinstance(expr, ir.Name) and depth == 0:
            pass
        return out

    def _routes(
        self, engine: Engine, reached: Iterable[ir.Module], seen: set[tuple[str, str]]
    ) -> list[Entry]:
        from faasguard.analysis.code.js_lower import JsModule

        out: list[Entry] = []
        for mod in reached:
            if not isinstance(mod, JsModule) or not mod.routes:
                continue
            framework = mod.web_framework or "express"
            view = _VIEWS.get(framework, EXPRESS_VIEW)
            for reg in mod.routes:
                if not _router_receiver(engine, mod, reg.receiver):
                    continue
                label = None if reg.verb == "use" else f"{reg.verb.upper()} {reg.path or '/'}"
                for h in reg.handlers:
                    v = engine.eval_in_module(mod, h)
                    for tag in sorted(v.tags):
                        found = _function_of(engine, tag)
                        if found is None:
                            continue
                        target, fn = found
                        key = (target.path, f"{fn.qualname} {label}")  # one entry per route
                        if key in seen:
                            continue
                        seen.add(key)
                        shift = 1 if fn.owner is not None and not fn.static else 0
                        declared = len(fn.params) - len(fn.captures) - shift
                        if declared <= 0:
                            continue
                        bindings: dict[int, Binding] = {shift: Binding("ambient", view=view)}
                        for i in range(1, declared):
                            bindings[shift + i] = CLEAN
                        out.append(
                            Entry(
                                target.path,
                                fn.qualname,
                                bindings,
                                "route",
                                framework,
                                label,
                                fn.line,
                                http=True,
                            )
                        )
        return out

    # --- returns served as HTML ----------------------------------------------------------------

    @staticmethod
    def html_return(expr: ir.Expr) -> ir.Expr | None:
        return None  # Lambda proxy responses say their content type (checked on the object)


def _callable(value: V) -> bool:
    return any(t.startswith(("fn:", "clo:")) for t in value.tags)


def _is_wrapper_call(expr: ir.Expr) -> bool:
    return isinstance(expr, ir.Call)


def _function_of(engine: Engine, tag: str) -> tuple[ir.Module, ir.Function] | None:
    if tag.startswith("fn:"):
        file, _, qual = tag[3:].rpartition(":")
    elif tag.startswith("clo:"):
        try:
            file, qual, _ = engine._closures[int(tag[4:])]
        except (ValueError, IndexError):
            return None
    else:
        return None
    mod = engine.loader.load(file)
    fn = mod.functions.get(qual) if mod is not None else None
    if mod is None or fn is None:
        return None
    return mod, fn


def _captured(engine: Engine, tag: str) -> list[str]:
    try:
        _, _, caps = engine._closures[int(tag[4:])]
    except (ValueError, IndexError):
        return []
    return [t for c in caps for t in sorted(c.tags) if t.startswith(("fn:", "clo:"))]


def _validated(engine: Engine, mod: ir.Module, expr: ir.Expr) -> bool:
    """middy(handler).use(validator({ eventSchema })) validates the event before the handler."""
    stack: list[ir.Expr] = [expr]
    steps = 0
    while stack and steps < 64:
        steps += 1
        e = stack.pop()
        if isinstance(e, ir.Call):
            if isinstance(e.func, ir.Attr) and e.func.name == "use":
                for a in e.args:
                    if isinstance(a, ir.Call) and a.args:
                        fv = engine.eval_in_module(mod, a.func)
                        names = {t[2:] for t in fv.tags if t.startswith("q:")}
                        opts = a.args[0]
                        schema = isinstance(opts, ir.Coll) and any(
                            opts.get(k) is not None for k in ("eventSchema", "inputSchema")
                        )
                        if schema and any(n.startswith("@middy/validator") for n in names):
                            return True
            stack.append(e.func)
            stack.extend(e.args)
        elif isinstance(e, ir.Attr):
            stack.append(e.obj)
    return False


def _router_receiver(engine: Engine, mod: ir.Module, recv: ir.Expr) -> bool:
    """The object routes are registered on is a web app or router (by type, or by its name)."""
    v = engine.eval_in_module(mod, recv)
    if "t:web.app" in v.tags:
        return True
    if any(t.startswith(("q:", "t:", "obj:", "cls:")) for t in v.tags):
        return False
    name = ""
    if isinstance(recv, ir.Name):
        name = recv.id
    elif isinstance(recv, ir.Attr):
        name = recv.name
    lowered = name.lower()
    return any(lowered == n or lowered.endswith(n) for n in _ROUTER_NAME)
