"""AWS SDK calls in a function's code: which service operations it runs, with what resource names.

An `SdkEngine` is the taint engine (taint.py) with client values made visible: constructing a
client (`boto3.client("s3")`, `new AWS.S3()`, `new S3Client()`, `boto3.resource(...).Table(n)`)
yields a descriptor carried both as a type tag and as an atom, so the engine's own machinery
follows it through assignments, returns, module globals, imports, class fields and parameters.
A method call on a descriptor is recorded in the function's summary as a hit of family "sdk";
a call on a parameter is recorded against that parameter and resolved where the function is
called (the engine instantiates summaries at call sites). Environment reads (`os.environ[...]`,
`process.env.X`) are tagged with the variable's name, so a resource named through one is known.

Resolution to operations uses botocore's service models and boto3's resource models
(analysis/iam/sdk_map.py); anything that cannot be resolved is kept with its reason.
It runs on its own engine instance, so the taint analysis never sees these atoms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from faasguard.analysis.code import ir
from faasguard.analysis.code.taint import Engine, Frame, Hit
from faasguard.analysis.code.values import EMPTY, RAW, Atom, V
from faasguard.analysis.iam import sdk_map

FAMILY = "sdk"
_NOT_OPERATIONS = frozenset(
    {"meta", "exceptions", "close", "can_paginate", "waiter_names", "get_available_subresources"}
)
_JS_NOT_OPERATIONS = frozenset(
    {"promise", "send", "destroy", "config", "middlewareStack", "on", "setupRequestListeners", "makeRequest"}
)
_COLLECTION_CALLS = frozenset({"all", "filter", "limit", "page_size"})


@dataclass(frozen=True, slots=True)
class Desc:
    """What an SDK value is."""

    kind: str  # client | docclient | resource | collection | paginator | waiter | batchwriter | op
    sdk: str  # py | js2 | js3
    service: str | None = None  # botocore service name (None: unknown, see `problem`)
    rtype: str = ""  # boto3 resource type, collection name, or the bare/aggregated v3 flavour
    idents: tuple[tuple[str, str], ...] = ()  # boto3 resource identifiers -> value info
    operation: str | None = None  # paginator / waiter / collection / op: the operation it runs
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class CallInfo:
    file: str
    line: int
    method: str
    args: tuple[tuple[str, str], ...] = ()  # request member -> "c:<text>" | "e:<ENV>" | "?"
    positional: tuple[str, ...] = ()  # positional arguments' infos
    statements: tuple[str | None, ...] = ()  # PartiQL statements named by the call
    items: frozenset[str] | None = None  # TransactWriteItems item kinds written in the call
    params: tuple[tuple[str, str], ...] = ()  # resource identifiers -> request members


@dataclass(frozen=True, slots=True)
class SdkCall:
    """One operation a line of code runs."""

    file: str
    line: int
    service: str | None
    operation: str | None
    args: Mapping[str, str] = field(default_factory=dict)
    statements: tuple[str | None, ...] = ()
    items: frozenset[str] | None = None
    via: str = ""  # what the code wrote: "put_item", "GetCommand", "upload_file"
    problem: str | None = None  # why it could not be resolved


def info_of(v: V) -> str:
    """ "c:<literal>" for a string constant, "e:<NAME>" for an environment read, else "?"."""
    c = v.str_const()
    if c is not None:
        return "c:" + c
    for t in sorted(v.tags):
        if t.startswith("env:"):
            return "e:" + t[4:]
        if t.startswith("q:process.env.") and t.count(".") == 2:
            return "e:" + t[len("q:process.env.") :]
    return "?"


class SdkEngine(Engine):
    """The taint engine, recording AWS SDK calls as hits of family "sdk" (see the module doc)."""

    def __init__(self, loader: Any, catalog: Any, language: str) -> None:
        super().__init__(loader, catalog)
        self.language = language
        self.descs: list[Desc] = []
        self._desc_ids: dict[Desc, int] = {}
        self.infos: list[CallInfo] = []
        self._memo: dict[int, V] = {}

    # --- descriptors ---------------------------------------------------------------------------

    def _desc(self, d: Desc) -> int:
        got = self._desc_ids.get(d)
        if got is None:
            got = len(self.descs)
            self.descs.append(d)
            self._desc_ids[d] = got
        return got

    def _value(self, d: Desc, base: V = EMPTY) -> V:
        i = self._desc(d)
        return V(base.atoms | {Atom(("s", FAMILY, i))}, base.tags | {f"sdk:{i}"})

    def _descs_of(self, v: V | None) -> list[int]:
        if v is None:
            return []
        out = {int(t[4:]) for t in v.tags if t.startswith("sdk:")}
        out |= {
            int(str(a.root[2]))
            for a in v.atoms
            if a.root[0] == "s" and a.root[1] == FAMILY and a.shape == RAW and not a.path
        }
        return sorted(out)

    def _record(self, recv: V | None, desc_ids: Iterable[int], info: CallInfo) -> None:
        summ = self._sum
        if summ is None:
            return
        ci = len(self.infos)
        self.infos.append(info)
        mark = frozenset({f"#{ci}"})
        for i in desc_ids:
            summ.add(Hit(FAMILY, "", info.file, info.line, Atom(("s", FAMILY, i), clean=mark)))
        if recv is not None:
            for a in recv.atoms:
                if a.root[0] == "p" and a.shape == RAW and not a.path:
                    summ.add(Hit(FAMILY, "", info.file, info.line, Atom(a.root, clean=mark)))

    # --- evaluation hooks ----------------------------------------------------------------------

    def _ev(self, e: ir.Expr, fr: Frame) -> V:
        if self._memo:
            got = self._memo.pop(id(e), None)
            if got is not None:
                return got
        return super()._ev(e, fr)

    def _index(self, e: ir.Index, fr: Frame) -> V:
        base = self._ev(e.obj, fr)
        self._memo[id(e.obj)] = base
        out = super()._index(e, fr)
        if e.key is not None and ("q:os.environ" in base.tags or "q:process.env" in base.tags):
            key = self._ev(e.key, fr).str_const()
            if key is not None:
                return V(tags=frozenset({"env:" + key}))
        return out

    def _attr(self, e: ir.Attr, fr: Frame) -> V:
        base = self._ev(e.obj, fr)
        self._memo[id(e.obj)] = base
        out = super()._attr(e, fr)
        extra = [self._collection(self.descs[i], e.name) for i in self._descs_of(base)]
        for d in extra:
            if d is not None:
                out = self._value(d, out)
        return out

    def _call(self, e: ir.Call, fr: Frame) -> V:
        func = e.func
        recv: V | None = None
        fv: V | None = None
        if isinstance(func, ir.Attr):
            recv = self._ev(func.obj, fr)
        else:
            fv = self._ev(func, fr)
        keys = [id(func.obj) if isinstance(func, ir.Attr) else id(func)]
        args: list[V] = []
        for a in e.args:
            target = a.value if isinstance(a, ir.Starred) else a
            v = self._ev(target, fr)
            self._memo[id(target)] = v
            keys.append(id(target))
            if not isinstance(a, ir.Starred):
                args.append(v)
        kwargs: dict[str, V] = {}
        for k, kvx in e.kwargs:
            v = self._ev(kvx, fr)
            self._memo[id(kvx)] = v
            keys.append(id(kvx))
            if k is not None:
                kwargs[k] = v
        # Every value is evaluated once: the engine's own _call reads them back from the memo.
        if isinstance(func, ir.Attr):
            self._memo[id(func.obj)] = recv  # type: ignore[assignment]
        else:
            self._memo[id(func)] = fv  # type: ignore[assignment]
        try:
            out = super()._call(e, fr)
        finally:
            for key in keys:
                self._memo.pop(key, None)
        if self._mod is None:
            return out
        self._wrapper_call(e, fv, recv, func, args, kwargs, fr)
        if recv is not None:
            assert isinstance(func, ir.Attr)
            # A call's result is never the client it was called on (a response, a request).
            out = V(frozenset(a for a in out.atoms if a not in recv.atoms), out.tags, out.const)
            got = self._on_method(e, recv, func.name, args, kwargs, fr, out)
        else:
            assert fv is not None
            got = self._on_function(e, fv, args, kwargs, fr, out)
        if got is None and self.language == "python":
            got = self._python_client(out, args, kwargs)
        if got is not None:
            return got
        if self.language == "python":
            return self._python_env(out, fv, recv, func, args)
        return out

    # --- wrappers (iam/wrappers.py) -------------------------------------------------------------

    def _wrapper_call(
        self,
        e: ir.Call,
        fv: V | None,
        recv: V | None,
        func: ir.Expr,
        args: list[V],
        kwargs: dict[str, V],
        fr: Frame,
    ) -> None:
        """A call of a modelled wrapper's member (`parameters.get_parameter("/x")`) runs the
        operations the table lists; a call of any other of its members is left unresolved."""
        from faasguard.analysis.iam import wrappers

        if fv is not None:
            names = sorted(t[2:] for t in fv.tags if t.startswith("q:"))
        elif recv is not None and isinstance(func, ir.Attr):
            names = sorted(f"{t[2:]}.{func.name}" for t in recv.tags if t.startswith("q:"))
        else:
            return
        mod = self._mod
        assert mod is not None
        sdk = "py" if self.language == "python" else "js3"
        for name in names:
            got = wrappers.lookup(self.language, name)
            if got is None or got[0].calls != wrappers.MODELLED or not got[1]:
                continue
            row, rest = got
            mname = rest.rsplit(".", 1)[-1]
            member = row.member(mname)
            if member is None:
                if row.is_inert(mname):
                    return
                problem = f"not modelled in {row.module}: its AWS calls are not derived"
                d = Desc("op", sdk, None, problem=problem)
                self._record(None, [self._desc(d)], CallInfo(mod.path, e.line, mname))
                return
            named: dict[str, str] = {}
            for where, request_member in member.arguments.items():
                value = self._wrapper_argument(e, where, args, kwargs, fr)
                if value is not None:
                    named[request_member] = value
            info = CallInfo(mod.path, e.line, mname, tuple(sorted(named.items())))
            for op in member.operations:
                self._record(None, [self._desc(Desc("op", sdk, member.service, operation=op))], info)
            return

    def _wrapper_argument(
        self, e: ir.Call, where: str, args: list[V], kwargs: dict[str, V], fr: Frame
    ) -> str | None:
        """The value info of a wrapper's argument: "0" (position), "name" (keyword), "0.key"."""
        index, _, key = where.partition(".")
        if not index.isdigit():
            v = kwargs.get(where)
            return info_of(v) if v is not None else None
        i = int(index)
        if not key:
            return info_of(args[i]) if i < len(args) else None
        obj = e.args[i] if i < len(e.args) else None
        if not (isinstance(obj, ir.Coll) and obj.keys is not None):
            return None
        sub = obj.get(key)
        return info_of(self._ev(sub, fr)) if sub is not None else None

    # --- Python --------------------------------------------------------------------------------

    def _python_env(self, out: V, fv: V | None, recv: V | None, func: ir.Expr, args: list[V]) -> V:
        name = args[0].str_const() if args else None
        if name is None:
            return out
        if fv is not None and "q:os.getenv" in fv.tags:
            return V(tags=frozenset({"env:" + name}))
        method = func.name if isinstance(func, ir.Attr) else None
        if recv is not None and method == "getenv" and "q:os" in recv.tags:
            return V(tags=frozenset({"env:" + name}))
        if (
            recv is not None
            and isinstance(func, ir.Attr)
            and func.name == "get"
            and "q:os.environ" in recv.tags
        ):
            return V(tags=frozenset({"env:" + name}))
        return out

    def _on_function(
        self, e: ir.Call, fv: V, args: list[V], kwargs: dict[str, V], fr: Frame, out: V
    ) -> V | None:
        if self.language == "python":
            return None
        for tag in sorted(fv.tags):
            if tag.startswith("q:"):
                got = self._js_construct(tag[2:], e, args, fr, out)
                if got is not None:
                    return got
        return None

    def _python_client(self, out: V, args: list[V], kwargs: dict[str, V]) -> V | None:
        for tag in sorted(out.tags):
            if tag.startswith("t:boto3.client") or tag.startswith("t:boto3.resource"):
                kind, _, service = tag[2:].partition(":")
                if not service:
                    d = Desc("client", "py", None, problem="a client of a service computed at run time")
                elif kind == "boto3.client":
                    d = Desc("client", "py", service)
                else:
                    d = Desc("resource", "py", service, "ServiceResource")
                return self._value(d, out)
        return None

    def _on_method(
        self,
        e: ir.Call,
        recv: V,
        mname: str,
        args: list[V],
        kwargs: dict[str, V],
        fr: Frame,
        out: V,
    ) -> V | None:
        mod = self._mod
        assert mod is not None
        descs = self._descs_of(recv)
        param_recv = any(a.root[0] == "p" and a.shape == RAW and not a.path for a in recv.atoms)
        if not descs and not param_recv:
            if self.language != "python":
                for tag in sorted(recv.tags):
                    if tag.startswith("q:"):
                        got = self._js_construct(f"{tag[2:]}.{mname}", e, args, fr, out)
                        if got is not None:
                            return got
            return None
        if mname.startswith("__") or mname in _NOT_OPERATIONS:
            return None
        info = self._info(e, mname, args, kwargs, fr)
        result: V | None = None
        plain: list[int] = []
        for i in descs:
            d = self.descs[i]
            nd = self._derived(d, mname, args, kwargs, info)
            if nd is not None:
                result = self._value(nd, result if result is not None else out)
            elif d.sdk != "py" and mname in _JS_NOT_OPERATIONS:
                continue  # send() runs a command recorded where it is built; promise(), config...
            else:
                plain.append(i)
        if plain or (param_recv and not descs):
            self._record(recv if not descs else None, plain, info)
        return result

    def _derived(
        self, d: Desc, mname: str, args: list[V], kwargs: dict[str, V], info: CallInfo
    ) -> Desc | None:
        """A new SDK value a method returns (a sub-resource, a paginator, a waiter...)."""
        if d.service is None:
            return None
        if d.kind == "client" and d.sdk == "py" and mname in ("get_paginator", "get_waiter"):
            name = args[0].str_const() if args else None
            if mname == "get_paginator":
                op = sdk_map.operation_for(d.service, name) if name else None
                kind = "paginator"
            else:
                op = sdk_map.waiter_operation(d.service, name) if name else None
                kind = "waiter"
            problem = None if op else f"{mname}({name or '<computed>'!s}) names no {d.service} operation"
            return Desc(kind, "py", d.service, operation=op, problem=problem)
        if d.kind == "resource":
            spec = sdk_map.resource_spec(d.service, d.rtype) or {}
            has = spec.get("has", {}).get(mname)
            if has is None and d.rtype == "ServiceResource":
                # boto3 gives the service resource a constructor for every resource type, its
                # identifiers taken from the arguments in order.
                rdef = (sdk_map.resource_model(d.service) or {}).get("resources", {}).get(mname)
                if rdef is not None:
                    ids = [{"target": i["name"], "source": "input"} for i in rdef.get("identifiers", ())]
                    has = {"resource": {"type": mname, "identifiers": ids}}
            if has is not None:
                res = has.get("resource", {})
                idents = dict(d.idents)
                pos = 0
                for ident in res.get("identifiers", ()):
                    if ident.get("source") == "input":
                        v = args[pos] if pos < len(args) else kwargs.get(ident.get("target", ""))
                        idents[ident["target"]] = info_of(v) if v is not None else "?"
                        pos += 1
                    elif ident.get("source") == "identifier":
                        idents[ident["target"]] = dict(d.idents).get(ident.get("name", ""), "?")
                return Desc(
                    "resource", "py", d.service, str(res.get("type", "")), tuple(sorted(idents.items()))
                )
            if mname == "batch_writer" and d.service == "dynamodb":
                return Desc("batchwriter", "py", d.service, d.rtype, d.idents)
        if d.kind == "collection" and mname in _COLLECTION_CALLS:
            return d
        return None

    def _collection(self, d: Desc, name: str) -> Desc | None:
        if d.kind != "resource" or d.service is None:
            return None
        from botocore import xform_name  # type: ignore[import-untyped]

        spec = sdk_map.resource_spec(d.service, d.rtype) or {}
        for cname, cspec in spec.get("hasMany", {}).items():
            if xform_name(cname) == name:
                op = cspec.get("request", {}).get("operation")
                return Desc("collection", "py", d.service, f"{d.rtype}.{cname}", d.idents, op)
        return None

    def _info(self, e: ir.Call, mname: str, args: list[V], kwargs: dict[str, V], fr: Frame) -> CallInfo:
        mod = self._mod
        assert mod is not None
        named: dict[str, str] = {k: info_of(v) for k, v in kwargs.items()}
        statements: list[str | None] = []
        items: frozenset[str] | None = None
        if self.language == "python":
            if "Statement" in kwargs:
                statements.append(kwargs["Statement"].str_const())
            for k in ("Statements", "TransactStatements"):
                expr = e.kwarg(k)
                if expr is not None:
                    statements.extend(self._statements(expr, fr))
            expr = e.kwarg("TransactItems")
            if expr is not None:
                items = self._item_kinds(expr)
            copy = e.kwarg("CopySource") or (e.args[0] if mname == "copy" and e.args else None)
            if copy is not None:
                named["CopySource.Bucket"] = self._copy_bucket(copy, fr)
            for key, kvx in e.kwargs:
                if key is not None:
                    self._nested(key, kvx, fr, named)
        else:
            obj = e.args[0] if e.args else None
            if mname.startswith("waitFor") or mname == "waitFor":
                obj = e.args[1] if len(e.args) > 1 else None
            named.update(self._js_object(obj, fr))
            statements, items = self._js_extras(obj, fr)
        return CallInfo(
            mod.path,
            e.line,
            mname,
            tuple(sorted(named.items())),
            tuple(info_of(a) for a in args),
            tuple(statements),
            items,
        )

    def _statements(self, expr: ir.Expr, fr: Frame) -> list[str | None]:
        if isinstance(expr, ir.Coll) and expr.keys is None:
            out: list[str | None] = []
            for item in expr.items:
                st = item.get("Statement") if isinstance(item, ir.Coll) else None
                out.append(self._ev(st, fr).str_const() if st is not None else None)
            return out
        return [None]

    @staticmethod
    def _item_kinds(expr: ir.Expr) -> frozenset[str] | None:
        if not (isinstance(expr, ir.Coll) and expr.keys is None):
            return None
        kinds: set[str] = set()
        for item in expr.items:
            if not (isinstance(item, ir.Coll) and item.keys is not None):
                return None
            for k in item.keys:
                if not (isinstance(k, ir.Const) and isinstance(k.value, str)):
                    return None
                kinds.add(k.value)
        return frozenset(kinds)

    def _copy_bucket(self, expr: ir.Expr, fr: Frame) -> str:
        if isinstance(expr, ir.Coll):
            b = expr.get("Bucket")
            return info_of(self._ev(b, fr)) if b is not None else "?"
        if isinstance(expr, ir.Concat) and expr.parts:
            first = info_of(self._ev(expr.parts[0], fr))
            return first.split("/", 1)[0] if first.startswith("c:") else first
        got = info_of(self._ev(expr, fr))
        return got.split("/", 1)[0] if got.startswith("c:") else got

    # --- JavaScript ----------------------------------------------------------------------------

    def _js_object(self, obj: ir.Expr | None, fr: Frame) -> dict[str, str]:
        out: dict[str, str] = {}
        if not (isinstance(obj, ir.Coll) and obj.keys is not None):
            return out
        for k, v in zip(obj.keys, obj.items, strict=True):
            if isinstance(k, ir.Const) and isinstance(k.value, str):
                if k.value == "CopySource":
                    out["CopySource.Bucket"] = self._copy_bucket(v, fr)
                out[k.value] = info_of(self._ev(v, fr))
                self._nested(k.value, v, fr, out)
        return out

    def _nested(self, prefix: str, expr: ir.Expr, fr: Frame, out: dict[str, str], depth: int = 3) -> None:
        """Members of a literal request structure as dotted names (`Image.S3Object.Bucket`); the
        items of a literal list share their list's name. Only literals: a structure built
        elsewhere adds nothing, so consumers can tell "not given" from "cannot see"."""
        if depth == 0 or not isinstance(expr, ir.Coll):
            return
        if expr.keys is None:
            for item in expr.items:
                self._nested(prefix, item, fr, out, depth)
            return
        for k, v in zip(expr.keys, expr.items, strict=True):
            if isinstance(k, ir.Const) and isinstance(k.value, str):
                name = f"{prefix}.{k.value}"
                if name not in out:
                    plain = not isinstance(v, (ir.Coll, ir.Call))  # a call is not run twice
                    out[name] = info_of(self._ev(v, fr)) if plain else "?"
                self._nested(name, v, fr, out, depth - 1)

    def _js_extras(self, obj: ir.Expr | None, fr: Frame) -> tuple[list[str | None], frozenset[str] | None]:
        statements: list[str | None] = []
        items: frozenset[str] | None = None
        if isinstance(obj, ir.Coll) and obj.keys is not None:
            st = obj.get("Statement")
            if st is not None:
                statements.append(self._ev(st, fr).str_const())
            for k in ("Statements", "TransactStatements"):
                sub = obj.get(k)
                if sub is not None:
                    statements.extend(self._statements(sub, fr))
            ti = obj.get("TransactItems")
            if ti is not None:
                items = self._item_kinds(ti)
        return statements, items

    def _js_construct(self, qname: str, e: ir.Call, args: list[V], fr: Frame, out: V) -> V | None:
        """`new AWS.S3()`, `new S3Client()`, `new GetObjectCommand(input)`, `paginateX(...)`..."""
        mod = self._mod
        assert mod is not None
        pkg, _, member = _split_package(qname)
        d: Desc | None = None
        if pkg == "aws-sdk" or pkg.startswith("aws-sdk/clients/"):
            parts = member.split(".") if member else []
            if pkg.startswith("aws-sdk/clients/"):
                parts = [pkg.rsplit("/", 1)[1], *parts]
            if not parts:
                return None
            if parts[-1] == "ManagedUpload" and len(parts) == 2:
                self._record_op(e, "s3", "lib-storage.Upload", fr, e.args[0] if e.args else None, "js2")
                return None
            service = sdk_map.service_for_v2_class(parts[0])
            if service is None or len(parts) > 2:
                return None
            if len(parts) == 2 and parts[1] == "DocumentClient":
                d = Desc("docclient", "js2", "dynamodb")
            elif len(parts) == 1:
                d = Desc("client", "js2", service)
            else:
                return None
        elif pkg.startswith("@aws-sdk/client-"):
            service = sdk_map.service_for_package(pkg)
            if service is None or not member or "." in member:
                return None
            if member.endswith("Command"):
                op = sdk_map.operation_for(service, member[: -len("Command")])
                return self._op_value(e, service, op, member, e.args[0] if e.args else None, fr, out)
            if member.startswith("paginate"):
                op = sdk_map.operation_for(service, member[len("paginate") :])
                return self._op_value(e, service, op, member, e.args[1] if len(e.args) > 1 else None, fr, out)
            if member.startswith("waitUntil") or member.startswith("waitFor"):
                wname = member.removeprefix("waitUntil").removeprefix("waitFor")
                op = sdk_map.waiter_operation(service, wname)
                return self._op_value(e, service, op, member, e.args[1] if len(e.args) > 1 else None, fr, out)
            if member.endswith("Client"):
                d = Desc("client", "js3", service, "bare")
            elif member[:1].isupper() and not member.endswith(("Exception", "Error", "ServiceException")):
                d = Desc("client", "js3", service, "aggregated")
            else:
                return None
        elif pkg == "@aws-sdk/lib-dynamodb":
            doc: Mapping[str, Any] = sdk_map.exceptions()["document_client"]
            if member in ("DynamoDBDocumentClient.from", "DynamoDBDocumentClient"):
                d = Desc("docclient", "js3", "dynamodb", "bare")
            elif member in ("DynamoDBDocument.from", "DynamoDBDocument"):
                d = Desc("docclient", "js3", "dynamodb", "aggregated")
            elif member in doc["commands"]:
                op = doc["commands"][member]
                return self._op_value(e, "dynamodb", op, member, e.args[0] if e.args else None, fr, out)
            elif member in doc["paginators"]:
                op = doc["paginators"][member]
                return self._op_value(
                    e, "dynamodb", op, member, e.args[1] if len(e.args) > 1 else None, fr, out
                )
            else:
                return None
        elif pkg == "@aws-sdk/lib-storage" and member == "Upload":
            params = e.args[0].get("params") if e.args and isinstance(e.args[0], ir.Coll) else None
            self._record_op(e, "s3", "lib-storage.Upload", fr, params, "js3")
            return None
        else:
            return None
        return self._value(d, out)

    def _op_value(
        self, e: ir.Call, service: str, op: str | None, via: str, obj: ir.Expr | None, fr: Frame, out: V
    ) -> V:
        d = Desc(
            "op", "js3", service, operation=op, problem=None if op else f"{via} names no {service} operation"
        )
        mod = self._mod
        assert mod is not None
        statements, items = self._js_extras(obj, fr)
        info = CallInfo(
            mod.path,
            e.line,
            via,
            tuple(sorted(self._js_object(obj, fr).items())),
            (),
            tuple(statements),
            items,
        )
        self._record(None, [self._desc(d)], info)
        return out

    def _record_op(
        self, e: ir.Call, service: str, via: str, fr: Frame, obj: ir.Expr | None, sdk: str
    ) -> None:
        mod = self._mod
        assert mod is not None
        d = Desc("op", sdk, service, operation=via)
        info = CallInfo(mod.path, e.line, via, tuple(sorted(self._js_object(obj, fr).items())))
        self._record(None, [self._desc(d)], info)


