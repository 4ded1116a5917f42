"""The Python front: parsing, import resolution, and the entry points of Python handlers.

Entry points come from the model's handler (`module.function`), never from a function's name.
A handler symbol may also be an in-code router: a Chalice app (`app.app`), an ASGI/WSGI adapter
around Flask or FastAPI (`Mangum(app)`), or a function that hands the event to Powertools'
`app.resolve(...)`. Their routes become entries with the route's parameters bound to request
fields.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping

from faasguard.analysis.code import ir
from faasguard.analysis.code.catalog import Catalog
from faasguard.analysis.code.entries import AMBIENT, CLEAN, EVENT, Binding, Entry
from faasguard.analysis.code.python.catalog import python_catalog
from faasguard.analysis.code.python.lower import parse_module
from faasguard.analysis.code.taint import Engine
from faasguard.model import TriggerKind

_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
_ROUTER_TYPES = {
    "t:powertools.resolver": "powertools",
    "t:powertools.router": "powertools",
    "t:chalice.app": "chalice",
    "t:chalice.blueprint": "chalice",
    "t:flask.app": "flask",
    "t:flask.blueprint": "flask",
    "t:fastapi.app": "fastapi",
    "t:fastapi.router": "fastapi",
}
_ROUTE_METHODS = {
    "powertools": (*_HTTP_VERBS, "route"),
    "chalice": ("route",),
    "flask": (*_HTTP_VERBS, "route"),
    "fastapi": (*_HTTP_VERBS, "api_route"),
}

_S3_KEY = ("Records", "*", "s3", "object", "key")
# Chalice's event objects: accessor -> raw event path (iteration yields the records).
_CHALICE_EVENTS: Mapping[str, tuple[tuple[TriggerKind, ...], Mapping[str, tuple[str, ...]]]] = {
    "on_s3_event": (
        (TriggerKind.S3,),
        {"key": _S3_KEY, "bucket": ("Records", "*", "s3", "bucket", "name"), "to_dict": ()},
    ),
    "on_sqs_message": ((TriggerKind.SQS,), {"*": ("Records", "*"), "to_dict": ()}),
    "on_sns_message": (
        (TriggerKind.SNS,),
        {
            "message": ("Records", "*", "Sns", "Message"),
            "subject": ("Records", "*", "Sns", "Subject"),
            "message_attributes": ("Records", "*", "Sns", "MessageAttributes"),
            "to_dict": (),
        },
    ),
    "on_dynamodb_record": (
        (TriggerKind.DYNAMODB_STREAM,),
        {"*": ("Records", "*", "dynamodb"), "to_dict": ()},
    ),
    "on_kinesis_record": ((TriggerKind.KINESIS,), {"*": ("Records", "*", "kinesis"), "to_dict": ()}),
    "on_cw_event": ((TriggerKind.EVENTBRIDGE,), {"to_dict": ()}),
    "schedule": ((TriggerKind.SCHEDULE,), {}),
    "on_ws_message": ((TriggerKind.WEBSOCKET,), {"to_dict": ()}),
    "on_ws_connect": ((TriggerKind.WEBSOCKET,), {"to_dict": ()}),
    "on_ws_disconnect": ((TriggerKind.WEBSOCKET,), {"to_dict": ()}),
    "lambda_function": ((), {}),
    "authorizer": ((TriggerKind.OTHER,), {}),
}
_NUMERIC = frozenset(
    {"int", "float", "bool", "uuid.UUID", "UUID", "decimal.Decimal", "Decimal", "datetime", "date"}
)
_REQUEST_TYPES = ("Request", "starlette.requests.Request", "fastapi.Request", "fastapi.requests.Request")


class PythonFront:
    language: str = "python"
    suffixes: tuple[str, ...] = (".py",)

    @property
    def catalog(self) -> Catalog:
        return python_catalog()

    def parse(self, path: str, text: str) -> ir.Module:
        return parse_module(path, text)

    def module_candidates(self, importer: str, module: str, level: int, code_root: str) -> list[str]:
        """Files (relative to the scan root) an import may name, most likely first."""
        rel = module.replace(".", "/") if module else ""
        bases: list[str] = []
        if level:
            base = posixpath.dirname(importer)
            for _ in range(level - 1):
                base = posixpath.dirname(base)
            bases.append(base)
        else:
            bases.append(code_root)
            here = posixpath.dirname(importer)
            if here != code_root:
                bases.append(here)
        out: list[str] = []
        for base in bases:
            stem = posixpath.normpath(posixpath.join(base, rel)) if rel else posixpath.normpath(base)
            if stem.startswith("../") or stem == "..":
                continue
            stem = "" if stem == "." else stem
            out.append(f"{stem}.py" if stem else "__init__.py")
            out.append(posixpath.join(stem, "__init__.py") if stem else "__init__.py")
        return out

    # --- entries ---------------------------------------------------------------------------------

    def entries(self, engine: Engine, mod: ir.Module, symbol: str, reached: list[ir.Module]) -> list[Entry]:
        value = engine.global_value(mod, symbol)
        out: list[Entry] = []
        routers: set[str] = set()
        for tag in value.tags:
            if tag.startswith("fn:"):
                file, _, qual = tag[3:].rpartition(":")
                target = engine.loader.load(file)
                fn = target.functions.get(qual) if target is not None else None
                if target is None or fn is None:
                    continue
                out.append(self._handler_entry(engine, target, fn))
                summ = engine.summary(file, qual)
                if summ is not None:
                    routers |= summ.routers
            elif tag.startswith("obj:"):  # an instance whose class defines __call__(event, context)
                file, _, cls = tag[4:].rpartition(":")
                found = engine._method(file, cls, "__call__")
                target = engine.loader.load(found[0]) if found is not None else None
                fn = target.functions.get(found[1]) if target is not None and found is not None else None
                if target is not None and fn is not None:
                    entry = self._handler_entry(engine, target, fn)
                    bindings = {0: CLEAN, **{i + 1: b for i, b in entry.bindings.items()}}
                    out.append(
                        Entry(entry.file, entry.qual, bindings, entry.kind, entry.framework, None, entry.line)
                    )
            elif tag == "t:chalice.app":
                routers.add("chalice")
            elif tag in ("t:adapter.asgi", "t:adapter.wsgi", "t:flask.app", "t:fastapi.app"):
                routers |= {"flask", "fastapi"}
        if "powertools" in routers:
            out.extend(self._routes(engine, reached, "powertools"))
        if "chalice" in routers:
            out.extend(self._routes(engine, reached, "chalice"))
        if routers & {"wsgi", "asgi", "flask", "fastapi"}:
            out.extend(self._routes(engine, reached, "flask"))
            out.extend(self._routes(engine, reached, "fastapi"))
        return out

    def _handler_entry(self, engine: Engine, mod: ir.Module, fn: ir.Function) -> Entry:
        bindings: dict[int, Binding] = {0: EVENT, 1: CLEAN}
        kind = "handler"
        framework = None
        for dec in fn.decorators:
            call = dec if isinstance(dec, ir.Call) else None
            func = call.func if call is not None else dec
            name = _last(func)
            if name in ("validator", "event_parser") and call is not None:
                if call.kwarg("inbound_schema") is not None or call.kwarg("model") is not None:
                    bindings[0] = CLEAN
            elif isinstance(func, ir.Attr) and name in _CHALICE_EVENTS:
                owner = engine.eval_in_module(mod, func.obj)
                if owner.tags & {"t:chalice.app", "t:chalice.blueprint"}:
                    implied, view = _CHALICE_EVENTS[name]
                    bindings = {0: Binding("event", view=view, implied=implied)}
                    kind, framework = "event", "chalice"
        return Entry(mod.path, fn.qualname, bindings, kind, framework, None, fn.line, http=False)

    def _routes(self, engine: Engine, reached: Iterable[ir.Module], framework: str) -> list[Entry]:
        out: list[Entry] = []
        methods = _ROUTE_METHODS[framework]
        for mod in reached:
            for fn in mod.functions.values():
                for dec in fn.decorators:
                    if not (isinstance(dec, ir.Call) and isinstance(dec.func, ir.Attr)):
                        continue
                    verb = dec.func.name
                    if verb not in methods:
                        continue
                    owner = engine.eval_in_module(mod, dec.func.obj)
                    if not any(_ROUTER_TYPES.get(t) == framework for t in owner.tags):
                        continue
                    path = _const_str(dec.args[0]) if dec.args else None
                    if path is None:
                        path = _const_str(dec.kwarg("path") or dec.kwarg("rule") or ir.Unknown(0)) or "/"
                    http_methods = _methods(dec, verb)
                    out.append(self._route_entry(engine, mod, fn, framework, path, http_methods, dec))
                    break
        return out

    def _route_entry(
        self,
        engine: Engine,
        mod: ir.Module,
        fn: ir.Function,
        framework: str,
        path: str,
        methods: list[str],
        dec: ir.Call,
    ) -> Entry:
        bindings: dict[int, Binding] = {}
        params = _path_params(path)
        for i, name in enumerate(fn.params):
            if i == fn.vararg or i == fn.kwarg:
                continue
            ann = fn.annotations.get(name, "")
            converter = params.get(name)
            if framework == "fastapi":
                if ann.endswith(_REQUEST_TYPES) or ann in _REQUEST_TYPES:
                    bindings[i] = AMBIENT
                elif ann in _NUMERIC or _validated(engine, mod, ann):
                    bindings[i] = CLEAN
                elif name in params:
                    bindings[i] = Binding("field", ("pathParameters", name))
                elif ann and ann not in ("str", "list", "dict", "typing.Any", "Any", "bytes"):
                    bindings[i] = CLEAN  # dependencies, sessions, background tasks...
                else:
                    bindings[i] = Binding("field", ("queryStringParameters", name))
            elif converter is not None:
                bindings[i] = (
                    CLEAN
                    if converter in ("int", "float", "uuid")
                    else Binding("field", ("pathParameters", name))
                )
            else:
                bindings[i] = CLEAN
        html = framework == "flask"
        if framework == "fastapi":
            rc = dec.kwarg("response_class")
            html = rc is not None and _last(rc) == "HTMLResponse"
        label = f"{'/'.join(methods)} {path}"
        return Entry(
            mod.path, fn.qualname, bindings, "route", framework, label, fn.line, http=True, html_returns=html
        )

    # --- returns served as HTML ----------------------------------------------------------------

    @staticmethod
    def html_return(expr: ir.Expr) -> ir.Expr | None:
        """The part of a route's return value served as the page body, if it can be HTML."""
        if isinstance(expr, ir.Coll) and expr.kind == "tuple" and expr.items:
            expr = expr.items[0]
        if isinstance(expr, (ir.Coll, ir.Comp)):
            return None  # dicts and lists are sent as JSON
        if isinstance(expr, ir.Call) and _last(expr.func) in (
            "jsonify",
            "dumps",
            "make_response",
            "Response",
            "JSONResponse",
            "redirect",
            "send_file",
            "send_from_directory",
            "render_template",
            "render_template_string",
            "abort",
        ):
            return None
        return expr


