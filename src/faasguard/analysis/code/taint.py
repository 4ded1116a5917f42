"""The taint engine: per-function summaries over the intermediate form, language-neutral.

Each function is analysed once, with its parameters as symbolic roots. Its summary says which
parameter paths (and which concrete sources: ambient requests, second-order reads, exception
text) reach which sinks, and what its return value carries. A call to a function of the code
folder instantiates the callee's summary with the caller's arguments, so flows cross helpers and
modules without re-analysing them per call site. The analysis inside a function is
flow-sensitive (assignments overwrite, branches join, guards narrow) and bounded: loops are
unrolled twice, recursion falls back to "unknown call", values keep a bounded number of atoms.

Nothing here knows Python or JavaScript: fronts lower code to ir.py and describe their
libraries in a `Catalog`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from faasguard.analysis.code import catalog as cat
from faasguard.analysis.code import ir
from faasguard.analysis.code.values import (
    CONTAINED,
    EMBEDDED,
    EMPTY,
    NOCONST,
    RAW,
    Atom,
    Step,
    V,
    atoms_v,
    cap,
)

AUTHZ = "authz"

_ROLE_FIELD = re.compile(
    r"(^|[_-])(is_?)?(admin|administrator|superuser|super_?user|staff)$|role|auth_?level|access_?level"
    r"|permission|privilege|user_?type|account_?type|clearance|^groups?$|^scopes?$|isadmin|usergroup",
    re.IGNORECASE,
)
_ROLE_VALUE = re.compile(
    r"^(admin|administrator|superuser|super_?admin|root|staff|manager|owner|moderator|sysadmin|privileged)$",
    re.IGNORECASE,
)

# Caller identity fields: deciding access by comparing one of these, taken from the request, with
# a stored record's owner trusts the caller to say who they are.
_IDENTITY_FIELD = re.compile(
    r"^(user|user_?id|user_?name|username|owner|owner_?id|account_?id|customer_?id|tenant_?id|email|sub)$",
    re.IGNORECASE,
)

MAX_CALL_DEPTH = 40
MAX_LOOP_NESTING = 3
MAX_CLOSURES = 100_000  # closures bound per engine before falling back to plain function refs
MAX_EXPORT_DEPTH = 8  # `export * from` chains followed


class Loader(Protocol):
    def load(self, file: str) -> ir.Module | None: ...

    def resolve(self, importer: ir.Module, module: str, level: int) -> str | None: ...


@dataclass(slots=True)
class Hit:
    family: str
    label: str
    file: str
    line: int
    atom: Atom
    confidence: str = "high"
    structured: bool = False


@dataclass(slots=True)
class Summary:
    file: str
    qual: str
    returns: V = EMPTY
    hits: dict[tuple[str, str, int, Atom], Hit] = field(default_factory=dict)
    return_sites: list[tuple[int, ir.Expr, V]] = field(default_factory=list)
    self_out: frozenset[Atom] = frozenset()
    routers: set[str] = field(default_factory=set)
    # Local functions this one calls (file, qual), for reachability.
    calls: set[tuple[str, str]] = field(default_factory=set)

    def add(self, hit: Hit) -> None:
        key = (hit.family, hit.file, hit.line, hit.atom)
        if key not in self.hits:
            self.hits[key] = hit


class Frame:
    __slots__ = ("env", "narrow")

    def __init__(self, env: dict[str, V], narrow: dict[str, frozenset[str]]) -> None:
        self.env = env
        self.narrow = narrow

    def copy(self) -> Frame:
        return Frame(dict(self.env), dict(self.narrow))

    def set(self, other: Frame) -> None:
        self.env = other.env
        self.narrow = other.narrow


def _join_frames(frames: list[Frame]) -> Frame:
    if len(frames) == 1:
        return frames[0]
    env: dict[str, V] = {}
    for f in frames:
        # What a branch proved about a variable holds for its value on that branch.
        proven = {k: fams for k, fams in f.narrow.items() if k in f.env}
        for k, v in f.env.items():
            fams = proven.get(k)
            if fams and v.atoms:
                v = _cleaned(v, fams)
            cur = env.get(k)
            env[k] = v if cur is None else cur.join(v)
    narrow = dict(frames[0].narrow)
    for f in frames[1:]:
        for k in list(narrow):
            other = f.narrow.get(k)
            if other is None:
                del narrow[k]
            else:
                narrow[k] = narrow[k] & other
    return Frame(env, narrow)


class _View:
    """The CallView a catalog's selectors see."""

    __slots__ = (
        "args",
        "call",
        "called_back",
        "engine",
        "flags",
        "frame",
        "kwargs",
        "receiver",
        "star",
        "star_pos",
    )

    def __init__(
        self,
        engine: Engine,
        call: ir.Call,
        receiver: V | None,
        args: list[V],
        kwargs: dict[str, V],
        star: V,
        flags: Mapping[str, bool],
        frame: Frame | None = None,
    ) -> None:
        self.engine = engine
        self.frame = frame
        self.star_pos = any(type(a) is ir.Starred for a in call.args)
        self.call = call
        self.receiver = receiver
        self.args = args
        self.kwargs = kwargs
        self.star = star
        self.flags = flags
        self.called_back = False  # a catalog callback ran the call's function arguments

    def arg(self, pos: int | None, name: str | None = None) -> V | None:
        if name is not None and name in self.kwargs:
            return self.kwargs[name]
        if pos is not None and pos < len(self.args):
            return self.args[pos]
        # An argument past the explicit ones may come from a `*args` spread (not from
        # `**kwargs`: a keyword's value there cannot be told apart from the others).
        if pos is not None and not self.star.empty and self.star_pos:
            return self.star
        return None

    def arg_expr(self, pos: int | None, name: str | None = None) -> ir.Expr | None:
        if name is not None:
            found = self.call.kwarg(name)
            if found is not None:
                return found
        if pos is not None and pos < len(self.call.args):
            a = self.call.args[pos]
            return None if isinstance(a, ir.Starred) else a
        return None

    def const(self, pos: int | None, name: str | None = None) -> object:
        v = self.arg(pos, name)
        return NOCONST if v is None else v.const

    def all_args(self) -> list[V]:
        return [*self.args, *self.kwargs.values(), self.star]

    def value(self, expr: ir.Expr) -> V:
        """A sub-expression of the call, evaluated where the call is."""
        if self.frame is None:
            return EMPTY
        return self.engine._ev(expr, self.frame)