def _split_package(qname: str) -> tuple[str, str, str]:
    """ "@aws-sdk/client-s3.GetObjectCommand" -> ("@aws-sdk/client-s3", ".", "GetObjectCommand")."""
    if qname.startswith("@"):
        scope, _, rest = qname.partition("/")
        name, dot, member = rest.partition(".")
        return f"{scope}/{name}", dot, member
    return qname.partition(".")


# --- resolution --------------------------------------------------------------------------------------


def resolve(d: Desc, info: CallInfo) -> list[SdkCall]:
    """The operations one recorded call runs on an SDK value."""
    args = dict(info.args)
    base = {"file": info.file, "line": info.line, "via": info.method}

    def call(service: str | None, op: str | None, problem: str | None = None, **more: Any) -> SdkCall:
        merged = {**args, **more.pop("extra", {})}
        return SdkCall(
            service=service,
            operation=op,
            args=merged,
            statements=info.statements,
            items=info.items,
            problem=problem,
            **base,  # type: ignore[arg-type]
            **more,
        )

    if d.problem is not None or d.service is None:
        return [call(d.service, None, d.problem or "unknown service")]
    svc = d.service
    transfer: Mapping[str, Any] = sdk_map.exceptions()["transfer"]
    if d.kind == "op":
        if d.operation in transfer["methods"]:
            return [call(svc, op) for op in transfer["methods"][d.operation]]
        return [call(svc, d.operation)]
    if d.kind in ("paginator", "waiter"):
        if info.method not in ("paginate", "wait"):
            return []
        return [call(svc, d.operation)]
    if d.kind == "batchwriter":
        op = sdk_map.exceptions()["batch_writer"]["methods"].get(info.method)
        if op is None:
            return []
        return [call(svc, op, extra=_ident_params(d, "TableName"))]
    if d.kind == "collection":
        if info.method in _COLLECTION_CALLS:
            return [call(svc, d.operation, extra=_collection_params(d))]
        owner, _, cname = d.rtype.rpartition(".")
        spec = (sdk_map.resource_spec(svc, owner) or {}).get("hasMany", {}).get(cname, {})
        from botocore import xform_name

        for bname, bop in _batch_actions(svc, spec).items():
            if xform_name(bname) == info.method:
                return [call(svc, bop, extra=_collection_params(d))]
        return [call(svc, None, f"no batch action {info.method} on boto3 collection {cname}")]
    if d.kind == "docclient":
        doc = sdk_map.exceptions()["document_client"]["methods"]
        op = doc.get(info.method)
        if op is None:
            return [call(svc, None, f"DocumentClient has no method {info.method}")]
        return [call(svc, op)]
    if d.kind == "resource":
        return _resource_call(d, info, call)
    # a client
    if d.sdk == "py" and info.method in transfer["methods"] and svc == "s3":
        names = transfer["arguments"].get(info.method, [])
        extra = {n: p for n, p in zip(names, info.positional, strict=False) if n not in args}
        return [call(svc, op, extra=extra) for op in transfer["methods"][info.method]]
    if d.sdk == "js2" and svc == "s3" and info.method == "upload":
        return [call(svc, op) for op in transfer["methods"]["lib-storage.Upload"]]
    if d.sdk == "js2" and info.method == "waitFor":
        name = info.positional[0][2:] if info.positional and info.positional[0].startswith("c:") else None
        op = sdk_map.waiter_operation(svc, name) if name else None
        return [call(svc, op, None if op else "a waiter computed at run time")]
    if d.sdk == "py" and info.method == "generate_presigned_url":
        name = info.positional[0][2:] if info.positional and info.positional[0].startswith("c:") else None
        op = sdk_map.operation_for(svc, name) if name else None
        return [call(svc, op, None if op else "a presigned URL for a computed method")]
    if d.rtype == "bare":
        return []  # v3 clients run commands through send(): the command is recorded
    op = sdk_map.operation_for(svc, info.method)
    if op is None:
        return [call(svc, None, f"{svc} has no operation {info.method}")]
    return [call(svc, op)]