def _last(e: ir.Expr) -> str:
    if isinstance(e, ir.Attr):
        return e.name
    if isinstance(e, ir.Name):
        return e.id
    if isinstance(e, ir.Call):
        return _last(e.func)
    return ""


def _const_str(e: ir.Expr) -> str | None:
    return e.value if isinstance(e, ir.Const) and isinstance(e.value, str) else None


def _methods(dec: ir.Call, verb: str) -> list[str]:
    if verb in _HTTP_VERBS:
        return [verb.upper()]
    found = dec.kwarg("methods")
    if isinstance(found, ir.Coll):
        names = [x.value.upper() for x in found.items if isinstance(x, ir.Const) and isinstance(x.value, str)]
        if names:
            return names
    if dec.args and len(dec.args) > 1 and isinstance(dec.args[1], (ir.Coll, ir.Const)):
        second = dec.args[1]
        if isinstance(second, ir.Const) and isinstance(second.value, str):
            return [second.value.upper()]
        if isinstance(second, ir.Coll):
            names = [
                x.value.upper() for x in second.items if isinstance(x, ir.Const) and isinstance(x.value, str)
            ]
            if names:
                return names
    return ["GET"]


_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\{(\w+)(?::[^}]*)?\}")


def _path_params(path: str) -> dict[str, str]:
    """Route parameters and their converters: "/f/<int:id>" -> {"id": "int"}; "/u/{name}" -> {"name": ""}."""
    out: dict[str, str] = {}
    for m in _PARAM.finditer(path):
        if m.group(2):
            out[m.group(2)] = m.group(1) or ""
        elif m.group(3):
            out[m.group(3)] = ""
    return out


def _validated(engine: Engine, mod: ir.Module, ann: str) -> bool:
    if not ann or ann not in mod.classes:
        return False
    return bool(engine._class_bases(mod.path, ann) & engine.catalog.validated_bases)