class Engine:
    def __init__(self, loader: Loader, catalog: cat.Catalog) -> None:
        self.loader = loader
        self.catalog = catalog
        self.summaries: dict[tuple[str, str], Summary] = {}
        self._in_progress: set[tuple[str, str]] = set()
        self._globals: dict[str, dict[str, V]] = {}
        self._globals_busy: set[str] = set()
        # While a module body runs, its globals so far (what code it calls at load time sees),
        # and the summaries computed meanwhile: they saw partial globals, so they are kept only
        # until the outermost module body finishes.
        self._partial: dict[str, dict[str, V]] = {}
        self._init_summaries: dict[tuple[str, str], Summary] = {}
        self._global_names: dict[tuple[str, str], V] = {}
        self._fields: dict[tuple[str, str], dict[str, V]] = {}
        self._import_cache: dict[tuple[str, str], V] = {}
        # Closures bound to the values of the variables they capture: "clo:<index>" tags.
        self._closures: list[tuple[str, str, tuple[V, ...]]] = []
        self._export_depth = 0
        # (module, name) already searched through `export *` in the current lookup: without it a
        # fan-out of star exports is searched once per path, exponential in the depth.
        self._export_seen: set[tuple[str, str]] = set()
        self._depth = 0
        # Per-function evaluation state.
        self._mod: ir.Module | None = None
        self._sum: Summary | None = None
        self._loop_depth = 0
        # Dispatch by node type (cheaper than isinstance chains on every node).
        self._ev_table: dict[type, Callable[[Any, Frame], V]] = {
            ir.Name: self._ev_name,
            ir.Attr: self._attr,
            ir.Call: self._call,
            ir.Const: self._ev_const,
            ir.Index: self._index,
            ir.Concat: self._concat,
            ir.Coll: self._coll,
            ir.Either: self._ev_either,
            ir.BoolOp: self._ev_boolop,
            ir.Compare: self._ev_compare,
            ir.Not: self._ev_not,
            ir.FuncRef: self._ev_funcref,
            ir.Comp: self._comp,
            ir.Starred: self._ev_starred,
            ir.Walrus: self._ev_walrus,
        }
        self._run_table: dict[type, Callable[[Any, Frame], bool]] = {
            ir.Assign: self._run_assign,
            ir.Eval: self._run_eval,
            ir.Return: self._run_return,
            ir.If: self._if,
            ir.Loop: self._run_loop,
            ir.Try: self._try,
            ir.Raise: self._run_raise,
            ir.Jump: self._run_jump,
        }

    # --- public ----------------------------------------------------------------------------------

    def summary(self, file: str, qual: str) -> Summary | None:
        key = (file, qual)
        done = self.summaries.get(key)
        if done is not None:
            return done
        initialising = bool(self._globals_busy)
        if initialising:
            done = self._init_summaries.get(key)
            if done is not None:
                return done
        if key in self._in_progress or self._depth >= MAX_CALL_DEPTH:
            return None
        mod = self.loader.load(file)
        if mod is None:
            return None
        fn = mod.body if qual == "<module>" else mod.functions.get(qual)
        if fn is None:
            return None
        self._in_progress.add(key)
        self._depth += 1
        saved = (self._mod, self._sum, self._loop_depth)
        summ = Summary(file, qual)
        self._mod, self._sum, self._loop_depth = mod, summ, 0
        try:
            frame = Frame(self._param_env(mod, fn), {})
            self._run(fn.body, frame)
            if fn.owner is not None and fn.params and not fn.static:
                me = frame.env.get(fn.params[0])
                if me is not None:
                    summ.self_out = frozenset(a for a in me.atoms if a.root != ("p", 0))
        except RecursionError:
            summ = Summary(file, qual)
        finally:
            self._mod, self._sum, self._loop_depth = saved
            self._depth -= 1
            self._in_progress.discard(key)
        if initialising:
            self._init_summaries[key] = summ
        else:
            self.summaries[key] = summ
        return summ

    def global_value(self, mod: ir.Module, name: str) -> V:
        return self._global(mod, name)

    def eval_in_module(self, mod: ir.Module, expr: ir.Expr) -> V:
        """Evaluate an expression (a decorator, a handler symbol) in a module's global scope."""
        saved = (self._mod, self._sum)
        self._mod, self._sum = mod, Summary(mod.path, "<eval>")
        try:
            return self._ev(expr, Frame({}, {}))
        except RecursionError:
            return EMPTY
        finally:
            self._mod, self._sum = saved

    def module_globals(self, mod: ir.Module) -> dict[str, V]:
        g = self._globals.get(mod.path)
        if g is not None:
            return g
        if mod.path in self._globals_busy:
            return {}
        self._globals_busy.add(mod.path)
        saved = (self._mod, self._sum, self._loop_depth)
        summ = Summary(mod.path, "<module>")
        self._mod, self._sum, self._loop_depth = mod, summ, 0
        frame = Frame({}, {})
        self._partial[mod.path] = frame.env
        try:
            self._run(mod.body.body, frame)
        except RecursionError:
            pass
        finally:
            self._mod, self._sum, self._loop_depth = saved
            self._globals_busy.discard(mod.path)
            self._partial.pop(mod.path, None)
            if not self._globals_busy:
                self._init_summaries.clear()
        self._globals[mod.path] = frame.env
        self.summaries[(mod.path, "<module>")] = summ
        return frame.env

    # --- environment -----------------------------------------------------------------------------

    def _param_env(self, mod: ir.Module, fn: ir.Function) -> dict[str, V]:
        env: dict[str, V] = {}
        for i, name in enumerate(fn.params):
            tags: frozenset[str] = frozenset()
            if i == 0 and fn.owner is not None and not fn.static:
                is_cls = any(isinstance(d, ir.Name) and d.id == "classmethod" for d in fn.decorators)
                tags = frozenset({("cls:" if is_cls else "obj:") + mod.path + ":" + fn.owner})
            elif fn.annotations:
                ann = fn.annotations.get(name)
                if ann is not None and ann.startswith("t:"):  # a front's type tag for the param
                    tags = frozenset({ann})
            env[name] = V(frozenset({Atom(("p", i))}), tags)
        return env

    def _global(self, mod: ir.Module, name: str) -> V:
        if mod.path in self._globals_busy:
            g = self._partial.get(mod.path)
        else:
            g = self._globals.get(mod.path)
            if g is None:
                g = self.module_globals(mod)
        if g is not None:
            v = g.get(name)
            if v is not None:
                return v
        key = (mod.path, name)
        hit = self._global_names.get(key)
        if hit is not None:
            return hit
        out = self._global_name(mod, name)
        if mod.path in self._globals:  # final once the module body has run
            self._global_names[key] = out
        return out

    def _global_name(self, mod: ir.Module, name: str) -> V:
        """A module-level name the module body does not assign: an import, a def, a builtin."""
        imp = mod.imports.get(name)
        if imp is not None:
            return self._import_value(mod, imp)
        qual = mod.defs.get(name)
        if qual is not None:
            return V(tags=frozenset({f"fn:{mod.path}:{qual}"}))
        if name in mod.classes:
            return V(tags=frozenset({f"cls:{mod.path}:{name}"}))
        if name in self.catalog.builtins:
            return V(tags=frozenset({"q:" + name}))
        return EMPTY

    def _import_value(self, mod: ir.Module, imp: ir.Import) -> V:
        key = (mod.path, f"{imp.level}:{imp.module}:{imp.symbol}")
        cached = self._import_cache.get(key)
        if cached is not None:
            return cached
        self._import_cache[key] = EMPTY  # cycles
        out = self._resolve_import(mod, imp)
        self._import_cache[key] = out
        return out

    def _resolve_import(self, mod: ir.Module, imp: ir.Import) -> V:
        local = self.loader.resolve(mod, imp.module, imp.level)
        if imp.symbol is None:
            if local is not None:
                lmod = V(tags=frozenset({"lmod:" + local}))
                target = self.loader.load(local)
                if target is not None and target.exports is not None and "=" in target.exports:
                    return lmod.join(self._export(target, "="))  # `module.exports = value`
                return lmod
            return self._qualified(imp.module) if imp.level == 0 else EMPTY
        if local is not None:
            target = self.loader.load(local)
            if target is not None:
                v = self._member(target, imp.symbol)
                if not v.empty:
                    return v
            sub = self.loader.resolve(
                mod, f"{imp.module}.{imp.symbol}" if imp.module else imp.symbol, imp.level
            )
            if sub is not None:
                return V(tags=frozenset({"lmod:" + sub}))
            return EMPTY
        if imp.level:
            sub = self.loader.resolve(mod, imp.symbol, imp.level)
            return V(tags=frozenset({"lmod:" + sub})) if sub is not None else EMPTY
        return self._qualified(f"{imp.module}.{imp.symbol}")

    def _qualified(self, name: str) -> V:
        if name in self.catalog.ambient_names:
            return V(frozenset({Atom(("a", "http"))}), frozenset({"q:" + name}))
        return V(tags=frozenset({"q:" + name}))

    def _member(self, mod: ir.Module, name: str) -> V:
        if mod.exports is not None:
            return self._export(mod, name)
        qual = mod.defs.get(name)
        if qual is not None:
            return V(tags=frozenset({f"fn:{mod.path}:{qual}"}))
        if name in mod.classes:
            return V(tags=frozenset({f"cls:{mod.path}:{name}"}))
        g = self.module_globals(mod)
        v = g.get(name)
        if v is not None:
            return v
        imp = mod.imports.get(name)
        if imp is not None:
            return self._import_value(mod, imp)
        return EMPTY

    def _export(self, mod: ir.Module, name: str) -> V:
        """What a module exporting its members (JavaScript) exports under a name."""
        exports = mod.exports or {}
        binding = exports.get(name)
        if binding is not None:
            return self._global(mod, binding)
        if name == "default":  # a CommonJS module imported as a default: its module.exports
            whole = exports.get("=")
            return self._global(mod, whole) if whole is not None else V(tags=frozenset({"lmod:" + mod.path}))
        whole = exports.get("=")
        if whole is not None and name != "=":  # a member of the value `module.exports` holds
            v = self.eval_in_module(mod, ir.Attr(ir.Name(whole, 0), name, 0))
            if not v.empty:
                return v
        if (
            mod.star_exports
            and self._export_depth < MAX_EXPORT_DEPTH
            and (mod.path, name) not in self._export_seen
        ):
            self._export_seen.add((mod.path, name))
            self._export_depth += 1
            try:
                for imp in mod.star_exports:
                    local = self.loader.resolve(mod, imp.module, imp.level)
                    target = self.loader.load(local) if local is not None else None
                    if target is not None and target is not mod:
                        v = self._member(target, name)
                        if not v.empty:
                            return v
            finally:
                self._export_depth -= 1
                if not self._export_depth:
                    self._export_seen.clear()
        return EMPTY

    def _class_fields(self, file: str, cls: str) -> dict[str, V]:
        key = (file, cls)
        got = self._fields.get(key)
        if got is not None:
            return got
        self._fields[key] = {}
        mod = self.loader.load(file)
        out: dict[str, V] = {}
        klass = mod.classes.get(cls) if mod is not None else None
        if mod is not None and klass is not None:
            for qual in klass.methods.values():
                fn = mod.functions.get(qual)
                if fn is None or not fn.params:
                    continue
                me = fn.params[0]
                for stmt in _walk_stmts(fn.body):
                    if not isinstance(stmt, ir.Assign):
                        continue
                    for t in stmt.targets:
                        if isinstance(t, ir.AttrT) and isinstance(t.obj, ir.Name) and t.obj.id == me:
                            v = self.eval_in_module(mod, stmt.value)
                            if v.tags:
                                prev = out.get(t.name)
                                out[t.name] = V(tags=v.tags if prev is None else prev.tags | v.tags)
        self._fields[key] = out
        return out

    def _method(self, file: str, cls: str, name: str, depth: int = 0) -> tuple[str, str] | None:
        mod = self.loader.load(file)
        if mod is None or depth > 8:
            return None
        klass = mod.classes.get(cls)
        if klass is None:
            return None
        qual = klass.methods.get(name)
        if qual is not None:
            return file, qual
        for base in klass.bases:
            bv = self.eval_in_module(mod, base)
            for tag in bv.tags:
                if tag.startswith("cls:"):
                    bfile, _, bcls = tag[4:].rpartition(":")
                    found = self._method(bfile, bcls, name, depth + 1)
                    if found is not None:
                        return found
        return None

    def _class_bases(self, file: str, cls: str, depth: int = 0) -> set[str]:
        """Qualified names of the external bases of a local class (pydantic.BaseModel...)."""
        mod = self.loader.load(file)
        out: set[str] = set()
        if mod is None or depth > 8:
            return out
        klass = mod.classes.get(cls)
        if klass is None:
            return out
        for base in klass.bases:
            bv = self.eval_in_module(mod, base)
            for tag in bv.tags:
                if tag.startswith("q:"):
                    out.add(tag[2:])
                elif tag.startswith("cls:"):
                    bfile, _, bcls = tag[4:].rpartition(":")
                    out |= self._class_bases(bfile, bcls, depth + 1)
        return out

    # --- statements ------------------------------------------------------------------------------

    def _run(self, stmts: Iterable[ir.Stmt], fr: Frame) -> bool:
        """Run a block; True when every path through it leaves (return, raise, continue...)."""
        table = self._run_table
        for s in stmts:
            fn = table.get(type(s))
            if fn is not None and fn(s, fr):
                return True
        return False

    def _run_assign(self, s: ir.Assign, fr: Frame) -> bool:
        self._assign_stmt(s, fr)
        return False

    def _run_eval(self, s: ir.Eval, fr: Frame) -> bool:
        self._ev(s.expr, fr)
        return False

    def _run_return(self, s: ir.Return, fr: Frame) -> bool:
        self._return(s, fr)
        return True

    def _run_loop(self, s: ir.Loop, fr: Frame) -> bool:
        self._loop(s, fr)
        return False

    def _run_raise(self, s: ir.Raise, fr: Frame) -> bool:
        if s.value is not None:
            v = self._ev(s.value, fr)
            self._raise_leak(s.value, v, s.line)
        return True

    def _run_jump(self, s: ir.Jump, fr: Frame) -> bool:
        return True

    def _return(self, s: ir.Return, fr: Frame) -> None:
        summ = self._sum
        assert summ is not None and self._mod is not None
        if s.value is None:
            return
        v = self._ev(s.value, fr)
        if v.atoms:
            step = (self._mod.path, s.line, "returned")
            v = V(frozenset(a.with_(step=step) for a in v.atoms), v.tags)
        summ.returns = summ.returns.join(v)
        summ.return_sites.append((s.line, s.value, v))

    def _raise_leak(self, expr: ir.Expr, v: V, line: int) -> None:
        if not isinstance(expr, ir.Call) or not self.catalog.http_errors:
            return
        fv = self._ev(expr.func, Frame({}, {})) if isinstance(expr.func, ir.Name) else None
        names = {t[2:] for t in fv.tags if t.startswith("q:")} if fv is not None else set()
        if isinstance(expr.func, ir.Attr):
            names.add(expr.func.name)
        short = {n.rsplit(".", 1)[-1] for n in names}
        if short & self.catalog.http_errors:
            self._sink(cat.LEAK, "an HTTP error response", line, v)

    def _assign_stmt(self, s: ir.Assign, fr: Frame) -> None:
        value = s.value
        v: V | None = None
        for target in s.targets:
            if (
                isinstance(target, ir.TupleT)
                and isinstance(value, ir.Coll)
                and value.keys is None
                and target.star is None
                and len(target.elts) == len(value.items)
            ):
                items = [self._ev(item, fr) for item in value.items]
                for t, iv in zip(target.elts, items, strict=True):
                    self._assign(t, iv, fr, s.line)
                continue
            if v is None:
                v = self._ev(value, fr)
            self._assign(target, v, fr, s.line)

    def _assign(self, target: ir.Target, v: V, fr: Frame, line: int) -> None:
        if isinstance(target, ir.NameT):
            name = target.id
            if v.atoms and self._mod is not None:
                step = (self._mod.path, line, f"assigned to {name}")
                v = V(frozenset(a.with_(step=step) for a in v.atoms), v.tags, v.const)
            fr.env[name] = v
            if fr.narrow:
                for k in [k for k in fr.narrow if k == name or k.startswith((name + ".", name + "["))]:
                    del fr.narrow[k]
        elif isinstance(target, (ir.AttrT, ir.IndexT)):
            if isinstance(target, ir.IndexT) and target.key is not None:
                key = self._ev(target.key, fr).str_const()
                if key is not None and self.catalog.on_key_store is not None and v.atoms:
                    for family, label, hline, hv in self.catalog.on_key_store(key, v, line):
                        self._sink(family, label, hline, hv)
            base = _base_name(target.obj)
            if base is not None and (v.atoms or _fn_tags(v.tags)):
                cur = fr.env.get(base)
                if cur is None:
                    cur = self._global(self._mod, base) if self._mod is not None else EMPTY
                stored = frozenset(a.with_(shape=CONTAINED) if a.shape == RAW else a for a in v.atoms)
                fr.env[base] = V(cap(cur.atoms | stored), cur.tags | _fn_tags(v.tags))
            else:
                self._ev(target.obj, fr)
        elif isinstance(target, ir.TupleT):
            elem = self._element(v)
            for i, sub in enumerate(target.elts):
                self._assign(sub, elem if i != target.star else v, fr, line)

    def _element(self, v: V) -> V:
        """An element of a value: list items, dict keys, characters, tuple fields."""
        if not v.atoms:
            return V(tags=_fn_tags(v.tags)) if v.tags else EMPTY
        out = []
        for a in v.atoms:
            if a.shape == CONTAINED:
                out.append(a.with_(shape=RAW))
            elif a.shape == EMBEDDED:
                out.append(a)
            else:
                out.append(a.with_(path=(*a.path, "*")))
        return atoms_v(out, _fn_tags(v.tags))

    def _if(self, s: ir.If, fr: Frame) -> bool:
        self._ev(s.test, fr)
        self._authz(s.test, fr, s.line)
        on_true, on_false = self._guards(s.test, fr)
        fb = fr.copy()
        for key, fams in on_true:
            fb.narrow[key] = fb.narrow.get(key, frozenset()) | fams
        fe = fr.copy()
        for key, fams in on_false:
            fe.narrow[key] = fe.narrow.get(key, frozenset()) | fams
        tb = self._run(s.body, fb)
        te = self._run(s.orelse, fe) if s.orelse else False
        if tb and te:
            return True
        if tb:
            fr.set(fe)
        elif te:
            fr.set(fb)
        else:
            fr.set(_join_frames([fb, fe]))
        return False

    def _loop(self, s: ir.Loop, fr: Frame) -> None:
        elem: V | None = None
        if s.iter is not None:
            it = self._ev(s.iter, fr)
            elem = self._element(it)
        if s.test is not None:
            self._ev(s.test, fr)
        passes = 2 if self._loop_depth < MAX_LOOP_NESTING else 1
        self._loop_depth += 1
        try:
            before = fr.copy()
            cur = fr.copy()
            for _ in range(passes):
                if s.target is not None and elem is not None:
                    self._assign(s.target, elem, cur, s.line)
                self._run(s.body, cur)
                cur = _join_frames([before, cur])
            if s.orelse:
                self._run(s.orelse, cur)
            fr.set(cur)
        finally:
            self._loop_depth -= 1

    def _try(self, s: ir.Try, fr: Frame) -> bool:
        assert self._mod is not None
        pre = fr.copy()
        body_term = self._run(s.body, fr)
        survivors: list[Frame] = []
        if not body_term:
            if s.orelse:
                body_term = self._run(s.orelse, fr)
            if not body_term:
                survivors.append(fr)
        for h in s.handlers:
            fh = _join_frames([pre.copy(), fr.copy()])
            if h.name:
                broad = self.catalog.broad_exceptions
                if not h.types or any(t.rsplit(".", 1)[-1] in broad for t in h.types):
                    src = Atom(("s", "exception", "exception text", self._mod.path, h.line))
                    fh.env[h.name] = V(frozenset({src}), frozenset({"t:exception"}))
                else:
                    fh.env[h.name] = V(tags=frozenset({"t:exception"}))
            if not self._run(h.body, fh):
                survivors.append(fh)
        if not survivors:
            if s.final:
                self._run(s.final, fr)
            return True
        merged = _join_frames(survivors)
        fr.set(merged)
        if s.final:
            return self._run(s.final, fr)
        return False

    # --- guards ----------------------------------------------------------------------------------

    def _guards(
        self, test: ir.Expr, fr: Frame
    ) -> tuple[list[tuple[str, frozenset[str]]], list[tuple[str, frozenset[str]]]]:
        """Access paths known clean when the test is true / false."""
        ALL = frozenset({"*"})
        t = type(test)
        if t is ir.Not:
            assert isinstance(test, ir.Not)
            a, b = self._guards(test.value, fr)
            return b, a
        if t is ir.BoolOp:
            assert isinstance(test, ir.BoolOp)
            parts = [self._guards(v, fr) for v in test.values]
            if test.op == "and":
                return [g for p in parts for g in p[0]], []
            return [], [g for p in parts for g in p[1]]
        if t is ir.Compare:
            assert isinstance(test, ir.Compare)
            op = test.op
            if op in ("in", "not in"):
                key = _guard_key(test.left)
                if key is None or self._ev(test.right, fr).atoms:
                    return [], []
                return ([(key, ALL)], []) if op == "in" else ([], [(key, ALL)])
            if op in ("==", "!=", "is", "is not"):
                for subject, other in ((test.left, test.right), (test.right, test.left)):
                    if isinstance(other, ir.Const) and other.value is not None:
                        key = _guard_key(subject)
                        if key is not None:
                            return ([(key, ALL)], []) if op in ("==", "is") else ([], [(key, ALL)])
            return [], []
        if t is ir.Call:
            assert isinstance(test, ir.Call)
            return self._call_guard(test, fr), []
        return [], []

    def _call_guard(self, test: ir.Call, fr: Frame) -> list[tuple[str, frozenset[str]]]:
        """A predicate call: `re.fullmatch(p, x)`, `PATTERN.match(x)`, `x.isdigit()`,
        `realpath(p).startswith(base)`."""
        func = test.func
        fv = self._ev(func, fr)
        for tag in fv.tags:
            if not tag.startswith("q:"):
                continue
            name = tag[2:]
            fams = self.catalog.guard_calls.get(name)
            if fams is None or not test.args:
                continue
            if name == "isinstance" and (len(test.args) < 2 or not _numeric_type(test.args[1])):
                continue
            pos = 1 if name.startswith("re.") else 0
            if pos < len(test.args):
                key = _guard_key(test.args[pos])
                if key is not None:
                    return [(key, fams)]
        if not isinstance(func, ir.Attr):
            return []
        receiver = self._ev(func.obj, fr)
        if func.name in ("fullmatch", "match") and test.args and not receiver.atoms:
            key = _guard_key(test.args[0])  # a compiled pattern matching the value
            return [(key, frozenset({"*"}))] if key is not None else []
        arg_fams = self.catalog.guard_arg_methods.get(func.name)
        if arg_fams is not None and test.args and not receiver.atoms:
            key = _guard_key(test.args[0])  # a constant pattern / set testing the value
            return [(key, arg_fams)] if key is not None else []
        fams = self.catalog.guard_methods.get(func.name)
        if fams is None:
            return []
        inner = func.obj
        if func.name in ("startswith", "is_relative_to", "startsWith"):
            # Only a resolved path proves containment: realpath(p).startswith(base).
            resolved = "t:path.resolved" in receiver.tags or "t:pathlib.Path" in receiver.tags
            if not resolved:
                return []
            if isinstance(inner, ir.Call) and inner.args and not isinstance(inner.func, ir.Attr):
                inner = inner.args[0]
        key = _guard_key(inner)
        return [(key, fams)] if key is not None else []

    def _authz(self, test: ir.Expr, fr: Frame, line: int) -> None:
        """A bare truth test of a caller-chosen flag: `if body.get("isAdmin"):`."""
        for part in _comparisons(test):
            if isinstance(part, ir.Compare):
                continue  # comparisons are judged wherever they are evaluated
            sv = self._ev(part, fr)
            for a in sv.atoms:
                if a.root[0] not in ("p", "a") or "*" in a.clean or a.shape != RAW:
                    continue
                fieldname = _last_field(a.path, part)
                if fieldname and _ROLE_FIELD.search(fieldname):
                    self._sink(AUTHZ, "an authorisation check", line, V(frozenset({a})))

    def _authz_compare(self, cmp: ir.Compare, lv: V, rv: V) -> None:
        """An authorisation decision taken on a value the caller chose (a role, an admin flag)."""
        if cmp.op not in ("==", "!=", "in", "not in", "is", "is not"):
            return
        for subject, sv, other, ov in ((cmp.left, lv, cmp.right, rv), (cmp.right, rv, cmp.left, lv)):
            atoms = [a for a in sv.atoms if a.root[0] in ("p", "a") and "*" not in a.clean]
            if not atoms:
                continue
            if isinstance(other, ir.Const) and other.value is None:
                continue  # a presence check (`is None`, `=== undefined`), not a decision
            if isinstance(ov.const, str):
                values: list[object] = [ov.const]
            elif isinstance(other, ir.Coll):
                values = [x.value for x in other.items if isinstance(x, ir.Const)]
            else:
                values = []
            role_value = any(isinstance(x, str) and _ROLE_VALUE.match(x) for x in values)
            stored = any(b.root[0] == "s" and b.root[1] == "second-order" for b in ov.atoms)
            for a in atoms:
                fieldname = _last_field(a.path, subject)
                if (
                    role_value
                    or (fieldname and _ROLE_FIELD.search(fieldname))
                    or (stored and fieldname and _IDENTITY_FIELD.match(fieldname))
                ):
                    self._sink(AUTHZ, "an authorisation check", cmp.line, V(frozenset({a})))

    # --- expressions -----------------------------------------------------------------------------

    def _ev(self, e: ir.Expr, fr: Frame) -> V:
        fn = self._ev_table.get(type(e))
        return EMPTY if fn is None else fn(e, fr)

    def _ev_name(self, e: ir.Name, fr: Frame) -> V:
        v = fr.env.get(e.id)
        if v is None:
            v = self._global(self._mod, e.id) if self._mod is not None else EMPTY
        if fr.narrow and v.atoms:
            fams = fr.narrow.get(e.id)
            if fams:
                v = _cleaned(v, fams)
        return v

    def _ev_const(self, e: ir.Const, fr: Frame) -> V:
        return V(const=e.value)

    def _ev_either(self, e: ir.Either, fr: Frame) -> V:
        out = EMPTY
        for o in e.options:
            out = out.join(self._ev(o, fr))
        return out

    def _ev_boolop(self, e: ir.BoolOp, fr: Frame) -> V:
        out = EMPTY
        for o in e.values:
            v = self._ev(o, fr)
            if e.op == "or":
                out = out.join(v)
        return out if e.op == "or" else EMPTY

    def _ev_compare(self, e: ir.Compare, fr: Frame) -> V:
        lv = self._ev(e.left, fr)
        rv = self._ev(e.right, fr)
        if lv.atoms or rv.atoms:
            self._authz_compare(e, lv, rv)
        return EMPTY

    def _ev_not(self, e: ir.Not, fr: Frame) -> V:
        self._ev(e.value, fr)
        return EMPTY

    def _ev_funcref(self, e: ir.FuncRef, fr: Frame) -> V:
        path = self._mod.path if self._mod is not None else ""
        fn = self._mod.functions.get(e.qualname) if self._mod is not None else None
        if fn is not None and fn.captures and len(self._closures) < MAX_CLOSURES:
            # A closure: bind the values its captured variables hold here.
            caps = tuple(self._ev_name(ir.Name(c, e.line), fr) for c in fn.captures)
            if any(not c.empty for c in caps):
                self._closures.append((path, e.qualname, caps))
                return V(tags=frozenset({f"clo:{len(self._closures) - 1}"}))
        return V(tags=frozenset({f"fn:{path}:{e.qualname}"}))

    def _ev_starred(self, e: ir.Starred, fr: Frame) -> V:
        return self._ev(e.value, fr)

    def _ev_walrus(self, e: ir.Walrus, fr: Frame) -> V:
        v = self._ev(e.value, fr)
        fr.env[e.target] = v
        return v

    def _narrowed(self, e: ir.Expr, v: V, fr: Frame) -> V:
        if fr.narrow and v.atoms:
            key = _guard_key(e)
            if key is not None:
                fams = fr.narrow.get(key)
                if fams:
                    return _cleaned(v, fams)
        return v

    def _read_step(self, a: Atom, line: int, what: str = "") -> Step | None:
        if a.steps or a.root[0] == "s" or self._mod is None:
            return None
        return (self._mod.path, line, f"reads {what}" if what else "read")

    def _attr(self, e: ir.Attr, fr: Frame) -> V:
        base = self._ev(e.obj, fr)
        name = e.name
        atoms: list[Atom] = []
        for a in base.atoms:
            if a.shape == RAW:
                atoms.append(a.with_(path=(*a.path, name), step=self._read_step(a, e.line, f".{name}")))
            elif a.shape == CONTAINED:
                atoms.append(a.with_(shape=RAW))
            else:
                atoms.append(a)
        tags: set[str] = set()
        for tag in base.tags:
            kind, _, rest = tag.partition(":")
            if kind == "q":
                q = rest + "." + name
                tags.add("q:" + q)
                if q in self.catalog.ambient_names:
                    atoms.append(
                        Atom(
                            ("a", "http"), (), steps=((self._mod.path, e.line, "read"),) if self._mod else ()
                        )
                    )
            elif kind == "lmod":
                mod = self.loader.load(rest)
                if mod is not None:
                    mv = self._member(mod, name)
                    tags |= mv.tags
                    atoms.extend(mv.atoms)
            elif kind == "obj" or kind == "cls":
                file, _, cls = rest.rpartition(":")
                found = self._method(file, cls, name)
                if found is not None:
                    tags.add(f"fn:{found[0]}:{found[1]}")
                else:
                    fv = self._class_fields(file, cls).get(name)
                    if fv is not None:
                        tags |= fv.tags
            elif kind == "t":
                member = self.catalog.type_members.get(rest)
                if member is not None:
                    tags.add("t:" + member)
                if (rest, name) in self.catalog.ambient_attrs:
                    step = ((self._mod.path, e.line, "read"),) if self._mod else ()
                    atoms.append(Atom(("a", "http"), (), steps=step))
                tags.add("m:" + rest)
        if not atoms and not tags:
            return EMPTY
        return self._narrowed(e, atoms_v(atoms, frozenset(tags)), fr)

    def _index(self, e: ir.Index, fr: Frame) -> V:
        base = self._ev(e.obj, fr)
        if e.key is None:  # a slice: same field
            return V(base.atoms, _fn_tags(base.tags)) if base.atoms or base.tags else EMPTY
        kv = self._ev(e.key, fr)
        if not base.atoms:
            if not base.tags:
                return EMPTY
            members = {
                "t:" + m
                for t in base.tags
                if t.startswith("t:") and (m := self.catalog.type_members.get(t[2:]))
            }
            return V(tags=_fn_tags(base.tags) | frozenset(members))
        k = kv.const
        seg = k if isinstance(k, str) else "*" if isinstance(k, int) and not isinstance(k, bool) else "?"
        atoms = []
        for a in base.atoms:
            if a.shape == RAW:
                atoms.append(a.with_(path=(*a.path, seg), step=self._read_step(a, e.line, f"[{seg!r}]")))
            elif a.shape == CONTAINED:
                atoms.append(a.with_(shape=RAW))
            else:
                atoms.append(a)
        return self._narrowed(e, atoms_v(atoms, _fn_tags(base.tags)), fr)

    def _concat(self, e: ir.Concat, fr: Frame) -> V:
        return self._concat_values([self._ev(p, fr) for p in e.parts])

    def _concat_values(self, parts: list[V]) -> V:
        atoms: list[Atom] = []
        # Once the scheme and host are written by the program (constants, configuration), the
        # rest of a URL cannot send the request elsewhere: later data is clean for SSRF.
        host_done = False
        scheme = False
        host_tainted = False
        texts = []
        for i, v in enumerate(parts):
            s = v.str_const()
            texts.append(s)
            clean_ssrf = host_done and not host_tainted
            for a in v.atoms:
                clean = a.clean | {cat.SSRF} if clean_ssrf else a.clean
                atoms.append(
                    a.with_(shape=EMBEDDED, clean=clean) if a.shape != EMBEDDED or clean != a.clean else a
                )
            if host_done:
                continue
            if s is not None:
                if not scheme:
                    _, sep, rest = s.partition("://")
                    if sep:
                        scheme = True
                        if any(c in rest for c in "/?#"):
                            host_done = True
                    elif i > 0 and any(c in s for c in "/?#"):
                        host_done = True  # a base URL from configuration, then a path
                elif any(c in s for c in "/?#"):
                    host_done = True
            elif v.atoms and not all(a.is_clean_for(cat.SSRF) for a in v.atoms):
                host_tainted = True
                host_done = True
        const: object = NOCONST
        if all(isinstance(x, str) for x in texts) and len(texts) <= 8:
            const = "".join(x for x in texts if x is not None)
        if not atoms:
            return V(const=const) if const is not NOCONST else EMPTY
        v = atoms_v(atoms)
        return v

    def _coll(self, e: ir.Coll, fr: Frame) -> V:
        values = [self._ev(x, fr) for x in e.items]
        keys: list[V] = []
        if e.keys is not None:
            keys = [self._ev(k, fr) if k is not None else EMPTY for k in e.keys]
        if e.keys is not None and self.catalog.on_dict is not None:
            for family, label, line, hv in self.catalog.on_dict(e, keys, values):
                self._sink(family, label, line, hv)
        atoms: list[Atom] = []
        tags: set[str] = set()
        for i, v in enumerate(values):
            spread = e.keys is not None and e.keys[i] is None
            for a in v.atoms:
                atoms.append(a if spread or a.shape == CONTAINED else a.with_(shape=CONTAINED))
            if v.tags:
                tags |= _fn_tags(v.tags)
        for k in keys:
            for a in k.atoms:
                atoms.append(a.with_(shape=CONTAINED))
        if not atoms and not tags:
            return EMPTY
        return atoms_v(atoms, frozenset(tags))

    def _comp(self, e: ir.Comp, fr: Frame) -> V:
        inner = fr.copy()
        for target, it, ifs in e.gens:
            elem = self._element(self._ev(it, inner))
            self._assign(target, elem, inner, e.line)
            for cond in ifs:
                self._ev(cond, inner)
                for key, fams in self._guards(cond, inner)[0]:
                    inner.narrow[key] = inner.narrow.get(key, frozenset()) | fams
        atoms: list[Atom] = []
        for x in e.elts:
            v = self._ev(x, inner)
            atoms.extend(a if a.shape == CONTAINED else a.with_(shape=CONTAINED) for a in v.atoms)
        return atoms_v(atoms)

    # --- calls -----------------------------------------------------------------------------------

    def _call(self, e: ir.Call, fr: Frame) -> V:
        func = e.func
        recv: V | None = None
        fv: V | None = None
        mname: str | None = None
        if isinstance(func, ir.Attr):
            recv = self._ev(func.obj, fr)
            mname = func.name
        else:
            fv = self._ev(func, fr)
        args: list[V] = []
        star = EMPTY
        for a in e.args:
            if isinstance(a, ir.Starred):
                star = star.join(self._element(self._ev(a.value, fr)))
            else:
                args.append(self._ev(a, fr))
        kwargs: dict[str, V] = {}
        for k, kvx in e.kwargs:
            kv = self._ev(kvx, fr)
            if k is None:
                star = star.join(self._element(kv))
            else:
                kwargs[k] = kv
        mod = self._mod
        assert mod is not None
        view = _View(self, e, recv, args, kwargs, star, mod.flags, fr)
        results: list[V] = []
        handled = False
        if recv is not None and mname == "format" and recv.str_const() is not None:
            return self._concat_values([recv, *args, *kwargs.values(), star])
        if recv is not None:
            assert mname is not None
            typed = False
            for tag in recv.tags:
                kind, _, rest = tag.partition(":")
                if kind == "q" or kind == "t":
                    typed = True
                    spec = self.catalog.calls.get(rest + "." + mname) or self.catalog.calls.get(rest + ".*")
                    if spec is not None:
                        results.append(self._apply(spec, view, e, fr))
                        handled = True
                elif kind == "lmod":
                    typed = True
                    target = self.loader.load(rest)
                    if target is not None:
                        member = self._member(target, mname)
                        for mt in member.tags:
                            r = self._call_tag(mt, None, view, e, fr)
                            if r is not None:
                                results.append(r)
                                handled = True
                elif kind == "obj" or kind == "cls":
                    typed = True
                    file, _, cls = rest.rpartition(":")
                    if kind == "cls" and self._class_bases(file, cls) & self.catalog.validated_bases:
                        results.append(V(tags=frozenset({f"obj:{file}:{cls}"})))
                        handled = True
                        continue
                    found = self._method(file, cls, mname)
                    if found is not None:
                        r = self._invoke(found[0], found[1], recv if kind == "obj" else None, view, e, fr)
                        if r is not None:
                            results.append(r)
                            handled = True
                    else:
                        fieldv = self._class_fields(file, cls).get(mname)
                        if fieldv is not None:
                            for ft in fieldv.tags:
                                r = self._call_tag(ft, None, view, e, fr)
                                if r is not None:
                                    results.append(r)
                                    handled = True
                elif kind == "m":
                    typed = True
            if not handled and not typed:
                spec = self.catalog.methods.get(mname)
                if spec is not None:
                    results.append(self._apply(spec, view, e, fr))
                    handled = True
            if not handled and recv.atoms:
                sanitiser = self.catalog.method_sanitisers.get(mname)
                if sanitiser is not None:
                    fams = sanitiser(view)
                    if fams:
                        base = self._propagate(view)
                        return V(frozenset(a.with_(clean=a.clean | fams) for a in base.atoms))
            if not handled:
                acc = self.catalog.accessors.get(mname)
                if acc is not None and recv.atoms:
                    results.append(self._accessor(recv, acc, view, e))
                    handled = True
                elif mname in self.catalog.opaque_methods:
                    return EMPTY
        else:
            assert fv is not None
            for tag in fv.tags:
                r = self._call_tag(tag, None, view, e, fr)
                if r is not None:
                    results.append(r)
                    handled = True
        if self.catalog.run_callbacks and not view.called_back:
            self._run_callbacks(view, e, fr)
        if not handled:
            return self._propagate(view)
        out = EMPTY
        for r in results:
            out = out.join(r)
        return out

    def _run_callbacks(self, view: _View, e: ir.Call, fr: Frame) -> None:
        """Functions handed to a call nobody describes run, with nothing known about their
        arguments: what they close over still reaches their sinks."""
        inner: _View | None = None
        for v in view.args:
            for tag in v.tags:
                if tag.startswith(("fn:", "clo:")):
                    if inner is None:
                        inner = _View(self, e, None, [], {}, EMPTY, view.flags)
                    self._call_tag(tag, None, inner, e, fr)

    def _call_tag(self, tag: str, recv: V | None, view: _View, e: ir.Call, fr: Frame) -> V | None:
        kind, _, rest = tag.partition(":")
        if kind == "fn":
            file, _, qual = rest.rpartition(":")
            return self._invoke(file, qual, recv, view, e, fr)
        if kind == "clo":
            file, qual, caps = self._closures[int(rest)]
            return self._invoke(file, qual, recv, view, e, fr, caps)
        if kind == "cls":
            file, _, cls = rest.rpartition(":")
            return self._construct(file, cls, view, e, fr)
        if kind == "q":
            spec = self.catalog.calls.get(rest)
            if spec is not None:
                return self._apply(spec, view, e, fr)
            return None
        if kind == "t":
            spec = self.catalog.calls.get(rest + ".__call__")
            if spec is not None:
                return self._apply(spec, view, e, fr)
        return None

    def _construct(self, file: str, cls: str, view: _View, e: ir.Call, fr: Frame) -> V:
        tag = frozenset({f"obj:{file}:{cls}"})
        bases = self._class_bases(file, cls)
        if bases & self.catalog.validated_bases:
            return V(tags=tag)
        init = self._method(file, cls, "__init__")
        if init is None:
            return V(tags=tag)
        summ = self.summary(init[0], init[1])
        me = V(tags=tag)
        if summ is None:
            return V(self._propagate(view).atoms, tag)
        self._instantiate_calls(summ, init, me, view, e)
        actuals = self._actuals(init[0], init[1], me, view)
        atoms = self._inst(
            summ.self_out, actuals, (self._mod.path if self._mod else "", e.line, f"passed to {cls}()")
        )
        return V(frozenset(atoms), tag)

    def _actuals(
        self, file: str, qual: str, recv: V | None, view: _View, caps: tuple[V, ...] = ()
    ) -> list[V]:
        mod = self.loader.load(file)
        fn = (mod.body if qual == "<module>" else mod.functions.get(qual)) if mod is not None else None
        if fn is None:
            return []
        total = len(fn.params)
        n = total - len(fn.captures)  # declared parameters; captured variables follow them
        actuals: list[V] = [EMPTY] * total
        for j, cv in enumerate(caps[: len(fn.captures)]):
            actuals[n + j] = cv
        i = 0
        if fn.owner is not None and not fn.static and recv is not None and n:
            actuals[0] = recv
            i = 1
        for a in view.args:
            if fn.vararg is not None and i >= fn.vararg:
                actuals[fn.vararg] = actuals[fn.vararg].join(
                    a.join(EMPTY)
                    if not a.atoms
                    else V(
                        frozenset(x.with_(shape=CONTAINED) if x.shape == RAW else x for x in a.atoms), a.tags
                    )
                )
            elif i < n:
                actuals[i] = a
                i += 1
        for name, v in view.kwargs.items():
            if name in fn.params:
                actuals[fn.params.index(name)] = v
            elif fn.kwarg is not None:
                actuals[fn.kwarg] = actuals[fn.kwarg].join(
                    V(frozenset(x.with_(shape=CONTAINED) if x.shape == RAW else x for x in v.atoms), v.tags)
                )
        if not view.star.empty:
            for j in range(i, n):
                if j != fn.kwarg:
                    actuals[j] = actuals[j].join(view.star)
        return actuals

    def _invoke(
        self,
        file: str,
        qual: str,
        recv: V | None,
        view: _View,
        e: ir.Call,
        fr: Frame,
        caps: tuple[V, ...] = (),
    ) -> V | None:
        summ = self.summary(file, qual)
        if self._sum is not None:
            self._sum.calls.add((file, qual))
        if summ is None:
            return None
        self._instantiate_calls(summ, (file, qual), recv, view, e, caps)
        actuals = self._actuals(file, qual, recv, view, caps)
        step = (self._mod.path if self._mod else "", e.line, f"passed to {qual.rsplit('.', 1)[-1]}()")
        atoms = self._inst(summ.returns.atoms, actuals, step)
        tags = summ.returns.tags
        if tags and any(t.startswith("clo:") for t in tags):
            tags = self._rebind(tags, actuals, step)
        return atoms_v(atoms, tags) if atoms or tags else EMPTY

    def _rebind(self, tags: frozenset[str], actuals: list[V], step: Step) -> frozenset[str]:
        """Closures a callee returns, their captured values seen from the caller."""
        out: set[str] = set()
        for t in tags:
            if not t.startswith("clo:") or len(self._closures) >= MAX_CLOSURES:
                out.add(t)
                continue
            file, qual, caps = self._closures[int(t[4:])]
            if not any(a.root[0] == "p" for c in caps for a in c.atoms):
                out.add(t)
                continue
            bound = tuple(atoms_v(self._inst(c.atoms, actuals, step), c.tags) for c in caps)
            self._closures.append((file, qual, bound))
            out.add(f"clo:{len(self._closures) - 1}")
        return frozenset(out)

    def _instantiate_calls(
        self,
        summ: Summary,
        target: tuple[str, str],
        recv: V | None,
        view: _View,
        e: ir.Call,
        caps: tuple[V, ...] = (),
    ) -> None:
        cur = self._sum
        if cur is None:
            return
        cur.routers |= summ.routers
        cur.calls.add(target)
        if not summ.hits:
            return
        actuals = self._actuals(target[0], target[1], recv, view, caps)
        step = (self._mod.path if self._mod else "", e.line, f"passed to {target[1].rsplit('.', 1)[-1]}()")
        for hit in summ.hits.values():
            for a in self._inst((hit.atom,), actuals, step):
                if hit.family != cat.LEAK and a.root[0] == "s" and a.root[1] == "exception":
                    continue
                if a.is_clean_for(hit.family):
                    continue
                cur.add(Hit(hit.family, hit.label, hit.file, hit.line, a, hit.confidence, hit.structured))

    def _inst(self, atoms: Iterable[Atom], actuals: list[V], step: Step) -> list[Atom]:
        out: list[Atom] = []
        for a in atoms:
            if a.root[0] != "p":
                out.append(a)
                continue
            i = a.root[1]
            assert isinstance(i, int)
            actual = actuals[i] if i < len(actuals) else EMPTY
            for b in actual.atoms:
                if b.shape == CONTAINED and a.path:
                    path, shape = b.path, max(a.shape, RAW)
                elif b.shape == CONTAINED:
                    path, shape = b.path, max(a.shape, CONTAINED)
                elif b.shape == EMBEDDED:
                    path, shape = b.path, EMBEDDED
                else:
                    path, shape = (*b.path, *a.path), a.shape
                steps = b.steps
                if not steps or steps[-1][:2] != step[:2]:
                    steps = (*steps, step)
                steps = (*steps, *a.steps)
                if len(steps) > 12:
                    steps = (*steps[:5], *steps[-7:])
                out.append(Atom(b.root, path[:8], b.clean | a.clean, shape, steps))
        return out

    def _accessor(
        self, recv: V, acc: tuple[tuple[str, ...], tuple[int, str] | None], view: _View, e: ir.Call
    ) -> V:
        segs, keyarg = acc
        path: tuple[str, ...] = segs
        if keyarg is not None:
            k = view.const(keyarg[0], keyarg[1])
            path = (*segs, k if isinstance(k, str) else "*" if isinstance(k, int) else "?")
        atoms = []
        for a in recv.atoms:
            if a.shape == RAW:
                atoms.append(a.with_(path=(*a.path, *path), step=self._read_step(a, e.line)))
            elif a.shape == CONTAINED:
                atoms.append(a.with_(shape=RAW))
            else:
                atoms.append(a)
        # A default value (dict.get(k, default)) may be what comes back.
        default = view.arg(1) if keyarg is not None and keyarg[0] == 0 else None
        v = atoms_v(atoms)
        return v.join(default) if default is not None and default.atoms else v

    def _propagate(self, view: _View) -> V:
        atoms: list[Atom] = []
        sources = view.all_args()
        if view.receiver is not None:
            sources.append(view.receiver)
        for v in sources:
            for a in v.atoms:
                atoms.append(a.with_(shape=EMBEDDED) if a.shape == CONTAINED else a)
        if not atoms:
            return EMPTY
        return atoms_v(atoms)

    def _apply(self, spec: cat.CallSpec, view: _View, e: ir.Call, fr: Frame) -> V:
        assert self._mod is not None and self._sum is not None
        for sink in spec.sinks:
            for v in sink.select(view):
                label = sink.label or _call_label(e)
                self._sink(sink.family, label, e.line, v, sink.confidence, sink.structured)
        if spec.router is not None:
            self._sum.routers.add(spec.router)
        if spec.validates is not None:
            self._validate(view, spec.validates, fr)
        called: V | None = None
        if spec.callback is not None:
            called = self._callback(spec.callback, view, e, fr)
        tags: frozenset[str] = frozenset()
        if spec.returns is not None:
            r = spec.returns(view) if callable(spec.returns) else spec.returns
            if r:
                tags = frozenset({"t:" + r})
        if spec.callback_result is not None and called is not None:
            if spec.callback_result == "contained":
                called = atoms_v(
                    (a.with_(shape=CONTAINED) if a.shape == RAW else a for a in called.atoms),
                    _fn_tags(called.tags),
                )
            elif spec.callback_result == "join" and view.receiver is not None:
                called = called.join(view.receiver)
            return V(called.atoms, called.tags | tags) if tags else called
        if spec.source is not None:
            src = Atom(("s", spec.source_kind, spec.source, self._mod.path, e.line))
            return V(frozenset({src}), tags)
        if spec.opaque:
            return V(tags=tags) if tags else EMPTY
        sanitise = spec.sanitise
        if spec.sanitise_if is not None and not spec.sanitise_if(view):
            sanitise = frozenset()
        if "*" in sanitise:
            return V(tags=tags) if tags else EMPTY
        base = self._propagate(view)
        if sanitise and base.atoms:
            base = V(frozenset(a.with_(clean=a.clean | sanitise) for a in base.atoms), base.tags)
        if tags:
            base = V(base.atoms, base.tags | tags)
        return base

    def _validate(self, view: _View, where: tuple[int | None, str | None], fr: Frame) -> None:
        expr = view.arg_expr(where[0], where[1])
        if expr is None:
            return
        key = _guard_key(expr)
        if key is None:
            return
        if isinstance(expr, ir.Name) and expr.id in fr.env:
            v = fr.env[expr.id]
            fr.env[expr.id] = V(frozenset(), v.tags, v.const)
        else:
            fr.narrow[key] = frozenset({"*"})

    def _callback(
        self, cb: tuple[int | None, str | None, str], view: _View, e: ir.Call, fr: Frame
    ) -> V | None:
        """Run the function argument of a call; the join of what it returns (None: no function)."""
        fn = view.arg(cb[0], cb[1])
        if fn is None:
            return None
        view.called_back = True
        given = [self._callback_arg(spec, cb, view, e) for spec in cb[2].split("|")]
        inner = _View(self, e, None, given, {}, EMPTY, view.flags)
        out: V | None = None
        for tag in fn.tags:
            if tag.startswith(("fn:", "clo:")):
                r = self._call_tag(tag, None, inner, e, fr)
                if r is not None:
                    out = r if out is None else out.join(r)
        return out

    def _callback_arg(self, spec: str, cb: tuple[int | None, str | None, str], view: _View, e: ir.Call) -> V:
        what, _, n = spec.partition(":")
        if what == "exc":
            path = self._mod.path if self._mod is not None else ""
            src_atom = Atom(("s", "exception", "exception text", path, e.line))
            return V(frozenset({src_atom}), frozenset({"t:exception"}))
        if what == "none":
            return EMPTY
        src = view.receiver if n == "recv" or what == "recv" else view.arg(int(n)) if n.isdigit() else None
        if src is None and what == "records":
            src = view.arg(None, "event")
        if src is None:
            return EMPTY
        if what == "records":
            return atoms_v(
                a.with_(path=(*a.path, "Records", "*")) if a.shape == RAW else a for a in src.atoms
            )
        if what == "elem":
            return self._element(src)
        return src

    def _sink(
        self, family: str, label: str, line: int, v: V, confidence: str = "high", structured: bool = False
    ) -> None:
        summ = self._sum
        if summ is None or self._mod is None or not v.atoms:
            return
        for a in v.atoms:
            is_exc = a.root[0] == "s" and a.root[1] == "exception"
            if family == cat.LEAK:
                if not is_exc:
                    continue
            elif is_exc:
                continue
            if a.is_clean_for(family):
                continue
            summ.add(Hit(family, label, self._mod.path, line, a, confidence, structured))


