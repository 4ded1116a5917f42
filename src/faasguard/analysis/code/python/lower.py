"""The Python front: lower a module's `ast` into the shared intermediate form (ir.py).

Only the standard library `ast` parser is used; nothing of the scanned code is imported or run.
While lowering, the front also records language-level observations that need no data flow
(`CodeHit`): TLS verification turned off, JWTs decoded without verification, literals that look
like secrets, weak randomness for tokens, fast hashes of passwords, handlers that swallow every
exception, plain http:// calls, Powertools' `log_event=True`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import Any

from faasguard.analysis.code import ir
from faasguard.analysis.code.python.catalog import MONGO_MODULES, SQL_MODULES

# --- vocabularies for the syntactic checks -------------------------------------------------------

_SECRETISH = re.compile(
    r"pass(word|wd|phrase)?$|pwd|secret|token|api_?key|apikey|private_?key|access_?key|credential"
    r"|auth_?key|signing_?key|client_?secret|encryption_?key|master_?key",
    re.IGNORECASE,
)
_TOKEN_HINT = re.compile(
    r"AKIA|ASIA|-----BEGIN|gh[pousr]_|github_pat_|xox[abposr]-|[rs]k_(live|test)_|AIza|SG\.|eyJ|://[^/\s:@]+:[^/\s@]+@"
)
_TOKENISH_TARGET = re.compile(
    r"token|secret|passw|pwd|otp|nonce|salt|session|reset|api_?key|apikey|csrf|verification|verify_code"
    r"|confirm|invite|access_?key|secret_?key|signing_?key|one_?time|magic_?link|pin_?code|auth_?code",
    re.IGNORECASE,
)
_PASSWORDISH = re.compile(r"passw|pwd|passphrase", re.IGNORECASE)
_SALTISH = re.compile(r"salt|pepper|hmac", re.IGNORECASE)
_RANDOM_FUNCS = frozenset(
    {"random", "randint", "choice", "choices", "randrange", "getrandbits", "sample", "shuffle", "uniform"}
)
_FAST_HASHES = frozenset(
    {"md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256", "sha3_512", "blake2b"}
)
_HTTP_CLIENT_CALLS = frozenset(
    {
        "requests.get",
        "requests.post",
        "requests.put",
        "requests.patch",
        "requests.delete",
        "requests.head",
        "requests.options",
        "requests.request",
        "httpx.get",
        "httpx.post",
        "httpx.put",
        "httpx.patch",
        "httpx.delete",
        "httpx.head",
        "httpx.request",
        "httpx.stream",
        "urllib.request.urlopen",
        "urllib.request.Request",
        "urllib3.request",
    }
)
# Calls the syntactic checks look at without keyword arguments (others need a keyword).
_CHECKED = re.compile(
    r"(ssl|jwt|jose|random|hashlib|requests|httpx|urllib|urllib2|urllib3|http|httplib|aiohttp|base64"
    r"|binascii)\b"
    r"|.*\.(b64decode|urlsafe_b64decode|decodebytes|a2b_base64|base64url_decode|get_unverified_claims"
    r"|setFeature|XMLParser|get|post|put|patch|delete|request|fetch|urlopen)$"
)
_CATCH_ALL = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})


def _const_str(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _leading_text(node: ast.AST) -> str | None:
    """The literal text a string expression starts with (a constant, an f-string's first piece)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        return _const_str(node.values[0])
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _leading_text(node.left)
    return None


class _Lowerer:
    def __init__(self, path: str) -> None:
        self.path = path
        self.functions: dict[str, ir.Function] = {}
        self.classes: dict[str, ir.Class] = {}
        self.imports: dict[str, ir.Import] = {}
        self.import_list: list[ir.Import] = []
        self.defs: dict[str, str] = {}
        self.hits: list[ir.CodeHit] = []
        self.aliases: dict[str, str] = {}  # local name -> dotted module path (for the checks)
        self.str_consts: dict[str, str] = {}  # module-level NAME = "literal"
        self.scope: list[str] = []  # qualname parts
        self.func_stack: list[str] = []  # qualnames of enclosing functions
        self.targets: list[str] = []  # names being assigned while lowering a value
        self.lambdas = 0
        self.nest = 0  # block nesting inside the current function (0: its own body)
        self.entity_parsers = False
        # JWT pieces in the current function: names holding `token.split(".")` / its payload segment
        self.jwt_splits: set[str] = set()
        self.jwt_segments: set[str] = set()
        self.jwt_decoded: set[str] = set()  # segments already reported as decoded by hand
        expr_table: dict[type, Callable[[Any], ir.Expr]] = {
            ast.Constant: self._constant,
            ast.Name: self._name,
            ast.Attribute: self._attribute,
            ast.Subscript: self._subscript,
            ast.Call: self._call,
            ast.JoinedStr: self._joined,
            ast.FormattedValue: self._formatted,
            ast.BinOp: self._binop,
            ast.UnaryOp: self._unary,
            ast.BoolOp: self._boolop,
            ast.Compare: self._compare,
            ast.IfExp: self._ifexp,
            ast.Dict: self._dict,
            ast.List: self._seq,
            ast.Tuple: self._seq,
            ast.Set: self._seq,
            ast.ListComp: self._comp,
            ast.SetComp: self._comp,
            ast.GeneratorExp: self._comp,
            ast.DictComp: self._comp,
            ast.Lambda: self._lambda,
            ast.Await: self._await,
            ast.NamedExpr: self._walrus,
            ast.Starred: self._starred,
        }
        self._expr_table = expr_table

    # --- helpers ---------------------------------------------------------------------------------

    def hit(self, kind: str, line: int, detail: str, **data: object) -> None:
        self.hits.append(
            ir.CodeHit(kind, line, detail, data, self.func_stack[-1] if self.func_stack else None)
        )

    def dotted(self, node: ast.AST) -> str | None:
        """`os.path.join` with import aliases applied; None when the chain has no name root."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        head = self.aliases.get(node.id, node.id)
        parts.append(head)
        return ".".join(reversed(parts))

    def qual(self, name: str) -> str:
        return ".".join([*self.scope, name]) if self.scope else name

    # --- expressions -----------------------------------------------------------------------------

    def expr(self, node: ast.AST) -> ir.Expr:
        fn = self._expr_table.get(type(node))
        if fn is None:
            return ir.Unknown(getattr(node, "lineno", 0))
        return fn(node)

    def _constant(self, node: ast.Constant) -> ir.Expr:
        v = node.value
        if isinstance(v, (str, int, float, bool, bytes)) or v is None:
            if isinstance(v, str) and len(v) >= 16 and _TOKEN_HINT.search(v):
                self.hit("secret-literal", node.lineno, "literal", name="", value=v)
            return ir.Const(v, node.lineno)
        return ir.Unknown(node.lineno)

    def _name(self, node: ast.Name) -> ir.Expr:
        return ir.Name(node.id, node.lineno)

    def _attribute(self, node: ast.Attribute) -> ir.Expr:
        return ir.Attr(self.expr(node.value), node.attr, node.lineno)

    def _subscript(self, node: ast.Subscript) -> ir.Expr:
        key = None if isinstance(node.slice, ast.Slice) else self.expr(node.slice)
        return ir.Index(self.expr(node.value), key, node.lineno)

    def _starred(self, node: ast.Starred) -> ir.Expr:
        return ir.Starred(self.expr(node.value), node.lineno)

    def _call(self, node: ast.Call) -> ir.Expr:
        func = node.func
        line = node.lineno
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "format"
            and isinstance(func.value, ast.Constant)
            and isinstance(func.value.value, str)
        ):
            parts: list[ir.Expr] = [ir.Const(func.value.value, line)]
            parts.extend(self.expr(a) for a in node.args)
            parts.extend(self.expr(k.value) for k in node.keywords)
            return ir.Concat(tuple(parts), line)
        name = self.dotted(func)
        if node.keywords or (name is not None and _CHECKED.match(name)):
            self._check_call(node, name)
        expr = self.expr
        args = tuple([expr(a) for a in node.args])
        kwargs = tuple([(k.arg, expr(k.value)) for k in node.keywords])
        return ir.Call(expr(func), args, kwargs, line)

    def _joined(self, node: ast.JoinedStr) -> ir.Expr:
        return ir.Concat(tuple(self.expr(v) for v in node.values), node.lineno)

    def _formatted(self, node: ast.FormattedValue) -> ir.Expr:
        return self.expr(node.value)

    def _binop(self, node: ast.BinOp) -> ir.Expr:
        left, right = self.expr(node.left), self.expr(node.right)
        if isinstance(node.op, (ast.Add, ast.Mod)):
            if isinstance(left, ir.Concat) and isinstance(node.op, ast.Add):
                return ir.Concat((*left.parts, right), node.lineno)  # a + b + c: one string
            return ir.Concat((left, right), node.lineno)
        return ir.Either((left, right), node.lineno)

    def _unary(self, node: ast.UnaryOp) -> ir.Expr:
        if isinstance(node.op, ast.Not):
            return ir.Not(self.expr(node.operand), node.lineno)
        return self.expr(node.operand)

    def _boolop(self, node: ast.BoolOp) -> ir.Expr:
        op = "and" if isinstance(node.op, ast.And) else "or"
        return ir.BoolOp(op, tuple(self.expr(v) for v in node.values), node.lineno)

    _CMP = {
        ast.Eq: "==",
        ast.NotEq: "!=",
        ast.In: "in",
        ast.NotIn: "not in",
        ast.Is: "is",
        ast.IsNot: "is not",
        ast.Lt: "<",
        ast.LtE: "<=",
        ast.Gt: ">",
        ast.GtE: ">=",
    }

    def _compare(self, node: ast.Compare) -> ir.Expr:
        left = self.expr(node.left)
        out: list[ir.Expr] = []
        for op, comp in zip(node.ops, node.comparators, strict=True):
            right = self.expr(comp)
            out.append(ir.Compare(left, self._CMP.get(type(op), "?"), right, node.lineno))
            left = right
        return out[0] if len(out) == 1 else ir.BoolOp("and", tuple(out), node.lineno)

    def _ifexp(self, node: ast.IfExp) -> ir.Expr:
        return ir.Either((self.expr(node.body), self.expr(node.orelse)), node.lineno)

    def _dict(self, node: ast.Dict) -> ir.Expr:
        keys = tuple(None if k is None else self.expr(k) for k in node.keys)
        for k, v in zip(node.keys, node.values, strict=True):
            key = _const_str(k) if k is not None else None
            if (
                key is not None
                and isinstance(v, ast.Constant)
                and isinstance(v.value, str)
                and _SECRETISH.search(key)
            ):
                self.hit("secret-literal", v.lineno, "dict", name=key, value=v.value)
        values = tuple(self.expr(v) for v in node.values)
        return ir.Coll("dict", values, keys, node.lineno)

    def _seq(self, node: ast.List | ast.Tuple | ast.Set) -> ir.Expr:
        kind = "list" if isinstance(node, ast.List) else "tuple" if isinstance(node, ast.Tuple) else "set"
        return ir.Coll(kind, tuple(self.expr(e) for e in node.elts), None, node.lineno)

    def _comp(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> ir.Expr:
        gens = tuple(
            (self.target(g.target), self.expr(g.iter), tuple(self.expr(i) for i in g.ifs))
            for g in node.generators
        )
        if isinstance(node, ast.DictComp):
            elts: tuple[ir.Expr, ...] = (self.expr(node.key), self.expr(node.value))
            kind = "dict"
        else:
            elts = (self.expr(node.elt),)
            kind = "list"
        return ir.Comp(kind, elts, gens, node.lineno)

    def _lambda(self, node: ast.Lambda) -> ir.Expr:
        self.lambdas += 1
        name = f"<lambda{self.lambdas}>"
        qual = self.qual(name)
        params, vararg, kwarg = self._params(node.args)
        self.func_stack.append(qual)
        body = (ir.Return(self.expr(node.body), node.lineno),)
        self.func_stack.pop()
        self.functions[qual] = ir.Function(
            name,
            qual,
            params,
            body,
            node.lineno,
            getattr(node, "end_lineno", None) or node.lineno,
            vararg=vararg,
            kwarg=kwarg,
        )
        return ir.FuncRef(qual, node.lineno)

    def _await(self, node: ast.Await) -> ir.Expr:
        return self.expr(node.value)

    def _walrus(self, node: ast.NamedExpr) -> ir.Expr:
        return ir.Walrus(node.target.id, self.expr(node.value), node.lineno)

    # --- targets ---------------------------------------------------------------------------------

    def target(self, node: ast.AST) -> ir.Target:
        if isinstance(node, ast.Name):
            return ir.NameT(node.id)
        if isinstance(node, ast.Attribute):
            return ir.AttrT(self.expr(node.value), node.attr)
        if isinstance(node, ast.Subscript):
            key = None if isinstance(node.slice, ast.Slice) else self.expr(node.slice)
            return ir.IndexT(self.expr(node.value), key)
        if isinstance(node, (ast.Tuple, ast.List)):
            star = None
            elts: list[ir.Target] = []
            for i, e in enumerate(node.elts):
                if isinstance(e, ast.Starred):
                    star = i
                    elts.append(self.target(e.value))
                else:
                    elts.append(self.target(e))
            return ir.TupleT(tuple(elts), star)
        if isinstance(node, ast.Starred):
            return self.target(node.value)
        return ir.NameT("_")

    @staticmethod
    def _target_names(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Name):
            return [node.id]
        if isinstance(node, ast.Attribute):
            return [node.attr]
        if isinstance(node, ast.Subscript):
            key = _const_str(node.slice)
            return [key] if key else []
        if isinstance(node, (ast.Tuple, ast.List)):
            return [n for e in node.elts for n in _Lowerer._target_names(e)]
        return []

    # --- statements ------------------------------------------------------------------------------

    def block(self, stmts: list[ast.stmt]) -> tuple[ir.Stmt, ...]:
        out: list[ir.Stmt] = []
        self.nest += 1
        for s in stmts:
            self.stmt(s, out)
        self.nest -= 1
        return tuple(out)

    def stmt(self, node: ast.stmt, out: list[ir.Stmt]) -> None:
        line = node.lineno
        if isinstance(node, ast.Expr):
            out.append(ir.Eval(self.expr(node.value), line))
        elif isinstance(node, ast.Assign):
            names = [n for t in node.targets for n in self._target_names(t)]
            self._secret_assign(names, node.value)
            for t in node.targets:
                self._jwt_assign(t, node.value)
            self.targets = names
            value = self.expr(node.value)
            self.targets = []
            self._tls_assign(node)
            out.append(ir.Assign(tuple(self.target(t) for t in node.targets), value, line))
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                names = self._target_names(node.target)
                self._secret_assign(names, node.value)
                self._jwt_assign(node.target, node.value)
                self.targets = names
                value = self.expr(node.value)
                self.targets = []
                out.append(ir.Assign((self.target(node.target),), value, line))
        elif isinstance(node, ast.AugAssign):
            current = (
                self.expr(node.target)
                if isinstance(node.target, (ast.Name, ast.Attribute, ast.Subscript))
                else None
            )
            value = self.expr(node.value)
            combined: ir.Expr = value
            if current is not None:
                combined = (
                    ir.Concat((current, value), line)
                    if isinstance(node.op, (ast.Add, ast.Mod))
                    else ir.Either((current, value), line)
                )
            out.append(ir.Assign((self.target(node.target),), combined, line))
        elif isinstance(node, ast.Return):
            out.append(ir.Return(None if node.value is None else self.expr(node.value), line))
        elif isinstance(node, ast.If):
            out.append(ir.If(self.expr(node.test), self.block(node.body), self.block(node.orelse), line))
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            out.append(
                ir.Loop(
                    self.target(node.target),
                    self.expr(node.iter),
                    None,
                    self.block(node.body),
                    self.block(node.orelse),
                    line,
                )
            )
        elif isinstance(node, ast.While):
            out.append(
                ir.Loop(
                    None, None, self.expr(node.test), self.block(node.body), self.block(node.orelse), line
                )
            )
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                value = self.expr(item.context_expr)
                if item.optional_vars is not None:
                    out.append(ir.Assign((self.target(item.optional_vars),), value, line))
                else:
                    out.append(ir.Eval(value, line))
            out.extend(self.block(node.body))
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            self._try(node, out)
        elif isinstance(node, ast.Raise):
            out.append(ir.Raise(None if node.exc is None else self.expr(node.exc), line))
        elif isinstance(node, ast.Assert):
            out.append(ir.If(self.expr(node.test), (), (ir.Raise(None, line),), line))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            qual = self.function(node)
            if not self.scope or self.func_stack:
                out.append(ir.Assign((ir.NameT(node.name),), ir.FuncRef(qual, line), line))
        elif isinstance(node, ast.ClassDef):
            self.klass(node)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                target = alias.name if alias.asname else alias.name.split(".")[0]
                imp = ir.Import(target, None, 0, line)
                self.imports[local] = imp
                self.import_list.append(ir.Import(alias.name, None, 0, line))
                self.aliases[local] = target
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            for alias in node.names:
                if alias.name == "*":
                    self.import_list.append(ir.Import(module, None, node.level, line))
                    continue
                local = alias.asname or alias.name
                imp = ir.Import(module, alias.name, node.level, line)
                self.imports[local] = imp
                self.import_list.append(imp)
                if node.level == 0:
                    self.aliases[local] = f"{module}.{alias.name}" if module else alias.name
        elif isinstance(node, (ast.Continue, ast.Break)):
            out.append(ir.Jump("continue" if isinstance(node, ast.Continue) else "break", line))
        elif isinstance(node, ast.Match):
            out.append(ir.Eval(self.expr(node.subject), line))
            rest: tuple[ir.Stmt, ...] = ()
            for case in reversed(node.cases):
                rest = (ir.If(ir.Unknown(line), self.block(case.body), rest, case.pattern.lineno),)
            out.extend(rest)

    def _try(self, node: ast.stmt, out: list[ir.Stmt]) -> None:
        body = self.block(getattr(node, "body", []))
        handlers: list[ir.Handler] = []
        for h in getattr(node, "handlers", []):
            types: tuple[str, ...] = ()
            if h.type is not None:
                elts = h.type.elts if isinstance(h.type, ast.Tuple) else [h.type]
                types = tuple(self.dotted(e) or "?" for e in elts)
            handler = ir.Handler(types, h.name, self.block(h.body), h.lineno)
            handlers.append(handler)
            if self.nest == 0 and (not types or any(t in _CATCH_ALL for t in types)) and _silent(h.body):
                self.hit("swallow", h.lineno, "except " + (", ".join(types) or "(bare)"))
        out.append(
            ir.Try(
                body,
                tuple(handlers),
                self.block(getattr(node, "orelse", [])),
                self.block(getattr(node, "finalbody", [])),
                node.lineno,
            )
        )

    def _params(self, args: ast.arguments) -> tuple[tuple[str, ...], int | None, int | None]:
        names = [a.arg for a in (*args.posonlyargs, *args.args)]
        vararg = kwarg = None
        if args.vararg is not None:
            vararg = len(names)
            names.append(args.vararg.arg)
        names.extend(a.arg for a in args.kwonlyargs)
        if args.kwarg is not None:
            kwarg = len(names)
            names.append(args.kwarg.arg)
        return tuple(names), vararg, kwarg

    def _annotation(self, node: ast.AST | None) -> str | None:
        if node is None:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Subscript):  # Optional[int], Annotated[str, Query()]
            inner = node.slice
            if isinstance(inner, ast.Tuple) and inner.elts:
                inner = inner.elts[0]
            base = self.dotted(node.value) or ""
            if base.endswith(("Optional", "Annotated")):
                return self._annotation(inner)
            return base
        if isinstance(node, ast.BinOp):  # int | None
            return self._annotation(node.left)
        return self.dotted(node)

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, owner: str | None = None) -> str:
        qual = self.qual(node.name)
        decorators = tuple(self.expr(d) for d in node.decorator_list)
        self._check_decorators(node)
        params, vararg, kwarg = self._params(node.args)
        annotations: dict[str, str] = {}
        for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
            ann = self._annotation(a.annotation)
            if ann:
                annotations[a.arg] = ann
        static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list)
        self.scope.append(node.name)
        self.func_stack.append(qual)
        saved_targets, self.targets = self.targets, []
        saved_nest, self.nest = self.nest, -1
        saved_jwt = self.jwt_splits, self.jwt_segments, self.jwt_decoded
        self.jwt_splits, self.jwt_segments, self.jwt_decoded = set(), set(), set()
        body = self.block(node.body)
        self.jwt_splits, self.jwt_segments, self.jwt_decoded = saved_jwt
        self.nest = saved_nest
        self.targets = saved_targets
        self.func_stack.pop()
        self.scope.pop()
        self.functions[qual] = ir.Function(
            node.name,
            qual,
            params,
            body,
            node.lineno,
            getattr(node, "end_lineno", None) or node.lineno,
            decorators,
            vararg,
            kwarg,
            annotations,
            owner,
            isinstance(node, ast.AsyncFunctionDef),
            static,
        )
        if not self.scope:
            self.defs[node.name] = qual
        return qual

    def klass(self, node: ast.ClassDef) -> None:
        qual = self.qual(node.name)
        bases = tuple(self.expr(b) for b in node.bases)
        methods: dict[str, str] = {}
        self.scope.append(node.name)
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods[item.name] = self.function(item, owner=qual)
            elif isinstance(item, ast.ClassDef):
                self.klass(item)
            elif isinstance(item, (ast.Assign, ast.AnnAssign)):
                value = item.value
                if value is not None:
                    targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                    self._secret_assign([n for t in targets for n in self._target_names(t)], value)
                    self.expr(value)
        self.scope.pop()
        self.classes[qual] = ir.Class(
            node.name, bases, methods, node.lineno, tuple(self.expr(d) for d in node.decorator_list)
        )

    # --- syntactic checks ------------------------------------------------------------------------

    def _secret_assign(self, names: list[str], value: ast.expr) -> None:
        text = _const_str(value)
        if text is None:
            return
        for name in names:
            if _SECRETISH.search(name):
                self.hit("secret-literal", value.lineno, "assign", name=name, value=text)
                return
        if not self.func_stack and len(names) == 1 and isinstance(value, ast.Constant):
            self.str_consts[names[0]] = text

    def _jwt_assign(self, target: ast.expr, value: ast.expr) -> None:
        """Track `parts = token.split(".")`, `payload = parts[1]` and `_, payload, _ = token.split(".")`."""
        if isinstance(target, (ast.Tuple, ast.List)):
            if _is_split_dot(value):
                for i, e in enumerate(target.elts):
                    if isinstance(e, ast.Starred):
                        break
                    if isinstance(e, ast.Name) and i == 1:
                        self.jwt_segments.add(e.id)
                    elif isinstance(e, ast.Name):
                        self.jwt_segments.discard(e.id)
            return
        if not isinstance(target, ast.Name):
            return
        name = target.id
        self.jwt_splits.discard(name)
        self.jwt_segments.discard(name)
        if _is_split_dot(value):
            self.jwt_splits.add(name)
        elif self._carries_segment(value):
            self.jwt_segments.add(name)

    def _segment_in(self, node: ast.AST) -> ast.expr | None:
        """The JWT payload segment inside a decoder's argument: `parts[1]`, `payload`, `t.split(".")[1]`."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id in self.jwt_segments:
                return sub
            if (
                isinstance(sub, ast.Subscript)
                and isinstance(sub.slice, ast.Constant)
                and type(sub.slice.value) is int
                and sub.slice.value == 1
                and (
                    _is_split_dot(sub.value)
                    or (isinstance(sub.value, ast.Name) and sub.value.id in self.jwt_splits)
                )
            ):
                return sub
        return None

    def _carries_segment(self, node: ast.expr) -> bool:
        """The segment itself, padded (`seg + "=="`) or re-encoded (`seg.encode()`): still the payload."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._carries_segment(node.left)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return node.func.attr in _SEGMENT_METHODS and self._carries_segment(node.func.value)
        return self._segment_in(node) is node

    def _tls_assign(self, node: ast.Assign) -> None:
        for t in node.targets:
            if not isinstance(t, ast.Attribute):
                continue
            if (
                t.attr == "check_hostname"
                and isinstance(node.value, ast.Constant)
                and node.value.value is False
            ):
                self.hit("tls-off", node.lineno, "check_hostname = False")
            elif t.attr == "verify_mode" and (self.dotted(node.value) or "").endswith("CERT_NONE"):
                self.hit("tls-off", node.lineno, "verify_mode = CERT_NONE")
            elif t.attr == "_create_default_https_context" and (self.dotted(node.value) or "").endswith(
                "_create_unverified_context"
            ):
                self.hit("tls-off", node.lineno, "unverified default HTTPS context")

    def _check_decorators(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for d in node.decorator_list:
            if (
                isinstance(d, ast.Call)
                and isinstance(d.func, ast.Attribute)
                and d.func.attr == "inject_lambda_context"
            ):
                for k in d.keywords:
                    if k.arg == "log_event" and isinstance(k.value, ast.Constant) and k.value.value is True:
                        self.hits.append(
                            ir.CodeHit(
                                "log-event",
                                d.lineno,
                                "inject_lambda_context(log_event=True)",
                                {},
                                self.qual(node.name),
                            )
                        )

    def _check_call(self, node: ast.Call, name: str | None) -> None:
        line = node.lineno
        short = name.rsplit(".", 1)[-1] if name else ""
        kw = {k.arg: k.value for k in node.keywords if k.arg}
        for key, value in kw.items():
            text = _const_str(value)
            if text is not None and _SECRETISH.search(key):
                self.hit("secret-literal", value.lineno, "keyword", name=key, value=text)
        is_jwt = name is not None and ("jwt" in name.lower() or "jose" in name.lower())
        # --- TLS verification ---
        for key in ("verify", "verify_ssl", "ssl", "check_hostname"):
            v = kw.get(key)
            if isinstance(v, ast.Constant) and v.value is False and not (is_jwt and key == "verify"):
                self.hit("tls-off", line, f"{name or short or 'call'}({key}=False)")
        cert = kw.get("cert_reqs")
        if cert is not None and ("CERT_NONE" in (self.dotted(cert) or "") or _const_str(cert) == "CERT_NONE"):
            self.hit("tls-off", line, f"{name or short}(cert_reqs=CERT_NONE)")
        if name in ("ssl._create_unverified_context", "ssl._create_stdlib_context"):
            self.hit("tls-off", line, f"{name}()")
        # --- JWT without verification ---
        if is_jwt and short in ("decode", "get_unverified_claims", "decode_complete", "verify"):
            before = len(self.hits)
            if short == "get_unverified_claims":
                self.hit("jwt-unverified", line, f"{name}()", peek=True)
            verify = kw.get("verify")
            if isinstance(verify, ast.Constant) and verify.value is False:
                self.hit("jwt-unverified", line, f"{name}(verify=False)")
            options = kw.get("options")
            if isinstance(options, ast.Dict):
                for k, v in zip(options.keys, options.values, strict=True):
                    if (
                        k is not None
                        and _const_str(k) == "verify_signature"
                        and isinstance(v, ast.Constant)
                        and v.value is False
                    ):
                        self.hit("jwt-unverified", line, f'{name}(options={{"verify_signature": False}})')
            algs = kw.get("algorithms")
            if isinstance(algs, (ast.List, ast.Tuple)) and any(
                (_const_str(e) or "").lower() == "none" for e in algs.elts
            ):
                self.hit("jwt-unverified", line, f'{name}(algorithms=["none"])')
            if (
                len(self.hits) == before
                and short != "get_unverified_claims"
                and (len(node.args) > 1 or "key" in kw)
            ):
                self.hit("jwt-verify", line, f"{name}()")
        if short in _BASE64_DECODERS and node.args:
            segment = self._segment_in(node.args[0])
            # once per segment and function: padding retries decode the same token again
            if segment is not None and (key := ast.unparse(segment)) not in self.jwt_decoded:
                self.jwt_decoded.add(key)
                self.hit("jwt-unverified", line, f"JWT payload base64-decoded by hand with {name or short}()")
        # --- randomness / hashes ---
        if name is not None and name.startswith("random.") and short in _RANDOM_FUNCS:
            context = [(t, "target") for t in self.targets]
            context += [(q.rsplit(".", 1)[-1], "function") for q in self.func_stack[-1:]]
            for t, via in context:
                if _TOKENISH_TARGET.search(t):
                    self.hit("weak-random", line, f"{name}()", name=t, via=via)
                    break
        if name is not None and name.startswith("hashlib."):
            algo = short
            if short == "new" and node.args:
                algo = (_const_str(node.args[0]) or "").lower()
                data = node.args[1:]
            else:
                data = list(node.args)
            if algo in _FAST_HASHES and data:
                names = _names_in(data[0])
                pw = [n for n in names if _PASSWORDISH.search(n)]
                if pw and not any(_SALTISH.search(n) for n in names):
                    self.hit("weak-hash", line, f"hashlib.{algo}()", name=pw[0])
        # --- plain http:// calls ---
        if node.args or "url" in kw:
            url_node = node.args[0] if node.args else kw["url"]
            if name in ("requests.request", "httpx.request", "urllib3.request") and len(node.args) > 1:
                url_node = node.args[1]
            http_call = name in _HTTP_CLIENT_CALLS or (
                name is not None
                and short in ("get", "post", "put", "patch", "delete", "request", "fetch", "urlopen")
                and re.search(r"session|client|http|pool", name, re.IGNORECASE) is not None
            )
            if http_call:
                text = _leading_text(url_node)
                if text is None and isinstance(url_node, ast.Name):
                    text = self.str_consts.get(url_node.id)
                if text is not None and text.startswith("http://"):
                    self.hit("plain-http", line, f"{name or short}()", url=text)
        if name in ("http.client.HTTPConnection", "httplib.HTTPConnection") and node.args:
            host = _const_str(node.args[0])
            if host is not None:
                self.hit("plain-http", line, f"{name}()", url=f"http://{host}/")
        # --- XML parsers that resolve external entities ---
        if short in ("XMLParser", "setFeature"):
            ents = kw.get("resolve_entities")
            if isinstance(ents, ast.Constant) and ents.value is True:
                self.entity_parsers = True
            if (
                short == "setFeature"
                and len(node.args) > 1
                and (self.dotted(node.args[0]) or "").endswith("feature_external_ges")
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value
            ):
                self.entity_parsers = True


# base64 decoders (`base64.*`, `binascii.a2b_base64`, PyJWT / python-jose `base64url_decode`).
_BASE64_DECODERS = frozenset(
    {"b64decode", "urlsafe_b64decode", "decodebytes", "a2b_base64", "base64url_decode"}
)
# str / bytes methods that keep a JWT segment the segment (padding, re-encoding, url-safe fixes).
_SEGMENT_METHODS = frozenset({"encode", "strip", "rstrip", "replace", "ljust", "translate"})


def _is_split_dot(node: ast.AST) -> bool:
    """`token.split(".")` (any maxsplit)."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "split"
        and bool(node.args)
        and _const_str(node.args[0]) == "."
    )


