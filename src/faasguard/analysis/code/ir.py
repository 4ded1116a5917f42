"""A small intermediate form that every language front lowers handler code into.

The taint engine (taint.py) only knows these nodes; it never sees a Python or JavaScript syntax
tree. A front lowers each source file into a `ModuleIR`: its imports, its functions (methods and
nested functions included, each with a qualified name), its classes, and the module body as a
pseudo-function. Expressions keep only what data flow needs: names, attribute and subscript
access, calls with positional and keyword arguments, string building, containers, and constants.
Anything else lowers to `Unknown` (a value that carries no data).

Nodes are plain slotted classes: they are built once per file and read many times.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# --- expressions -------------------------------------------------------------------------------


class Expr:
    __slots__ = ("line",)

    def __init__(self, line: int) -> None:
        self.line = line


class Unknown(Expr):
    """A value that carries no program data (a number literal's arithmetic, a comparison...)."""

    __slots__ = ()


class Const(Expr):
    __slots__ = ("value",)

    def __init__(self, value: str | int | float | bool | bytes | None, line: int) -> None:
        self.line = line
        self.value = value


class Name(Expr):
    __slots__ = ("id",)

    def __init__(self, id: str, line: int) -> None:
        self.line = line
        self.id = id


class Attr(Expr):
    __slots__ = ("name", "obj")

    def __init__(self, obj: Expr, name: str, line: int) -> None:
        self.line = line
        self.obj = obj
        self.name = name


class Index(Expr):
    """obj[key]; key None for a slice (same field, fewer characters)."""

    __slots__ = ("key", "obj")

    def __init__(self, obj: Expr, key: Expr | None, line: int) -> None:
        self.line = line
        self.obj = obj
        self.key = key


class Starred(Expr):
    __slots__ = ("value",)

    def __init__(self, value: Expr, line: int) -> None:
        self.line = line
        self.value = value


class Call(Expr):
    """func(args..., name=value...). A keyword with name None is a `**mapping` spread."""

    __slots__ = ("args", "func", "kwargs")

    def __init__(
        self, func: Expr, args: tuple[Expr, ...], kwargs: tuple[tuple[str | None, Expr], ...], line: int
    ) -> None:
        self.line = line
        self.func = func
        self.args = args
        self.kwargs = kwargs

    def kwarg(self, name: str) -> Expr | None:
        for k, v in self.kwargs:
            if k == name:
                return v
        return None


class Concat(Expr):
    """A string built from parts: f-strings, `+`, `%` formatting, `.format()` on a literal."""

    __slots__ = ("parts",)

    def __init__(self, parts: tuple[Expr, ...], line: int) -> None:
        self.line = line
        self.parts = parts


class Either(Expr):
    """One of several values (a conditional expression, `a or b`, arithmetic on values)."""

    __slots__ = ("options",)

    def __init__(self, options: tuple[Expr, ...], line: int) -> None:
        self.line = line
        self.options = options


class Compare(Expr):
    """A comparison: its result is a boolean, but guards read the operands."""

    __slots__ = ("left", "op", "right")

    def __init__(self, left: Expr, op: str, right: Expr, line: int) -> None:
        self.line = line
        self.left = left
        self.op = op  # "==" "!=" "in" "not in" "is" "is not" "<" ...
        self.right = right


class BoolOp(Expr):
    __slots__ = ("op", "values")

    def __init__(self, op: str, values: tuple[Expr, ...], line: int) -> None:
        self.line = line
        self.op = op  # "and" | "or"
        self.values = values


class Not(Expr):
    __slots__ = ("value",)

    def __init__(self, value: Expr, line: int) -> None:
        self.line = line
        self.value = value


class Coll(Expr):
    """A container literal. `keys` is set for a mapping (None for a `**spread` entry)."""

    __slots__ = ("items", "keys", "kind")

    def __init__(
        self, kind: str, items: tuple[Expr, ...], keys: tuple[Expr | None, ...] | None, line: int
    ) -> None:
        self.line = line
        self.kind = kind  # "list" | "tuple" | "set" | "dict"
        self.items = items
        self.keys = keys

    def get(self, key: str) -> Expr | None:
        if self.keys is None:
            return None
        for k, v in zip(self.keys, self.items, strict=True):
            if isinstance(k, Const) and isinstance(k.value, str) and k.value.lower() == key.lower():
                return v
        return None


class Comp(Expr):
    """A comprehension / generator: each generator binds a target from an iterable."""

    __slots__ = ("elts", "gens", "kind")

    def __init__(
        self,
        kind: str,
        elts: tuple[Expr, ...],
        gens: tuple[tuple[Target, Expr, tuple[Expr, ...]], ...],
        line: int,
    ) -> None:
        self.line = line
        self.kind = kind
        self.elts = elts
        self.gens = gens


class FuncRef(Expr):
    """A reference to a function of the same module (a lambda, a nested def)."""

    __slots__ = ("qualname",)

    def __init__(self, qualname: str, line: int) -> None:
        self.line = line
        self.qualname = qualname


class Walrus(Expr):
    __slots__ = ("target", "value")

    def __init__(self, target: str, value: Expr, line: int) -> None:
        self.line = line
        self.target = target
        self.value = value


# --- assignment targets ------------------------------------------------------------------------


class Target:
    __slots__ = ()


class NameT(Target):
    __slots__ = ("id",)

    def __init__(self, id: str) -> None:
        self.id = id


class AttrT(Target):
    __slots__ = ("name", "obj")

    def __init__(self, obj: Expr, name: str) -> None:
        self.obj = obj
        self.name = name


class IndexT(Target):
    __slots__ = ("key", "obj")

    def __init__(self, obj: Expr, key: Expr | None) -> None:
        self.obj = obj
        self.key = key


class TupleT(Target):
    __slots__ = ("elts", "star")

    def __init__(self, elts: tuple[Target, ...], star: int | None) -> None:
        self.elts = elts
        self.star = star  # index of a `*rest` element


# --- statements --------------------------------------------------------------------------------


class Stmt:
    __slots__ = ("line",)

    def __init__(self, line: int) -> None:
        self.line = line


class Assign(Stmt):
    __slots__ = ("targets", "value")

    def __init__(self, targets: tuple[Target, ...], value: Expr, line: int) -> None:
        self.line = line
        self.targets = targets
        self.value = value


class Eval(Stmt):
    __slots__ = ("expr",)

    def __init__(self, expr: Expr, line: int) -> None:
        self.line = line
        self.expr = expr


class Return(Stmt):
    __slots__ = ("value",)

    def __init__(self, value: Expr | None, line: int) -> None:
        self.line = line
        self.value = value


class Raise(Stmt):
    __slots__ = ("value",)

    def __init__(self, value: Expr | None, line: int) -> None:
        self.line = line
        self.value = value


class Jump(Stmt):
    """`continue` / `break`: leaves the rest of the block."""

    __slots__ = ("kind",)

    def __init__(self, kind: str, line: int) -> None:
        self.line = line
        self.kind = kind


class If(Stmt):
    __slots__ = ("body", "orelse", "test")

    def __init__(self, test: Expr, body: tuple[Stmt, ...], orelse: tuple[Stmt, ...], line: int) -> None:
        self.line = line
        self.test = test
        self.body = body
        self.orelse = orelse


class Loop(Stmt):
    """`for target in iter` (iter set) or `while test` (test set)."""

    __slots__ = ("body", "iter", "orelse", "target", "test")

    def __init__(
        self,
        target: Target | None,
        iter: Expr | None,
        test: Expr | None,
        body: tuple[Stmt, ...],
        orelse: tuple[Stmt, ...],
        line: int,
    ) -> None:
        self.line = line
        self.target = target
        self.iter = iter
        self.test = test
        self.body = body
        self.orelse = orelse


@dataclass(frozen=True, slots=True)
class Handler:
    types: tuple[str, ...]  # dotted names caught; () for a bare `except:`
    name: str | None
    body: tuple[Stmt, ...]
    line: int


class Try(Stmt):
    __slots__ = ("body", "final", "handlers", "orelse")

    def __init__(
        self,
        body: tuple[Stmt, ...],
        handlers: tuple[Handler, ...],
        orelse: tuple[Stmt, ...],
        final: tuple[Stmt, ...],
        line: int,
    ) -> None:
        self.line = line
        self.body = body
        self.handlers = handlers
        self.orelse = orelse
        self.final = final


# --- functions, classes, modules ---------------------------------------------------------------


@dataclass(slots=True)
class Function:
    name: str
    qualname: str
    params: tuple[str, ...]
    body: tuple[Stmt, ...]
    line: int
    end_line: int
    decorators: tuple[Expr, ...] = ()
    vararg: int | None = None  # index of `*args` among params
    kwarg: int | None = None  # index of `**kwargs` among params
    annotations: Mapping[str, str] = field(default_factory=dict)  # param -> dotted type name
    owner: str | None = None  # the class a method belongs to
    is_async: bool = False
    static: bool = False  # a staticmethod: no receiver
    # Variables of enclosing functions a closure reads: the last len(captures) params, bound
    # where the closure is created (fronts of languages with closures; empty elsewhere).
    captures: tuple[str, ...] = ()


@dataclass(slots=True)
class Class:
    name: str
    bases: tuple[Expr, ...]
    methods: dict[str, str]  # method name -> qualname
    line: int
    decorators: tuple[Expr, ...] = ()


@dataclass(frozen=True, slots=True)
class Import:
    """`import a.b as x` -> Import("a.b", None, 0); `from .m import f as g` -> Import("m", "f", 1)."""

    module: str
    symbol: str | None
    level: int
    line: int


@dataclass(frozen=True, slots=True)
class CodeHit:
    """A language-level observation made while lowering (a disabled TLS check, a secret...)."""

    kind: str
    line: int
    detail: str
    data: Mapping[str, object] = field(default_factory=dict)
    function: str | None = None  # qualname of the enclosing function (None: module level)


@dataclass(slots=True)
class Module:
    path: str  # relative to the scan root
    language: str
    body: Function  # the module's top-level statements
    functions: dict[str, Function]
    classes: dict[str, Class]
    imports: dict[str, Import]  # local name -> import
    imported_modules: tuple[Import, ...]  # every import statement, for dependency checks
    hits: tuple[CodeHit, ...] = ()
    lines: int = 0
    # Names bound at module level to a def or class, so lookups skip the module body.
    defs: dict[str, str] = field(default_factory=dict)  # name -> qualname of a function
    flags: dict[str, bool] = field(default_factory=dict)  # front-specific module facts
    # Modules whose members are what they export (JavaScript): exported name -> the module-scope
    # binding holding it ("=" is the whole `module.exports`). None: members are the globals.
    exports: dict[str, str] | None = None
    star_exports: tuple[Import, ...] = ()  # `export * from "./other"`