def _call_label(e: ir.Call) -> str:
    parts: list[str] = []
    f = e.func
    while isinstance(f, ir.Attr):
        parts.append(f.name)
        f = f.obj
    if isinstance(f, ir.Name):
        parts.append(f.id)
    return ".".join(reversed(parts[:3])) + "()" if parts else "a call"


def _fn_tags(tags: frozenset[str]) -> frozenset[str]:
    """Tags that survive being put into / taken out of a container (functions, objects, types)."""
    if not tags:
        return tags
    return frozenset(t for t in tags if t.startswith(("fn:", "obj:", "t:", "cls:", "clo:")))


def _cleaned(v: V, fams: frozenset[str]) -> V:
    if "*" in fams:
        return V(frozenset(), v.tags, v.const)
    return V(frozenset(a.with_(clean=a.clean | fams) for a in v.atoms), v.tags, v.const)


def _base_name(e: ir.Expr) -> str | None:
    while True:
        if isinstance(e, ir.Name):
            return e.id
        if isinstance(e, (ir.Attr, ir.Index)):
            e = e.obj
            continue
        return None


_TRANSPARENT_METHODS = frozenset(
    {"lower", "upper", "strip", "casefold", "lstrip", "rstrip", "hostname", "netloc"}
)


def _guard_key(e: ir.Expr) -> str | None:
    """A stable name for the thing a guard tests: `x`, `body['action']`, `req.args.name`."""
    t = type(e)
    if t is ir.Name:
        assert isinstance(e, ir.Name)
        return e.id
    if t is ir.Attr:
        assert isinstance(e, ir.Attr)
        if isinstance(e.obj, ir.Call):  # urlparse(u).hostname -> u
            return _guard_key(e.obj)
        inner = _guard_key(e.obj)
        return None if inner is None else f"{inner}.{e.name}"
    if t is ir.Index:
        assert isinstance(e, ir.Index)
        inner = _guard_key(e.obj)
        if inner is None or not isinstance(e.key, ir.Const):
            return None
        return f"{inner}[{e.key.value!r}]"
    if t is ir.Call:
        assert isinstance(e, ir.Call)
        f = e.func
        if isinstance(f, ir.Attr) and f.name == "get" and e.args and isinstance(e.args[0], ir.Const):
            inner = _guard_key(f.obj)  # body.get("k") is body["k"]
            return None if inner is None else f"{inner}[{e.args[0].value!r}]"
        if isinstance(f, ir.Attr) and f.name in _TRANSPARENT_METHODS:
            return _guard_key(f.obj)
        if e.args:
            return _guard_key(e.args[0])
    return None