def _names_in(node: ast.AST) -> list[str]:
    out: list[str] = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            out.append(sub.id)
        elif isinstance(sub, ast.Attribute):
            out.append(sub.attr)
        elif isinstance(sub, ast.Subscript):
            key = _const_str(sub.slice)
            if key:
                out.append(key)
    return out


def _literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is None or _literal(k) for k in node.keys) and all(_literal(v) for v in node.values)
    return False


def _error_status(node: ast.AST) -> bool:
    """A literal response that tells the caller something failed (a 4xx / 5xx status)."""
    return any(
        isinstance(sub, ast.Constant) and isinstance(sub.value, int) and 400 <= sub.value < 600
        for sub in ast.walk(node)
    )


def _silent(body: list[ast.stmt]) -> bool:
    """An except block that only passes, continues or returns a literal success: the error is gone
    without a log line, a re-raise or an error status."""
    for stmt in body:
        if isinstance(stmt, (ast.Pass, ast.Continue, ast.Break)):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue
        if isinstance(stmt, ast.Return) and (
            stmt.value is None or (_literal(stmt.value) and not _error_status(stmt.value))
        ):
            continue
        return False
    return True


def lower_module(path: str, tree: ast.Module, lines: int) -> ir.Module:
    lw = _Lowerer(path)
    body = lw.block(tree.body)
    module_fn = ir.Function("<module>", "<module>", (), body, 1, lines)
    module = ir.Module(
        path=path,
        language="python",
        body=module_fn,
        functions=lw.functions,
        classes=lw.classes,
        imports=lw.imports,
        imported_modules=tuple(lw.import_list),
        hits=tuple(lw.hits),
        lines=lines,
        defs=lw.defs,
        flags={
            "entity_parsers": lw.entity_parsers,
            "sql_module": any(i.module.split(".")[0] in SQL_MODULES for i in lw.import_list if i.level == 0),
            "mongo_module": any(
                i.module.split(".")[0] in MONGO_MODULES for i in lw.import_list if i.level == 0
            ),
        },
    )
    return module


def parse_module(path: str, text: str) -> ir.Module:
    """Parse and lower one file. Raises SyntaxError / ValueError / RecursionError on bad input."""
    tree = ast.parse(text, filename=path)
    return lower_module(path, tree, text.count("\n") + 1)


__all__ = ["lower_module", "parse_module"]