def _batch_actions(service: str, spec: Mapping[str, Any]) -> dict[str, str]:
    rtype = spec.get("resource", {}).get("type", "")
    rspec = sdk_map.resource_spec(service, rtype) or {}
    return {
        name: str(b.get("request", {}).get("operation", ""))
        for name, b in rspec.get("batchActions", {}).items()
    }


def _ident_params(d: Desc, target: str) -> dict[str, str]:
    idents = dict(d.idents)
    for v in idents.values():
        return {target: v}
    return {}


def _request_params(d: Desc, request: Mapping[str, Any]) -> dict[str, str]:
    idents = dict(d.idents)
    out: dict[str, str] = {}
    for p in request.get("params", ()):
        if p.get("source") == "identifier":
            out[str(p.get("target", ""))] = idents.get(str(p.get("name", "")), "?")
    return out


def _collection_params(d: Desc) -> dict[str, str]:
    owner, _, cname = d.rtype.rpartition(".")
    spec = (sdk_map.resource_spec(d.service or "", owner) or {}).get("hasMany", {}).get(cname, {})
    return _request_params(d, spec.get("request", {}))


def _resource_call(d: Desc, info: CallInfo, call: Any) -> list[SdkCall]:
    from botocore import xform_name

    svc = d.service or ""
    spec = sdk_map.resource_spec(svc, d.rtype) or {}
    transfer: Mapping[str, Any] = sdk_map.exceptions()["transfer"]
    out: list[SdkCall] = []
    if svc == "s3" and info.method in transfer["methods"]:
        names = [n for n in transfer["arguments"].get(info.method, []) if n not in ("Bucket", "Key")]
        if d.rtype == "Bucket":
            names = [n for n in transfer["arguments"].get(info.method, []) if n != "Bucket"]
        extra = {n: p for n, p in zip(names, info.positional, strict=False)}
        idents = dict(d.idents)
        extra["Bucket"] = idents.get("BucketName", idents.get("Name", "?"))
        return [call(svc, op, extra=extra) for op in transfer["methods"][info.method]]
    for aname, aspec in spec.get("actions", {}).items():
        if xform_name(aname) == info.method:
            req = aspec.get("request", {})
            out.append(call(svc, str(req.get("operation")), extra=_request_params(d, req)))
            return out
    for wname, wspec in spec.get("waiters", {}).items():
        if "wait_until_" + xform_name(wname) == info.method:
            op = sdk_map.waiter_operation(svc, str(wspec.get("waiterName", "")))
            params = {
                str(p.get("target")): dict(d.idents).get(str(p.get("name")), "?")
                for p in wspec.get("params", ())
                if p.get("source") == "identifier"
            }
            return [call(svc, op, None if op else f"no waiter {wname}", extra=params)]
    if info.method in ("load", "reload") and "load" in spec:
        req = spec["load"].get("request", {})
        return [call(svc, str(req.get("operation")), extra=_request_params(d, req))]
    if info.method in spec.get("has", {}) or info.method == "batch_writer":
        return []
    return [call(svc, None, f"no action {info.method} on boto3 resource {svc}.{d.rtype}")]


def collect(engine: SdkEngine, hits: Iterable[Hit]) -> list[SdkCall]:
    """The SDK calls among a summary's hits (calls on parameters left unresolved are dropped)."""
    out: list[SdkCall] = []
    seen: set[tuple[int, int]] = set()
    for hit in hits:
        a = hit.atom
        if hit.family != FAMILY or a.root[0] != "s" or a.root[1] != FAMILY or a.path or a.shape != RAW:
            continue
        d = int(str(a.root[2]))
        for mark in a.clean:
            if mark.startswith("#"):
                ci = int(mark[1:])
                if (d, ci) in seen:
                    continue
                seen.add((d, ci))
                out.extend(resolve(engine.descs[d], engine.infos[ci]))
    return out