def _numeric_type(e: ir.Expr) -> bool:
    names = [e] if not isinstance(e, ir.Coll) else list(e.items)
    return bool(names) and all(isinstance(n, ir.Name) and n.id in ("int", "float", "bool") for n in names)


def _comparisons(test: ir.Expr) -> list[ir.Expr]:
    """The comparisons and bare truth tests a condition is made of."""
    if isinstance(test, ir.BoolOp):
        return [c for v in test.values for c in _comparisons(v)]
    if isinstance(test, ir.Not):
        return _comparisons(test.value)
    if isinstance(test, ir.Compare):
        return [test]
    if isinstance(test, (ir.Attr, ir.Index, ir.Call, ir.Name)):
        return [test]
    return []


def _last_field(path: tuple[str, ...], expr: ir.Expr) -> str | None:
    for seg in reversed(path):
        if seg not in ("*", "?"):
            return seg
    if isinstance(expr, ir.Index) and isinstance(expr.key, ir.Const) and isinstance(expr.key.value, str):
        return expr.key.value
    if isinstance(expr, ir.Attr):
        return expr.name
    if isinstance(expr, ir.Name):
        return expr.id
    return None


def _walk_stmts(stmts: Iterable[ir.Stmt]) -> Iterable[ir.Stmt]:
    for s in stmts:
        yield s
        if isinstance(s, (ir.If, ir.Loop)):
            yield from _walk_stmts(s.body)
            yield from _walk_stmts(s.orelse)
        elif isinstance(s, ir.Try):
            yield from _walk_stmts(s.body)
            for h in s.handlers:
                yield from _walk_stmts(h.body)
            yield from _walk_stmts(s.orelse)
            yield from _walk_stmts(s.final)
