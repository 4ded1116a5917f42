"""The JavaScript / TypeScript front: lower a tree-sitter syntax tree into the shared IR (ir.py).

Nothing of the scanned code is run or imported. The lowering maps JavaScript onto the forms the
taint engine knows:

- modules: `require(...)` and `import` become imports (a `require` anywhere is a module-scope
  name, `%req:<spec>`); `exports.x = ...`, `module.exports = ...`, `export ...` (declarations,
  lists, defaults, re-exports, `export *`, TypeScript `export =`, tsc's `Object.defineProperty`
  and `__exportStar` output) become the module's `exports` table;
- functions: declarations, expressions, arrows, methods (a `this` receiver first), object
  methods; destructured parameters become assignments; a nested function that reads variables
  of the functions around it is a closure: those variables are its `captures`, bound where it is
  created; function declarations are hoisted;
- values: member and subscript access, optional chains, template literals (`Concat`), `+`,
  `&&` / `||` / `??`, ternaries, spread, destructuring, `await` (the awaited value), TypeScript
  `as` / `!` / `satisfies` (types are dropped, never trusted); arithmetic, `.length`, unary `+`
  and `typeof` carry no data; `a.includes(x)` / `a.has(x)` / `a.indexOf(x) >= 0` are membership
  tests (`x in a`), `typeof x === "number"` an equality guard;
- Lambda's callback style: `callback(null, response)` and `context.succeed(response)` return the
  response.

While lowering, the front records language-level observations (`CodeHit`) that need no data
flow: TLS checks turned off, JWTs decoded without verification, secrets in literals,
`Math.random()` for tokens, fast unsalted password hashes, catch blocks that drop every error,
plain http:// calls, Powertools' `logEvent: true`; and the route registrations of in-code web
routers (Express, Koa, Fastify, lambda-api) for the front's entry points.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from faasguard.analysis.code import ir
from faasguard.analysis.code.js_catalog import MONGO_MODULES, SQL_MODULES
from faasguard.analysis.code.js_parse import _parsers, check_generated, dialect, first_error, parse

Node = Any  # tree_sitter.Node

MAX_DEPTH = 220  # expression / statement nesting lowered; deeper code lowers to Unknown

_SECRETISH = re.compile(
    r"pass(word|wd|phrase)?$|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key|credential"
    r"|auth[_-]?key|signing[_-]?key|client[_-]?secret|encryption[_-]?key|master[_-]?key",
    re.IGNORECASE,
)
_TOKEN_HINT = re.compile(
    r"AKIA|ASIA|-----BEGIN|gh[pousr]_|github_pat_|xox[abposr]-|[rs]k_(live|test)_|AIza|SG\.|eyJ|://[^/\s:@]+:[^/\s@]+@"
)
_TOKENISH = re.compile(
    r"token|secret|passw|pwd|otp|nonce|salt|session|reset|api_?key|apikey|csrf|verification|verify_?code"
    r"|confirm|invite|access_?key|secret_?key|signing_?key|one_?time|magic_?link|pin_?code|auth_?code",
    re.IGNORECASE,
)
_PASSWORDISH = re.compile(r"passw|pwd|passphrase", re.IGNORECASE)
_SALTISH = re.compile(r"salt|pepper|hmac", re.IGNORECASE)
_FAST_HASHES = frozenset({"md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3-256", "sha3-512"})

_ROUTE_VERBS = frozenset(
    {"get", "post", "put", "patch", "delete", "del", "all", "options", "head", "use", "any"}
)
_HTTP_CALLS = frozenset(
    {
        "fetch",
        "node-fetch",
        "cross-fetch",
        "undici.fetch",
        "undici.request",
        "axios",
        "got",
        "request",
        "superagent",
        "needle",
        "http.get",
        "http.request",
    }
)
_HTTP_CLIENT_ROOTS = frozenset({"axios", "got", "superagent", "needle", "request", "request-promise"})
_JWT_PEEK = frozenset(
    {
        "jsonwebtoken.decode",
        "jwt-decode",
        "jwt-decode.jwtDecode",
        "jwt-decode.default",
        "jose.decodeJwt",
        "jws.decode",
        "jwt-simple.decode",
    }
)
_JWT_VERIFY = frozenset({"jsonwebtoken.verify", "jose.jwtVerify", "jws.verify", "jsonwebtoken.sign"})
_NUMERIC_TYPES = frozenset({"number", "boolean", "undefined", "bigint"})
_CMP = {
    "===": "==",
    "==": "==",
    "!==": "!=",
    "!=": "!=",
    "<": "<",
    "<=": "<=",
    ">": ">",
    ">=": ">=",
}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "f": "\f", "v": "\v"}


@dataclass(frozen=True, slots=True)
class RouteReg:
    """`app.get("/users/:id", mw, handler)`: a web router's route registration."""

    receiver: ir.Expr
    verb: str
    path: str | None
    handlers: tuple[ir.Expr, ...]
    line: int
    function: str | None  # the function that registers it (None: module level)


@dataclass(slots=True)
class JsModule(ir.Module):
    dialect: str = "javascript"
    routes: list[RouteReg] = field(default_factory=list)
    # The expression each export was given (handlers wrapped by middleware are found in it).
    export_exprs: dict[str, ir.Expr] = field(default_factory=dict)
    parse_error: tuple[int, str] | None = None
    web_framework: str | None = None  # "koa" | "fastify" | "express" (what the module imports)


class _Scope:
    __slots__ = ("consts", "declared", "function", "hoisted", "params", "qual", "used")

    def __init__(self, qual: str, function: bool, params: tuple[str, ...] = ()) -> None:
        self.qual = qual
        self.function = function
        self.params = params
        self.declared: set[str] = set(params)
        self.used: set[str] = set()
        self.hoisted: list[ir.Stmt] = []
        # `const x = { ... }` objects, inlined where a call names them (option objects).
        self.consts: dict[str, ir.Coll] = {}


def _line(node: Node) -> int:
    return int(node.start_point.row) + 1


_local = threading.local()  # the source being lowered (node.text re-reads a callback-parsed tree)


def _text(node: Node) -> str:
    src: bytes = _local.source
    return src[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _bytes(node: Node) -> bytes:
    src: bytes = _local.source
    return src[node.start_byte : node.end_byte]


def _string_value(node: Node) -> str:
    """The value of a string literal node (escapes decoded, approximately)."""
    raw = _text(node)[1:-1]
    if "\\" not in raw:
        return raw
    out: list[str] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            nxt = raw[i + 1]
            if nxt == "u" and raw[i + 2 : i + 6].isalnum() and len(raw[i + 2 : i + 6]) == 4:
                try:
                    out.append(chr(int(raw[i + 2 : i + 6], 16)))
                    i += 6
                    continue
                except ValueError:
                    pass
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _effects(exprs: list[ir.Expr], line: int) -> ir.Expr:
    """Sub-expressions evaluated for what they do (calls), whose value carries no data."""
    kept = [e for e in exprs if not isinstance(e, (ir.Const, ir.Unknown, ir.Name))]
    if not kept:
        return ir.Unknown(line)
    return ir.BoolOp("and", tuple(kept), line)


@cache
def _kind_ids(kind: str) -> dict[str, tuple[int, ...]]:
    """Node type name -> every symbol id the grammar gives it (dispatch by id is cheaper)."""
    lang = _parsers()[kind].language
    out: dict[str, list[int]] = {}
    for i in range(lang.node_kind_count):
        name = lang.node_kind_for_id(i)
        if name is not None:
            out.setdefault(name, []).append(i)
    return {k: tuple(v) for k, v in out.items()}


class _Lowerer:
    def __init__(self, path: str, source: bytes, typescript: bool, kind: str = "javascript") -> None:
        self.path = path
        self.source = source
        self.typescript = typescript
        self.functions: dict[str, ir.Function] = {}
        self.classes: dict[str, ir.Class] = {}
        self.imports: dict[str, ir.Import] = {}
        self.import_list: list[ir.Import] = []
        self.defs: dict[str, str] = {}
        self.hits: list[ir.CodeHit] = []
        self.exports: dict[str, str] = {}
        self.export_exprs: dict[str, ir.Expr] = {}
        self.star_exports: list[ir.Import] = []
        self.routes: list[RouteReg] = []
        self.aliases: dict[str, str] = {}  # local name -> module spec or spec.member
        self.str_consts: dict[str, str] = {}
        self.scopes: list[_Scope] = [_Scope("<module>", False)]
        self.scope = self.scopes[0]  # the innermost scope (kept in step with `scopes`)
        self.targets: list[str] = []  # names being assigned while lowering a value
        self.name_hint: str | None = None
        self.jwt_segments: set[str] = set()
        self.jwt_splits: set[str] = set()  # names holding `token.split(".")`
        self.jwt_decoded: set[tuple[str | None, str]] = set()  # (function, segment) decoded by hand
        self.nest = 0
        self.depth = 0
        self.tmp = 0
        self.anon = 0
        self.specs: set[str] = set()
        self.in_switch = 0
        self._expr_table: dict[str, Callable[[Node], ir.Expr]] = {
            "identifier": self._ident,
            "this": self._this,
            "super": self._this,
            "shorthand_property_identifier": self._ident,
            "property_identifier": self._ident,
            "member_expression": self._member,
            "subscript_expression": self._subscript,
            "call_expression": self._call,
            "new_expression": self._new,
            "string": self._string,
            "template_string": self._template,
            "number": self._number,
            "true": self._true,
            "false": self._false,
            "null": self._null,
            "undefined": self._null,
            "object": self._object,
            "array": self._array,
            "arrow_function": self._function_expr,
            "function_expression": self._function_expr,
            "function": self._function_expr,
            "generator_function": self._function_expr,
            "class": self._class_expr,
            "binary_expression": self._binary,
            "unary_expression": self._unary,
            "update_expression": self._update,
            "assignment_expression": self._assign_expr,
            "augmented_assignment_expression": self._aug_expr,
            "ternary_expression": self._ternary,
            "parenthesized_expression": self._paren,
            "sequence_expression": self._sequence,
            "await_expression": self._paren,
            "yield_expression": self._yield,
            "spread_element": self._spread,
            "as_expression": self._first_named,
            "satisfies_expression": self._first_named,
            "non_null_expression": self._first_named,
            "type_assertion": self._last_named,
            "template_substitution": self._paren,
            "regex": self._regex,
            "instantiation_expression": self._first_named,
        }
        ids = _kind_ids(kind)
        self._expr_ids: dict[int, Callable[[Node], ir.Expr]] = {
            i: fn for name, fn in self._expr_table.items() for i in ids.get(name, ())
        }
        self._stmt_table: dict[str, Callable[[Node, list[ir.Stmt]], None]] = {
            "expression_statement": self._expression_statement,
            "lexical_declaration": self._declaration,
            "variable_declaration": self._declaration,
            "return_statement": self._return,
            "if_statement": self._if,
            "for_statement": self._for,
            "for_in_statement": self._for_in,
            "while_statement": self._while,
            "do_statement": self._do,
            "try_statement": self._try,
            "throw_statement": self._throw,
            "switch_statement": self._switch,
            "break_statement": self._jump,
            "continue_statement": self._jump,
            "statement_block": self._block_stmt,
            "labeled_statement": self._labeled,
            "function_declaration": self._function_decl,
            "generator_function_declaration": self._function_decl,
            "class_declaration": self._class_decl,
            "abstract_class_declaration": self._class_decl,
            "import_statement": self._import,
            "export_statement": self._export,
            "with_statement": self._with,
        }
        self._stmt_ids: dict[int, Callable[[Node, list[ir.Stmt]], None]] = {
            i: sfn for name, sfn in self._stmt_table.items() for i in ids.get(name, ())
        }

    # --- helpers ---------------------------------------------------------------------------------

    def push(self, scope: _Scope) -> None:
        self.scopes.append(scope)
        self.scope = scope

    def pop(self) -> None:
        self.scopes.pop()
        self.scope = self.scopes[-1]

    def func_qual(self) -> str | None:
        for s in reversed(self.scopes):
            if s.function:
                return s.qual
        return None

    def hit(self, kind: str, line: int, detail: str, **data: object) -> None:
        self.hits.append(ir.CodeHit(kind, line, detail, data, self.func_qual()))

    def declare(self, name: str) -> None:
        self.scope.declared.add(name)

    def new_tmp(self) -> str:
        self.tmp += 1
        return f"%t{self.tmp}"

    def require_name(self, spec: str, line: int) -> str:
        spec = spec.removeprefix("node:")
        local = f"%req:{spec}"
        if local not in self.imports:
            level = 1 if spec.startswith((".", "/")) else 0
            imp = ir.Import(spec, None, level, line)
            self.imports[local] = imp
            self.import_list.append(imp)
            self.specs.add(spec)
        return local

    def dotted(self, node: Node) -> str | None:
        """`jwt.decode` with import aliases applied ("jsonwebtoken.decode"); None without a name root."""
        parts: list[str] = []
        while node.type == "member_expression":
            prop = node.child_by_field_name("property")
            if prop is None:
                return None
            parts.append(_text(prop))
            node = node.child_by_field_name("object")
            if node is None:
                return None
        if node.type == "identifier":
            name = _text(node)
            head = self.aliases.get(name, name)
        elif node.type == "call_expression":
            spec = self._require_spec(node)
            if spec is None:
                return None
            head = spec
        else:
            return None
        parts.append(head)
        out = ".".join(reversed(parts))
        return out.removesuffix(".default") if out.endswith(".default") else out

    def _require_spec(self, node: Node) -> str | None:
        """The module a `require("x")` / `import("x")` call names (a string literal), else None."""
        if node.type != "call_expression":
            return None
        fn = node.child_by_field_name("function")
        if fn is None or not ((fn.type == "identifier" and _bytes(fn) == b"require") or fn.type == "import"):
            return None
        args = node.child_by_field_name("arguments")
        if args is None or args.type != "arguments" or args.named_child_count != 1:
            return None
        a = args.named_children[0]
        if a.type != "string":
            return None
        return _string_value(a).removeprefix("node:")

    # --- expressions -----------------------------------------------------------------------------

    def expr(self, node: Node | None) -> ir.Expr:
        if node is None:
            return ir.Unknown(0)
        fn = self._expr_ids.get(node.kind_id)
        if fn is None or self.depth > MAX_DEPTH:
            return ir.Unknown(node.start_point.row + 1)
        self.depth += 1
        out = fn(node)
        self.depth -= 1
        return out

    def _ident(self, node: Node) -> ir.Expr:
        name = _local.source[node.start_byte : node.end_byte].decode("utf-8", "replace")
        if name == "undefined":
            return ir.Const(None, node.start_point.row + 1)
        self.scope.used.add(name)
        return ir.Name(name, node.start_point.row + 1)

    def _this(self, node: Node) -> ir.Expr:
        self.scope.used.add("this")
        return ir.Name("this", _line(node))

    def _paren(self, node: Node) -> ir.Expr:
        for c in node.named_children:
            if c.type != "comment":
                return self.expr(c)
        return ir.Unknown(_line(node))

    def _first_named(self, node: Node) -> ir.Expr:
        return self.expr(node.named_children[0]) if node.named_child_count else ir.Unknown(_line(node))

    def _last_named(self, node: Node) -> ir.Expr:
        return self.expr(node.named_children[-1]) if node.named_child_count else ir.Unknown(_line(node))

    def _yield(self, node: Node) -> ir.Expr:
        return _effects([self.expr(c) for c in node.named_children], _line(node))

    def _spread(self, node: Node) -> ir.Expr:
        return ir.Starred(self._first_named(node), _line(node))

    def _true(self, node: Node) -> ir.Expr:
        return ir.Const(True, _line(node))

    def _false(self, node: Node) -> ir.Expr:
        return ir.Const(False, _line(node))

    def _null(self, node: Node) -> ir.Expr:
        return ir.Const(None, _line(node))

    def _number(self, node: Node) -> ir.Expr:
        text = _text(node).replace("_", "")
        try:
            return ir.Const(int(text, 0), _line(node))
        except ValueError:
            try:
                return ir.Const(float(text), _line(node))
            except ValueError:
                return ir.Const(0, _line(node))

    def _regex(self, node: Node) -> ir.Expr:
        return ir.Const(_text(node), _line(node))

    def _string(self, node: Node) -> ir.Expr:
        value = _string_value(node)
        line = _line(node)
        if len(value) >= 16 and _TOKEN_HINT.search(value):
            self._literal_secret(line, value)
        return ir.Const(value, line)

    def _literal_secret(self, line: int, value: str) -> None:
        last = self.hits[-1] if self.hits else None
        if (
            last is not None
            and last.kind == "secret-literal"
            and last.line == line
            and last.data.get("value") == value
        ):
            return  # already reported under the name it is assigned to
        self.hit("secret-literal", line, "literal", name="", value=value)

    def _template(self, node: Node) -> ir.Expr:
        line = _line(node)
        parts: list[ir.Expr] = []
        texts: list[str] = []
        for c in node.named_children:
            t = c.type
            if t == "string_fragment":
                s = _text(c)
                texts.append(s)
                parts.append(ir.Const(s, _line(c)))
            elif t == "escape_sequence":
                s = _ESCAPES.get(_text(c)[1:2], _text(c)[1:2])
                texts.append(s)
                parts.append(ir.Const(s, _line(c)))
            elif t == "template_substitution":
                parts.append(self._paren(c))
        if all(isinstance(p, ir.Const) for p in parts):
            value = "".join(texts)
            if len(value) >= 16 and _TOKEN_HINT.search(value):
                self._literal_secret(line, value)
            return ir.Const(value, line)
        return ir.Concat(tuple(parts), line)

    def _member(self, node: Node) -> ir.Expr:
        obj = node.child_by_field_name("object")
        prop = node.child_by_field_name("property")
        line = _line(node)
        if obj is None or prop is None:
            return ir.Unknown(line)
        name = _text(prop)
        base = self.expr(obj)
        if name == "length":
            return _effects([base], line)
        if name == "default" and isinstance(base, ir.Name) and base.id.startswith("%req:"):
            return base  # require("x").default: the module (interop)
        return ir.Attr(base, name, line)

    def _subscript(self, node: Node) -> ir.Expr:
        obj = node.child_by_field_name("object")
        index = node.child_by_field_name("index")
        line = _line(node)
        return ir.Index(self.expr(obj), self.expr(index) if index is not None else None, line)

    def _args(self, node: Node | None) -> list[Node]:
        if node is None or node.type != "arguments":
            return []
        return [c for c in node.named_children if not c.is_extra]  # comments are extras

    def _arg_exprs(self, nodes: list[Node]) -> tuple[ir.Expr, ...]:
        out: list[ir.Expr] = []
        consts = self.scope.consts
        for a in nodes:
            if a.type == "identifier" and consts:
                found = consts.get(_text(a))
                if found is not None:
                    self.scope.used.add(_text(a))
                    out.append(found)
                    continue
            out.append(self.expr(a))
        return tuple(out)

    def _call(self, node: Node) -> ir.Expr:
        line = _line(node)
        fn = node.child_by_field_name("function")
        argnode = node.child_by_field_name("arguments")
        if fn is None:
            return ir.Unknown(line)
        if argnode is not None and argnode.type == "template_string":  # tag`...${x}...`
            subs = [self._paren(c) for c in argnode.named_children if c.type == "template_substitution"]
            text = "".join(_text(c) for c in argnode.named_children if c.type == "string_fragment")
            return ir.Call(self.expr(fn), (ir.Const(text, line), *subs), (), line)
        ftype = fn.type
        if ftype == "import" or (ftype == "identifier" and _bytes(fn) == b"require"):
            spec = self._require_spec(node)
            if spec is not None:
                return ir.Name(self.require_name(spec, line), line)
        arg_nodes = self._args(argnode)
        if ftype == "import":  # import(x) with a computed module
            return ir.Call(ir.Name("require", line), self._arg_exprs(arg_nodes), (), line)
        name: str | None = None
        if ftype == "identifier" or ftype == "member_expression":
            last = fn if ftype == "identifier" else fn.child_by_field_name("property")
            short = _bytes(last) if last is not None else b""
            if short in _CHECKED_NAMES or (ftype == "identifier" and _text(fn) in self.aliases):
                name = self.dotted(fn)
            elif ftype == "member_expression":
                root = fn.child_by_field_name("object")
                while root is not None and root.type == "member_expression":
                    root = root.child_by_field_name("object")
                if root is not None and root.type == "identifier" and _text(root) in _HTTP_ROOT_NAMES:
                    name = self.dotted(fn)
        method = ""
        if ftype == "member_expression":
            prop = fn.child_by_field_name("property")
            obj = fn.child_by_field_name("object")
            method = _text(prop) if prop is not None else ""
            if method in _SPECIAL_METHODS:
                special = self._special_method(node, fn, obj, method, arg_nodes, line)
                if special is not None:
                    return special
        if name is not None and (name.endswith(".promisify") or name == "promisify") and arg_nodes:
            return self.expr(arg_nodes[0])  # promisify(f) calls f
        if name is not None:
            self._check_call(node, fn, name, arg_nodes, line)
        elif ftype == "member_expression" and arg_nodes:
            self._check_hash(fn, arg_nodes, line)
        func = self.expr(fn)
        args = self._arg_exprs(arg_nodes)
        call = ir.Call(func, args, (), line)
        if method in _ROUTE_VERBS:
            self._route(fn, args, arg_nodes, line)
        return call

    def _special_method(
        self, node: Node, fn: Node, obj: Node | None, method: str, arg_nodes: list[Node], line: int
    ) -> ir.Expr | None:
        if obj is None:
            return None
        if method == "bind":
            return _effects_first(self.expr(obj), [self.expr(a) for a in arg_nodes[1:]], line)
        if method == "call" and arg_nodes and not (obj.type == "identifier" and _text(obj) in self.aliases):
            target = self.expr(obj)
            rest = self._arg_exprs(arg_nodes[1:])
            return ir.Call(target, rest, (), line)
        if method == "apply" and len(arg_nodes) == 2:
            target = self.expr(obj)
            return ir.Call(target, (ir.Starred(self.expr(arg_nodes[1]), line),), (), line)
        if method in ("includes", "has") and len(arg_nodes) == 1 and arg_nodes[0].type != "spread_element":
            return ir.Compare(self.expr(arg_nodes[0]), "in", self.expr(obj), line)
        return None

    def _new(self, node: Node) -> ir.Expr:
        line = _line(node)
        ctor = node.child_by_field_name("constructor")
        arg_nodes = self._args(node.child_by_field_name("arguments"))
        if ctor is None:
            return ir.Unknown(line)
        name = self.dotted(ctor) if ctor.type in ("member_expression", "identifier") else None
        if name is not None:
            self._check_call(node, ctor, name, arg_nodes, line)
        if name in ("Request", "undici.Request", "node-fetch.Request") and arg_nodes:
            # new Request(url, init): the request goes where the URL says; the init is its body
            args = self._arg_exprs(arg_nodes)
            return ir.Either((args[0], _effects(list(args[1:]), line)), line)
        return ir.Call(self.expr(ctor), self._arg_exprs(arg_nodes), (), line)

    def _object(self, node: Node) -> ir.Expr:
        line = _line(node)
        keys: list[ir.Expr | None] = []
        values: list[ir.Expr] = []
        for c in node.named_children:
            t = c.type
            if t == "pair":
                knode = c.child_by_field_name("key")
                vnode = c.child_by_field_name("value")
                key = self._key(knode)
                kname = key.value if isinstance(key, ir.Const) and isinstance(key.value, str) else None
                if vnode is None:
                    continue
                if kname is not None:
                    self._check_pair(kname, vnode, line)  # before the value: one report per literal
                saved = self.name_hint
                self.name_hint = kname
                if kname == "statusCode":
                    value: ir.Expr = _effects([self.expr(vnode)], _line(vnode))  # a number, not data
                elif kname == "headers" and vnode.type == "identifier" and _text(vnode) in self.scope.consts:
                    value = self.scope.consts[_text(vnode)]
                    self.scope.used.add(_text(vnode))
                else:
                    value = self.expr(vnode)
                self.name_hint = saved
                keys.append(key)
                values.append(value)
            elif t == "shorthand_property_identifier":
                name = _text(c)
                keys.append(ir.Const(name, _line(c)))
                values.append(self._ident(c))
            elif t == "spread_element":
                keys.append(None)
                values.append(self._first_named(c))
            elif t == "method_definition":
                knode = c.child_by_field_name("name")
                key = self._key(knode)
                kname = key.value if isinstance(key, ir.Const) and isinstance(key.value, str) else None
                qual = self._function(c, kname or "<method>")
                keys.append(key)
                values.append(ir.FuncRef(qual, _line(c)))
        return ir.Coll("dict", tuple(values), tuple(keys), line)

    def _key(self, knode: Node | None) -> ir.Expr:
        if knode is None:
            return ir.Unknown(0)
        t = knode.type
        if t in ("property_identifier", "identifier", "private_property_identifier"):
            return ir.Const(_text(knode), _line(knode))
        if t == "string":
            return ir.Const(_string_value(knode), _line(knode))
        if t == "number":
            return ir.Const(_text(knode), _line(knode))
        if t == "computed_property_name":
            return self._paren(knode)
        return ir.Unknown(_line(knode))

    def _array(self, node: Node) -> ir.Expr:
        items = tuple(self.expr(c) for c in node.named_children if c.type != "comment")
        return ir.Coll("list", items, None, _line(node))

    def _binary(self, node: Node) -> ir.Expr:
        line = _line(node)
        op_node = node.child_by_field_name("operator")
        op = op_node.type if op_node is not None else ""
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if op == "+":
            # a + b + c: one string (iterative over the left spine: long concatenations)
            chain: list[Node] = []
            cur = node
            while cur is not None and cur.type == "binary_expression":
                o = cur.child_by_field_name("operator")
                if o is None or o.type != "+":
                    break
                chain.append(cur.child_by_field_name("right"))
                cur = cur.child_by_field_name("left")
            parts = [self.expr(cur)]
            parts.extend(self.expr(r) for r in reversed(chain))
            flat: list[ir.Expr] = []
            for p in parts:
                if isinstance(p, ir.Concat):
                    flat.extend(p.parts)
                else:
                    flat.append(p)
            return ir.Concat(tuple(flat), line)
        if op == "&&":
            return ir.BoolOp("or", (self.expr(left), self.expr(right)), line)
        if op in ("||", "??"):
            return ir.BoolOp("or", (self.expr(left), self.expr(right)), line)
        if op in _CMP:
            return self._compare(left, _CMP[op], right, line)
        if op == "in":
            return ir.Compare(self.expr(left), "in", self.expr(right), line)
        return _effects([self.expr(left), self.expr(right)], line)

    def _compare(self, left: Node | None, op: str, right: Node | None, line: int) -> ir.Expr:
        if left is None or right is None:
            return ir.Unknown(line)
        # typeof x === "number": x is a number afterwards (an equality guard on x)
        for a, b in ((left, right), (right, left)):
            if a.type == "unary_expression" and _unary_op(a) == "typeof" and b.type == "string":
                kind = _string_value(b)
                if op in ("==", "!=") and kind in _NUMERIC_TYPES:
                    return ir.Compare(self._first_named(a), op, ir.Const(kind, line), line)
                return _effects([self._first_named(a)], line)
        # a.indexOf(x) !== -1 / >= 0: membership
        for a, b, flipped in ((left, right, False), (right, left, True)):
            member = _index_of(a)
            if member is None:
                continue
            bound = _int_value(b)
            if bound is None:
                continue
            cmp_op = op if not flipped else {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(op, op)
            positive = (
                (cmp_op in ("!=",) and bound == -1)
                or (cmp_op == ">=" and bound == 0)
                or (cmp_op == ">" and bound == -1)
            )
            negative = (cmp_op == "==" and bound == -1) or (cmp_op == "<" and bound == 0)
            if positive or negative:
                recv, arg = member
                return ir.Compare(self.expr(arg), "in" if positive else "not in", self.expr(recv), line)
        return ir.Compare(self.expr(left), op, self.expr(right), line)

    def _unary(self, node: Node) -> ir.Expr:
        op = _unary_op(node)
        arg = node.child_by_field_name("argument")
        line = _line(node)
        if op == "!":
            return ir.Not(self.expr(arg), line)
        return _effects([self.expr(arg)], line)  # -x, +x, ~x, typeof, void, delete: no data

    def _update(self, node: Node) -> ir.Expr:
        return _effects([self.expr(node.child_by_field_name("argument"))], _line(node))

    def _assign_expr(self, node: Node) -> ir.Expr:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        line = _line(node)
        value = self.expr(right)
        if left is not None and left.type == "identifier":
            return ir.Walrus(_text(left), value, line)
        return value

    def _aug_expr(self, node: Node) -> ir.Expr:
        return self.expr(node.child_by_field_name("right"))

    def _ternary(self, node: Node) -> ir.Expr:
        line = _line(node)
        cond = self.expr(node.child_by_field_name("condition"))
        cons = self.expr(node.child_by_field_name("consequence"))
        alt = self.expr(node.child_by_field_name("alternative"))
        return ir.Either((_effects([cond], line), cons, alt), line)

    def _sequence(self, node: Node) -> ir.Expr:
        items = [self.expr(c) for c in node.named_children]
        if not items:
            return ir.Unknown(_line(node))
        return ir.Either((_effects(items[:-1], _line(node)), items[-1]), _line(node))

    def _class_expr(self, node: Node) -> ir.Expr:
        name_node = node.child_by_field_name("name")
        name = _text(name_node) if name_node is not None else (self.name_hint or f"<class@{_line(node)}>")
        qual = self._class(node, name)
        if len(self.scopes) == 1:
            return ir.Name(qual, _line(node))
        return ir.Unknown(_line(node))

    def _function_expr(self, node: Node) -> ir.Expr:
        name_node = node.child_by_field_name("name")
        name = _text(name_node) if name_node is not None else self.name_hint
        self.name_hint = None
        qual = self._function(node, name)
        return ir.FuncRef(qual, _line(node))

    # --- tests (conditions) ------------------------------------------------------------------

    def test(self, node: Node | None) -> ir.Expr:
        """A condition: `&&` / `||` / `!` keep their boolean meaning for guards."""
        if node is None:
            return ir.Unknown(0)
        t = node.type
        if t == "parenthesized_expression":
            inner = [c for c in node.named_children if c.type != "comment"]
            return self.test(inner[0]) if inner else ir.Unknown(_line(node))
        if t == "unary_expression" and _unary_op(node) == "!":
            return ir.Not(self.test(node.child_by_field_name("argument")), _line(node))
        if t == "binary_expression":
            op_node = node.child_by_field_name("operator")
            op = op_node.type if op_node is not None else ""
            if op in ("&&", "||"):
                return ir.BoolOp(
                    "and" if op == "&&" else "or",
                    (
                        self.test(node.child_by_field_name("left")),
                        self.test(node.child_by_field_name("right")),
                    ),
                    _line(node),
                )
        return self.expr(node)

    # --- statements ------------------------------------------------------------------------------

    def block(self, node: Node | None) -> tuple[ir.Stmt, ...]:
        """Statements of a block (or of a single statement)."""
        out: list[ir.Stmt] = []
        if node is None:
            return ()
        self.nest += 1
        try:
            if node.type == "statement_block" or node.type == "else_clause":
                for c in node.named_children:
                    self.stmt(c, out)
            else:
                self.stmt(node, out)
        finally:
            self.nest -= 1
        return tuple(out)

    def stmt(self, node: Node, out: list[ir.Stmt]) -> None:
        fn = self._stmt_ids.get(node.kind_id)
        if fn is None or self.depth > MAX_DEPTH:
            return
        self.depth += 1
        fn(node, out)
        self.depth -= 1

    def _block_stmt(self, node: Node, out: list[ir.Stmt]) -> None:
        out.extend(self.block(node))

    def _labeled(self, node: Node, out: list[ir.Stmt]) -> None:
        body = node.child_by_field_name("body")
        if body is not None:
            self.stmt(body, out)

    def _with(self, node: Node, out: list[ir.Stmt]) -> None:
        out.extend(self.block(node.child_by_field_name("body")))

    def _jump(self, node: Node, out: list[ir.Stmt]) -> None:
        if node.type == "break_statement" and self.in_switch and node.child_by_field_name("label") is None:
            return  # the end of a switch case
        out.append(ir.Jump("break" if node.type == "break_statement" else "continue", _line(node)))

    def _expression_statement(self, node: Node, out: list[ir.Stmt]) -> None:
        inner = [c for c in node.named_children if c.type != "comment"]
        if not inner:
            return
        e = inner[0]
        line = _line(e)
        t = e.type
        if t == "assignment_expression":
            self._assign_stmt(e, out)
            return
        if t == "augmented_assignment_expression":
            self._aug_stmt(e, out)
            return
        if t == "sequence_expression":
            for c in e.named_children:
                fake: list[ir.Stmt] = []
                if c.type == "assignment_expression":
                    self._assign_stmt(c, fake)
                else:
                    fake.append(ir.Eval(self.expr(c), _line(c)))
                out.extend(fake)
            return
        if t == "call_expression":
            if self._module_call(e, out):
                return
            at = self._lambda_response(e)
            if at is not None:
                call = self.expr(e)
                out.append(ir.Eval(call, line))
                nxt = node.next_named_sibling
                if nxt is None or nxt.type == "return_statement":
                    out.append(ir.Return(_response(call, at), line))
                return
        if (
            t == "await_expression"
            and e.named_child_count
            and e.named_children[0].type == "assignment_expression"
        ):
            self._assign_stmt(e.named_children[0], out)
            return
        out.append(ir.Eval(self.expr(e), line))

    def _lambda_response(self, call: Node) -> int | None:
        """Which argument of a Lambda-style `callback(err, response)` / `context.succeed(r)` is the
        response (-1: none); None when the call is not one."""
        scope = next((s for s in reversed(self.scopes) if s.function), None)
        if scope is None:
            return None
        params = [p for p in scope.params if p != "this"]
        fn = call.child_by_field_name("function")
        args = self._args(call.child_by_field_name("arguments"))
        if fn is None:
            return None
        if fn.type == "identifier" and len(params) >= 3 and _text(fn) == params[2]:
            return 1 if len(args) >= 2 else -1
        if fn.type == "member_expression" and len(params) >= 2:
            obj = fn.child_by_field_name("object")
            prop = fn.child_by_field_name("property")
            if obj is not None and prop is not None and obj.type == "identifier" and _text(obj) == params[1]:
                method = _text(prop)
                if method == "succeed" and args:
                    return 0
                if method == "done" and len(args) >= 2:
                    return 1
                if method in ("fail", "done"):
                    return -1
        return None

    def _declaration(self, node: Node, out: list[ir.Stmt]) -> None:
        kind = node.child_by_field_name("kind")
        is_const = kind is not None and kind.type == "const"
        for d in node.named_children:
            if d.type == "variable_declarator":
                self._declarator(d, out, is_const)

    def _declarator(self, node: Node, out: list[ir.Stmt], is_const: bool) -> list[str]:
        name_node = node.child_by_field_name("name")
        value_node = node.child_by_field_name("value")
        if name_node is None:
            return []
        line = _line(node)
        if name_node.type == "identifier":
            name = _text(name_node)
            self.declare(name)
            if value_node is None:
                return [name]
            self._secret_value(name, value_node)
            self._jwt_segment(name, value_node)
            self.targets = [name]
            self.name_hint = name
            value = self.expr(value_node)
            self.name_hint = None
            self.targets = []
            if isinstance(value, ir.Coll) and value.keys is not None:
                self.scope.consts[name] = value
            else:
                self.scope.consts.pop(name, None)
            if len(self.scopes) == 1:
                if isinstance(value, ir.Const) and isinstance(value.value, str):
                    self.str_consts[name] = value.value
                self._alias_from(name, value_node)
            out.append(ir.Assign((ir.NameT(name),), value, line))
            return [name]
        if value_node is None:
            return []
        self.targets = _pattern_names(name_node)
        value = self.expr(value_node)
        self.targets = []
        if name_node.type == "array_pattern":
            self._array_segments(name_node, value_node)
        if len(self.scopes) == 1 and name_node.type == "object_pattern":
            spec = self._require_spec(value_node)
            if spec is not None:
                for local, member in _object_pattern_members(name_node):
                    self.aliases[local] = f"{spec}.{member}"
        return self.destructure(name_node, value, out, line)

    def _alias_from(self, name: str, value_node: Node) -> None:
        """`const jwt = require("jsonwebtoken")` / `= require("x").y`: names for the checks."""
        if value_node.type == "call_expression":
            spec = self._require_spec(value_node)
            if spec is not None:
                self.aliases[name] = spec
        elif value_node.type == "member_expression":
            dotted = self.dotted(value_node)
            if dotted is not None and dotted.split(".", 1)[0] in self.specs:
                self.aliases[name] = dotted

    def destructure(self, pattern: Node, value: ir.Expr, out: list[ir.Stmt], line: int) -> list[str]:
        """Assign the names a destructuring pattern binds; returns them."""
        t = pattern.type
        if t in ("identifier", "shorthand_property_identifier_pattern"):
            name = _text(pattern)
            self.declare(name)
            out.append(ir.Assign((ir.NameT(name),), value, line))
            return [name]
        if t in ("member_expression", "subscript_expression"):
            target = self.target(pattern)
            if target is not None:
                out.append(ir.Assign((target,), value, line))
            return []
        if t == "assignment_pattern" or t == "object_assignment_pattern":
            left = pattern.child_by_field_name("left")
            right = pattern.child_by_field_name("right")
            default = self.expr(right) if right is not None else ir.Unknown(line)
            if left is None:
                return []
            return self.destructure(left, ir.Either((value, default), line), out, line)
        if t == "rest_pattern":
            inner = pattern.named_children[0] if pattern.named_child_count else None
            return self.destructure(inner, value, out, line) if inner is not None else []
        if t not in ("object_pattern", "array_pattern"):
            return []
        if not isinstance(value, ir.Name):
            tmp = self.new_tmp()
            out.append(ir.Assign((ir.NameT(tmp),), value, line))
            value = ir.Name(tmp, line)
        names: list[str] = []
        if t == "object_pattern":
            for c in pattern.named_children:
                ct = c.type
                if ct == "shorthand_property_identifier_pattern":
                    names += self.destructure(c, ir.Attr(value, _text(c), line), out, line)
                elif ct == "pair_pattern":
                    key = self._key(c.child_by_field_name("key"))
                    sub = c.child_by_field_name("value")
                    if sub is None:
                        continue
                    if isinstance(key, ir.Const) and isinstance(key.value, str):
                        part: ir.Expr = ir.Attr(value, key.value, line)
                    else:
                        part = ir.Index(value, key, line)
                    names += self.destructure(sub, part, out, line)
                elif ct == "object_assignment_pattern":
                    left = c.child_by_field_name("left")
                    right = c.child_by_field_name("right")
                    if left is None:
                        continue
                    default = self.expr(right) if right is not None else ir.Unknown(line)
                    if left.type == "shorthand_property_identifier_pattern":
                        part = ir.Either((ir.Attr(value, _text(left), line), default), line)
                        names += self.destructure(left, part, out, line)
                    else:
                        names += self.destructure(left, ir.Either((value, default), line), out, line)
                elif ct == "rest_pattern":
                    names += self.destructure(c, value, out, line)
        else:
            i = 0
            for c in pattern.children:
                if c.type == ",":
                    i += 1
                    continue
                if not c.is_named or c.type == "comment":
                    continue
                if c.type == "rest_pattern":
                    names += self.destructure(c, value, out, line)
                else:
                    names += self.destructure(c, ir.Index(value, ir.Const(i, line), line), out, line)
        return names

    def target(self, node: Node) -> ir.Target | None:
        t = node.type
        if t == "identifier":
            return ir.NameT(_text(node))
        if t == "member_expression":
            obj = node.child_by_field_name("object")
            prop = node.child_by_field_name("property")
            if obj is None or prop is None:
                return None
            return ir.AttrT(self.expr(obj), _text(prop))
        if t == "subscript_expression":
            obj = node.child_by_field_name("object")
            index = node.child_by_field_name("index")
            return ir.IndexT(self.expr(obj), self.expr(index) if index is not None else None)
        if t in ("parenthesized_expression", "non_null_expression", "as_expression"):
            return self.target(node.named_children[0]) if node.named_child_count else None
        return None

    def _export_target(self, node: Node) -> str | None:
        """`module.exports` -> "="; `module.exports.x` / `exports.x` / `exports["x"]` -> "x"."""
        t = node.type
        if t not in ("member_expression", "subscript_expression"):
            return None
        obj = node.child_by_field_name("object")
        if obj is None:
            return None
        if t == "member_expression":
            prop = node.child_by_field_name("property")
            key = _text(prop) if prop is not None else None
        else:
            index = node.child_by_field_name("index")
            key = _string_value(index) if index is not None and index.type == "string" else None
        if key is None:
            return None
        if obj.type == "identifier" and _bytes(obj) == b"module" and key == "exports":
            return "="
        if obj.type == "identifier" and _bytes(obj) == b"exports" and "exports" not in self.scope.declared:
            return key
        if obj.type == "member_expression" and self._export_target(obj) == "=":
            return key
        return None

    def _assign_stmt(self, node: Node, out: list[ir.Stmt]) -> None:
        # a = b = value: every target gets the innermost value
        targets: list[Node] = []
        cur = node
        while cur.type == "assignment_expression":
            left = cur.child_by_field_name("left")
            if left is not None:
                targets.append(left)
            nxt = cur.child_by_field_name("right")
            if nxt is None:
                return
            cur = nxt
        line = _line(node)
        value_node = cur
        names = [n for t in targets for n in _pattern_names(t)]
        for t in targets:
            if t.type == "identifier":
                self._secret_value(_text(t), value_node)
                self._jwt_segment(_text(t), value_node)
            elif t.type == "member_expression":
                prop = t.child_by_field_name("property")
                if prop is not None:
                    self._member_assign_checks(t, _text(prop), value_node, line)
            elif t.type == "subscript_expression":
                index = t.child_by_field_name("index")
                if index is not None and index.type == "string":
                    self._member_assign_checks(t, _string_value(index), value_node, line)
        exports = [(t, self._export_target(t)) for t in targets]
        exporting = any(e is not None for _, e in exports) and len(self.scopes) == 1
        if exporting and value_node.type == "object" and any(e == "=" for _, e in exports):
            self._export_object(value_node, out)  # `exports = module.exports = {...}` too
            return
        value = self._value_for(value_node, names)
        for t, e in exports:
            if e is not None:
                self._bind_export(e, value, out, line)
            else:
                self._assign_to(t, value, out, line)

    def _value_for(self, value_node: Node, names: list[str]) -> ir.Expr:
        self.targets = names
        self.name_hint = names[0] if len(names) == 1 else None
        value = self.expr(value_node)
        self.name_hint = None
        self.targets = []
        return value

    def _assign_to(self, target: Node, value: ir.Expr, out: list[ir.Stmt], line: int) -> None:
        t = target.type
        if t == "identifier":
            name = _text(target)
            if isinstance(value, ir.Coll) and value.keys is not None:
                self.scope.consts[name] = value
            else:
                self.scope.consts.pop(name, None)
            out.append(ir.Assign((ir.NameT(name),), value, line))
            return
        if t == "member_expression":
            obj = target.child_by_field_name("object")
            prop = target.child_by_field_name("property")
            if obj is not None and prop is not None and obj.type == "identifier":
                holder = self.scope.consts.get(_text(obj))
                if holder is not None and holder.keys is not None:  # params.FilterExpression = ...
                    key = _text(prop)
                    keys = list(holder.keys)
                    items = list(holder.items)
                    for i, k in enumerate(keys):
                        if isinstance(k, ir.Const) and k.value == key:
                            items[i] = value
                            break
                    else:
                        keys.append(ir.Const(key, line))
                        items.append(value)
                    self.scope.consts[_text(obj)] = ir.Coll("dict", tuple(items), tuple(keys), holder.line)
        if t in ("object_pattern", "array_pattern"):
            self.destructure(target, value, out, line)
            return
        tgt = self.target(target)
        if tgt is not None:
            out.append(ir.Assign((tgt,), value, line))
        else:
            out.append(ir.Eval(value, line))

    def _bind_export(self, name: str, value: ir.Expr, out: list[ir.Stmt], line: int) -> None:
        binding = f"%export:{name}"
        self.exports[name] = binding
        self.export_exprs[name] = value
        out.append(ir.Assign((ir.NameT(binding),), value, line))

    def _export_object(self, node: Node, out: list[ir.Stmt]) -> None:
        """`module.exports = { handler, other: fn, ...require("./more") }`."""
        for c in node.named_children:
            t = c.type
            line = _line(c)
            if t == "shorthand_property_identifier":
                self._bind_export(_text(c), self._ident(c), out, line)
            elif t == "pair":
                key = self._key(c.child_by_field_name("key"))
                vnode = c.child_by_field_name("value")
                if isinstance(key, ir.Const) and isinstance(key.value, str) and vnode is not None:
                    self.name_hint = key.value
                    value = self.expr(vnode)
                    self.name_hint = None
                    self._bind_export(key.value, value, out, line)
            elif t == "method_definition":
                key = self._key(c.child_by_field_name("name"))
                if isinstance(key, ir.Const) and isinstance(key.value, str):
                    qual = self._function(c, key.value)
                    self._bind_export(key.value, ir.FuncRef(qual, line), out, line)
            elif t == "spread_element" and c.named_child_count:
                spec = self._require_spec(c.named_children[0])
                if spec is not None:
                    self.require_name(spec, line)
                    self.star_exports.append(ir.Import(spec, None, 1 if spec.startswith(".") else 0, line))

    def _aug_stmt(self, node: Node, out: list[ir.Stmt]) -> None:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        op_node = node.child_by_field_name("operator")
        op = op_node.type if op_node is not None else ""
        if left is None:
            return
        line = _line(node)
        value = self.expr(right)
        target = self.target(left)
        if target is None:
            out.append(ir.Eval(value, line))
            return
        current = self.expr(left)
        if op == "+=":
            combined: ir.Expr = ir.Concat((current, value), line)
        elif op in ("||=", "??=", "&&="):
            combined = ir.Either((current, value), line)
        else:
            combined = _effects([current, value], line)
        out.append(ir.Assign((target,), combined, line))

    def _return(self, node: Node, out: list[ir.Stmt]) -> None:
        inner = [c for c in node.named_children if c.type != "comment"]
        line = _line(node)
        if not inner:
            out.append(ir.Return(None, line))
            return
        e = inner[0]
        if e.type == "call_expression":
            at = self._lambda_response(e)
            if at is not None:
                call = self.expr(e)
                out.append(ir.Eval(call, line))
                out.append(ir.Return(_response(call, at), line))
                return
        out.append(ir.Return(self.expr(e), line))

    def _if(self, node: Node, out: list[ir.Stmt]) -> None:
        line = _line(node)
        test = self.test(node.child_by_field_name("condition"))
        body = self.block(node.child_by_field_name("consequence"))
        alt = node.child_by_field_name("alternative")
        orelse = self.block(alt) if alt is not None else ()
        out.append(ir.If(test, body, orelse, line))

    def _loop_target(self, left: Node | None, line: int, prelude: list[ir.Stmt]) -> ir.Target:
        if left is None:
            return ir.NameT("_")
        if left.type == "identifier":
            self.declare(_text(left))
            return ir.NameT(_text(left))
        if left.type in ("object_pattern", "array_pattern"):
            tmp = self.new_tmp()
            self.destructure(left, ir.Name(tmp, line), prelude, line)
            return ir.NameT(tmp)
        found = self.target(left)
        return found if found is not None else ir.NameT("_")

    def _for_in(self, node: Node, out: list[ir.Stmt]) -> None:
        line = _line(node)
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        prelude: list[ir.Stmt] = []
        target = self._loop_target(left, line, prelude)
        iterable = self.expr(right)
        body = self.block(node.child_by_field_name("body"))
        out.append(ir.Loop(target, iterable, None, (*prelude, *body), (), line))

    def _for(self, node: Node, out: list[ir.Stmt]) -> None:
        line = _line(node)
        init = node.child_by_field_name("initializer")
        if init is not None:
            self.stmt(init, out)
        cond = node.child_by_field_name("condition")
        test: ir.Expr = ir.Unknown(line)
        if cond is not None and cond.type not in ("empty_statement", ";"):
            test = self.test(cond.named_children[0] if cond.type == "expression_statement" else cond)
        body = list(self.block(node.child_by_field_name("body")))
        inc = node.child_by_field_name("increment")
        if inc is not None:
            body.append(ir.Eval(self.expr(inc), line))
        out.append(ir.Loop(None, None, test, tuple(body), (), line))

    def _while(self, node: Node, out: list[ir.Stmt]) -> None:
        line = _line(node)
        test = self.test(node.child_by_field_name("condition"))
        out.append(ir.Loop(None, None, test, self.block(node.child_by_field_name("body")), (), line))

    def _do(self, node: Node, out: list[ir.Stmt]) -> None:
        line = _line(node)
        body = self.block(node.child_by_field_name("body"))
        out.extend(body)  # runs once before the test
        test = self.test(node.child_by_field_name("condition"))
        out.append(ir.Loop(None, None, test, body, (), line))

    def _try(self, node: Node, out: list[ir.Stmt]) -> None:
        line = _line(node)
        at_top = self.nest == 0
        body = self.block(node.child_by_field_name("body"))
        handlers: list[ir.Handler] = []
        catch = node.child_by_field_name("handler")
        if catch is not None:
            param = catch.child_by_field_name("parameter")
            cbody_node = catch.child_by_field_name("body")
            name: str | None = None
            prelude: list[ir.Stmt] = []
            if param is not None and param.type == "identifier":
                name = _text(param)
                self.declare(name)
            elif param is not None:
                name = self.new_tmp()
                self.destructure(param, ir.Name(name, _line(param)), prelude, _line(param))
            cbody = self.block(cbody_node)
            handlers.append(ir.Handler((), name, (*prelude, *cbody), _line(catch)))
            if at_top and self.func_qual() is not None and cbody_node is not None and _silent(cbody_node):
                self.hit("swallow", _line(catch), f"catch ({name})" if param is not None else "catch")
        fin = node.child_by_field_name("finalizer")
        final = self.block(fin.child_by_field_name("body")) if fin is not None else ()
        out.append(ir.Try(body, tuple(handlers), (), final, line))

    def _throw(self, node: Node, out: list[ir.Stmt]) -> None:
        inner = [c for c in node.named_children if c.type != "comment"]
        out.append(ir.Raise(self.expr(inner[0]) if inner else None, _line(node)))

    def _switch(self, node: Node, out: list[ir.Stmt]) -> None:
        line = _line(node)
        value = node.child_by_field_name("value")
        out.append(ir.Eval(self.expr(value), line))
        body = node.child_by_field_name("body")
        if body is None:
            return
        cases: list[tuple[int, tuple[ir.Stmt, ...]]] = []
        self.in_switch += 1
        try:
            for c in body.named_children:
                if c.type not in ("switch_case", "switch_default"):
                    continue
                stmts: list[ir.Stmt] = []
                vnode = c.child_by_field_name("value")
                if vnode is not None:
                    stmts.append(ir.Eval(self.expr(vnode), _line(vnode)))
                self.nest += 1
                for s in c.children_by_field_name("body"):
                    self.stmt(s, stmts)
                self.nest -= 1
                cases.append((_line(c), tuple(stmts)))
        finally:
            self.in_switch -= 1
        rest: tuple[ir.Stmt, ...] = ()
        for cline, case_body in reversed(cases):
            rest = (ir.If(ir.Unknown(cline), case_body, rest, cline),)
        out.extend(rest)

    # --- functions and classes -------------------------------------------------------------------

    def _function_decl(self, node: Node, out: list[ir.Stmt]) -> None:
        name_node = node.child_by_field_name("name")
        name = _text(name_node) if name_node is not None else "default"
        self.declare(name)
        qual = self._function(node, name)
        if len(self.scopes) == 1:
            self.defs[name] = qual
        else:
            self.scope.hoisted.append(
                ir.Assign((ir.NameT(name),), ir.FuncRef(qual, _line(node)), _line(node))
            )

    def _unique(self, qual: str, line: int) -> str:
        if qual not in self.functions:
            return qual
        cand = f"{qual}@{line}"
        n = 1
        while cand in self.functions:
            n += 1
            cand = f"{qual}@{line}.{n}"
        return cand

    def _function(self, node: Node, name: str | None, owner: str | None = None, static: bool = False) -> str:
        line = _line(node)
        if name is None:
            self.anon += 1
            name = f"<anonymous{self.anon}>"
        parent = self.func_qual()
        base = f"{owner}.{name}" if owner is not None else f"{parent}.{name}" if parent else name
        qual = self._unique(base, line)
        self.functions[qual] = ir.Function(name, qual, (), (), line, line)  # reserve the name
        params_node = node.child_by_field_name("parameters")
        single = node.child_by_field_name("parameter")
        param_nodes: list[Node] = []
        if params_node is not None:
            param_nodes = [c for c in params_node.named_children if c.type != "comment"]
        elif single is not None:
            param_nodes = [single]
        names: list[str] = []
        vararg: int | None = None
        if owner is not None and not static:
            names.append("this")
        pattern_params: list[tuple[str, Node, Node | None]] = []
        properties: list[str] = []
        for i, p in enumerate(param_nodes):
            pnode = p
            default: Node | None = None
            if p.type in ("required_parameter", "optional_parameter"):
                pat = p.child_by_field_name("pattern")
                default = p.child_by_field_name("value")
                modified = any(c.type in ("accessibility_modifier", "readonly") for c in p.children)
                if modified and pat is not None and pat.type == "identifier":
                    properties.append(_text(pat))
                if pat is None:
                    continue
                pnode = pat
            if pnode.type == "assignment_pattern":
                default = pnode.child_by_field_name("right")
                pnode = pnode.child_by_field_name("left") or pnode
            if pnode.type == "rest_pattern":
                vararg = len(names)
                inner = pnode.named_children[0] if pnode.named_child_count else None
                pnode = inner if inner is not None else pnode
            if pnode.type == "identifier":
                names.append(_text(pnode))
            elif pnode.type == "this":
                continue  # TypeScript `this: Type` parameter
            else:
                synthetic = f"%p{i}"
                names.append(synthetic)
                pattern_params.append((synthetic, pnode, default))
        scope = _Scope(qual, True, tuple(names))
        self.push(scope)
        saved_nest, self.nest = self.nest, -1
        saved_targets, self.targets = self.targets, []
        saved_switch, self.in_switch = self.in_switch, 0
        prologue: list[ir.Stmt] = []
        try:
            for synthetic, pat, _default in pattern_params:
                self.destructure(pat, ir.Name(synthetic, line), prologue, line)
            for prop in properties:
                prologue.append(
                    ir.Assign((ir.AttrT(ir.Name("this", line), prop),), ir.Name(prop, line), line)
                )
            body_node = node.child_by_field_name("body")
            body: tuple[ir.Stmt, ...] = ()
            if body_node is not None:
                if body_node.type == "statement_block":
                    body = self.block(body_node)
                else:  # an arrow's expression body
                    self.nest += 1
                    body = (ir.Return(self.expr(body_node), _line(body_node)),)
                    self.nest -= 1
            merge = self._recursive_merge(node, name, names)
            if merge is not None:
                prologue.append(merge)
        finally:
            self.nest = saved_nest
            self.targets = saved_targets
            self.in_switch = saved_switch
            self.pop()
        # Closure conversion: variables of enclosing functions this one reads.
        captures: tuple[str, ...] = ()
        free = scope.used - scope.declared
        if free:
            enclosing: set[str] = set()
            for s in self.scopes:
                if s.function:
                    enclosing |= s.declared
            captures = tuple(sorted(free & enclosing))
            outer = self.scopes[-1]
            outer.used |= free  # read through: an enclosing closure captures them too
        annotations: dict[str, str] = {}
        declared = [n for n in names if n != "this"]
        if (
            len(declared) in (2, 3)
            and declared[0] in ("req", "request")
            and declared[1] in ("res", "response")
        ):
            annotations[declared[1]] = "t:express.response"
        end = int(node.end_point[0]) + 1
        self.functions[qual] = ir.Function(
            name,
            qual,
            (*names, *captures),
            (*scope.hoisted, *prologue, *body),
            line,
            end,
            (),
            vararg,
            None,
            annotations,
            owner,
            any(c.type == "async" for c in node.children),
            static,
            captures,
        )
        return qual

    def _recursive_merge(self, node: Node, name: str, params: list[str]) -> ir.Stmt | None:
        """A hand-written deep merge (`for (k in src) ... merge(t[k], src[k]) ... t[k] = src[k]`)
        without a `__proto__` / `constructor` check: a prototype pollution sink on the source."""
        declared = [p for p in params if p != "this"]
        if len(declared) < 2 or not name or name.startswith("<"):
            return None
        text = _bytes(node)
        if len(text) > 4000 or f"{name}(".encode() not in text[text.find(b"{") :]:
            return None
        if not (b" in " in text or b"Object.keys(" in text or b"Object.entries(" in text):
            return None
        if b"] = " not in text:
            return None
        for guard in (
            b"__proto__",
            b"constructor",
            b"prototype",
            b"hasOwn",
            b"isSafeKey",
            b"Object.create(null",
        ):
            if guard in text:
                return None
        at = text.find(b"] = ")
        line = _line(node) + text[:at].count(b"\n")
        return ir.Eval(ir.Call(ir.Name("%merge", line), (ir.Name(declared[1], line),), (), line), line)

    def _class_decl(self, node: Node, out: list[ir.Stmt]) -> None:
        name_node = node.child_by_field_name("name")
        name = _text(name_node) if name_node is not None else "default"
        self.declare(name)
        self._class(node, name)

    def _class(self, node: Node, name: str) -> str:
        line = _line(node)
        parent = self.func_qual()
        qual = f"{parent}.{name}" if parent else name
        bases: list[ir.Expr] = []
        for c in node.children:
            if c.type == "class_heritage":
                for h in c.named_children:
                    if h.type == "extends_clause":
                        v = h.child_by_field_name("value")
                        if v is not None:
                            bases.append(self.expr(v))
                    elif h.type not in ("implements_clause",):
                        bases.append(self.expr(h))
        body = node.child_by_field_name("body")
        methods: dict[str, str] = {}
        fields: list[ir.Stmt] = []
        ctor: Node | None = None
        if body is not None:
            for m in body.named_children:
                t = m.type
                if t == "method_definition":
                    key = self._key(m.child_by_field_name("name"))
                    mname = key.value if isinstance(key, ir.Const) and isinstance(key.value, str) else None
                    if mname is None:
                        continue
                    if mname == "constructor":
                        ctor = m
                        continue
                    static = any(c.type == "static" for c in m.children)
                    methods[mname] = self._function(m, mname, owner=qual, static=static)
                elif t in ("field_definition", "public_field_definition"):
                    knode = m.child_by_field_name("property") or m.child_by_field_name("name")
                    vnode = m.child_by_field_name("value")
                    if knode is None or vnode is None:
                        continue
                    fname = _text(knode)
                    self._secret_value(fname, vnode)
                    if any(c.type == "static" for c in m.children):
                        continue
                    self.push(_Scope(f"{qual}.<fields>", True, ("this",)))
                    self.name_hint = fname
                    value = self.expr(vnode)
                    self.name_hint = None
                    self.pop()
                    fline = _line(m)
                    fields.append(ir.Assign((ir.AttrT(ir.Name("this", fline), fname),), value, fline))
        if ctor is not None or fields:
            if ctor is not None:
                init = self._function(ctor, "constructor", owner=qual)
            else:
                init = self._unique(f"{qual}.constructor", line)
                self.functions[init] = ir.Function("constructor", init, ("this",), (), line, line, owner=qual)
            fn = self.functions[init]
            fn.body = (*fields, *fn.body)
            methods["__init__"] = init
        self.classes[qual] = ir.Class(name, tuple(bases), methods, line)
        return qual

    # --- modules ---------------------------------------------------------------------------------

    def _import(self, node: Node, out: list[ir.Stmt]) -> None:
        line = _line(node)
        source = node.child_by_field_name("source")
        if any(c.type == "type" for c in node.children if not c.is_named):
            return  # import type { X }
        clause = next(
            (c for c in node.named_children if c.type in ("import_clause", "import_require_clause")), None
        )
        if clause is not None and clause.type == "import_require_clause":
            src = clause.child_by_field_name("source")
            ident = next((c for c in clause.named_children if c.type == "identifier"), None)
            if src is None or ident is None:
                return
            spec = _string_value(src).removeprefix("node:")
            self._bind_import(_text(ident), spec, None, line)
            return
        if source is None:
            return
        spec = _string_value(source).removeprefix("node:")
        level = 1 if spec.startswith((".", "/")) else 0
        self.import_list.append(ir.Import(spec, None, level, line))
        self.specs.add(spec)
        if clause is None:
            return
        for c in clause.named_children:
            if c.type == "identifier":  # default import
                self._bind_import(_text(c), spec, "default", line)
            elif c.type == "namespace_import":
                ident = next((x for x in c.named_children if x.type == "identifier"), None)
                if ident is not None:
                    self._bind_import(_text(ident), spec, None, line)
            elif c.type == "named_imports":
                for s in c.named_children:
                    if s.type != "import_specifier":
                        continue
                    if any(x.type == "type" for x in s.children if not x.is_named):
                        continue
                    n = s.child_by_field_name("name")
                    a = s.child_by_field_name("alias")
                    if n is None:
                        continue
                    member = _string_value(n) if n.type == "string" else _text(n)
                    self._bind_import(_text(a) if a is not None else member, spec, member, line)

    def _bind_import(self, local: str, spec: str, member: str | None, line: int) -> None:
        level = 1 if spec.startswith((".", "/")) else 0
        if level == 0 and member == "default":
            member = None  # a package's default export is the package (CommonJS interop)
        self.imports[local] = ir.Import(spec, member, level, line)
        self.aliases[local] = spec if member is None else f"{spec}.{member}"
        self.specs.add(spec)
        if not any(i.module == spec for i in self.import_list):
            self.import_list.append(ir.Import(spec, None, level, line))
        if spec == "aws-jwt-verify":
            self.hit("jwt-verify", line, "aws-jwt-verify")

    def _export(self, node: Node, out: list[ir.Stmt]) -> None:
        line = _line(node)
        if len(self.scopes) != 1:
            return
        decl = node.child_by_field_name("declaration")
        value = node.child_by_field_name("value")
        source = node.child_by_field_name("source")
        is_default = any(c.type == "default" for c in node.children if not c.is_named)
        if decl is not None:
            t = decl.type
            if t in ("lexical_declaration", "variable_declaration"):
                is_const = decl.child_by_field_name("kind") is not None
                for d in decl.named_children:
                    if d.type == "variable_declarator":
                        before = len(out)
                        for n in self._declarator(d, out, is_const):
                            self.exports[n] = n
                            if len(out) > before:
                                last = out[-1]
                                if isinstance(last, ir.Assign):
                                    self.export_exprs[n] = last.value
            elif t in ("function_declaration", "generator_function_declaration"):
                name_node = decl.child_by_field_name("name")
                name = _text(name_node) if name_node is not None else "default"
                self._function_decl(decl, out)
                self.exports["default" if is_default else name] = name
                self.export_exprs["default" if is_default else name] = ir.FuncRef(self.defs[name], line)
            elif t in ("class_declaration", "abstract_class_declaration"):
                name_node = decl.child_by_field_name("name")
                name = _text(name_node) if name_node is not None else "default"
                self._class(decl, name)
                self.exports["default" if is_default else name] = name
            return
        if value is not None:  # export default <expr>
            self.name_hint = "default"
            v = self.expr(value)
            self.name_hint = None
            self._bind_export("default", v, out, line)
            return
        clause = next((c for c in node.named_children if c.type == "export_clause"), None)
        level = 0
        spec = None
        if source is not None:
            spec = _string_value(source).removeprefix("node:")
            level = 1 if spec.startswith((".", "/")) else 0
            self.import_list.append(ir.Import(spec, None, level, line))
            self.specs.add(spec)
        if clause is not None:
            for s in clause.named_children:
                if s.type != "export_specifier":
                    continue
                n = s.child_by_field_name("name")
                a = s.child_by_field_name("alias")
                if n is None:
                    continue
                member = _text(n)
                exported = _text(a) if a is not None else member
                if spec is not None:
                    local = f"%reexport:{exported}"
                    m: str | None = member
                    if level == 0 and member == "default":
                        m = None
                    self.imports[local] = ir.Import(spec, m, level, line)
                    self.exports[exported] = local
                else:
                    self.exports[exported] = member
            return
        ns = next((c for c in node.named_children if c.type == "namespace_export"), None)
        if ns is not None and spec is not None:
            ident = next((x for x in ns.named_children if x.type in ("identifier", "string")), None)
            if ident is not None:
                exported = _text(ident)
                self.imports[f"%reexport:{exported}"] = ir.Import(spec, None, level, line)
                self.exports[exported] = f"%reexport:{exported}"
            return
        if spec is not None:  # export * from "./x"
            self.star_exports.append(ir.Import(spec, None, level, line))
            return
        if any(c.type == "=" for c in node.children if not c.is_named):  # TypeScript `export = x`
            inner = [c for c in node.named_children if c.type != "comment"]
            if inner and inner[-1].type == "object":
                self._export_object(inner[-1], out)
            elif inner:
                self._bind_export("=", self.expr(inner[-1]), out, line)

    def _module_call(self, node: Node, out: list[ir.Stmt]) -> bool:
        """tsc's CommonJS output: `Object.defineProperty(exports, "x", { get: ... })`,
        `__exportStar(require("./x"), exports)`."""
        if len(self.scopes) != 1:
            return False
        fn = node.child_by_field_name("function")
        if fn is None:
            return False
        args = self._args(node.child_by_field_name("arguments"))
        ftext = _bytes(fn)
        if ftext == b"Object.defineProperty" and len(args) == 3 and _bytes(args[0]) == b"exports":
            if args[1].type != "string" or args[2].type != "object":
                return False
            name = _string_value(args[1])
            if name == "__esModule":
                return True
            for c in args[2].named_children:
                if c.type != "pair":
                    continue
                key = c.child_by_field_name("key")
                vnode = c.child_by_field_name("value")
                if key is None or vnode is None:
                    continue
                if _bytes(key) == b"value":
                    self._bind_export(name, self.expr(vnode), out, _line(node))
                    return True
                if _bytes(key) == b"get" and vnode.type in (
                    "function_expression",
                    "function",
                    "arrow_function",
                ):
                    body = vnode.child_by_field_name("body")
                    ret = _single_return(body)
                    if ret is not None:
                        self._bind_export(name, self.expr(ret), out, _line(node))
                        return True
            return False
        if ftext.endswith(b"__exportStar") and args:
            spec = self._require_spec(args[0])
            if spec is not None:
                self.require_name(spec, _line(node))
                self.star_exports.append(ir.Import(spec, None, 1 if spec.startswith(".") else 0, _line(node)))
                return True
        return False

    # --- web routers -----------------------------------------------------------------------------

    def _route(self, fn: Node, args: tuple[ir.Expr, ...], arg_nodes: list[Node], line: int) -> None:
        prop = fn.child_by_field_name("property")
        obj = fn.child_by_field_name("object")
        if prop is None or obj is None:
            return
        verb = _text(prop)
        if verb not in _ROUTE_VERBS or not args:
            return
        path: str | None = None
        handlers = list(args)
        receiver: ir.Expr = ir.Unknown(line)
        chained = False
        if obj.type == "call_expression":  # router.route("/p").get(handler)
            inner = obj.child_by_field_name("function")
            if inner is not None and inner.type == "member_expression":
                iprop = inner.child_by_field_name("property")
                iobj = inner.child_by_field_name("object")
                if iprop is not None and _bytes(iprop) == b"route" and iobj is not None:
                    rargs = self._args(obj.child_by_field_name("arguments"))
                    if rargs and rargs[0].type == "string":
                        path = _string_value(rargs[0])
                    receiver = self.expr(iobj)
                    chained = True
        first = arg_nodes[0] if arg_nodes else None
        if not chained:
            if first is not None and first.type in ("string", "template_string", "array", "regex"):
                if isinstance(args[0], ir.Const) and isinstance(args[0].value, str):
                    path = args[0].value
                handlers = handlers[1:]
            elif verb != "use":
                return
        if not any(a.type in _FUNCTIONISH for a in arg_nodes):
            return
        if isinstance(receiver, ir.Unknown):
            receiver = self.expr(obj) if obj.type in ("identifier", "member_expression", "this") else receiver
        self.routes.append(RouteReg(receiver, verb, path, tuple(handlers), line, self.func_qual()))

    # --- syntactic checks ------------------------------------------------------------------------

    def _check_pair(self, key: str, vnode: Node, line: int) -> None:
        t = vnode.type
        if key in ("rejectUnauthorized", "strictSSL", "verifySSL") and t == "false":
            self.hit("tls-off", _line(vnode), f"{key}: false")
        elif key == "logEvent" and t == "true":
            self.hit("log-event", _line(vnode), "injectLambdaContext({ logEvent: true })")
        elif t in ("string", "template_string") and _SECRETISH.search(key):
            text = _literal_text(vnode)
            if text is not None:
                self.hit("secret-literal", _line(vnode), f"property {key}", name=key, value=text)

    def _secret_value(self, name: str, vnode: Node) -> None:
        if vnode.type in ("string", "template_string") and _SECRETISH.search(name):
            text = _literal_text(vnode)
            if text is not None:
                self.hit("secret-literal", _line(vnode), f"assign {name}", name=name, value=text)

    def _member_assign_checks(self, target: Node, prop: str, vnode: Node, line: int) -> None:
        if prop == "NODE_TLS_REJECT_UNAUTHORIZED" or (
            target.type == "member_expression" and prop in ("rejectUnauthorized",)
        ):
            text = _literal_text(vnode) if vnode.type in ("string", "template_string") else None
            if text == "0" or vnode.type == "false" or (vnode.type == "number" and _text(vnode) == "0"):
                what = "NODE_TLS_REJECT_UNAUTHORIZED = 0" if prop.startswith("NODE") else f"{prop} = false"
                self.hit("tls-off", line, what)
                return
        self._secret_value(prop, vnode)

    def _jwt_segment(self, name: str, vnode: Node) -> None:
        """`const payload = token.split(".")[1]`: a JWT's payload segment."""
        if _is_jwt_segment(vnode) or _is_split_index(vnode, self.jwt_splits):
            self.jwt_segments.add(name)
        elif _is_split_dot(vnode):
            self.jwt_splits.add(name)

    def _array_segments(self, pattern: Node, vnode: Node) -> None:
        """`const [, payload] = token.split(".")`."""
        if not _is_split_dot(vnode):
            return
        i = 0
        for c in pattern.children:
            if c.type == ",":
                i += 1
            elif c.is_named and c.type == "identifier" and i == 1:
                self.jwt_segments.add(_text(c))

    def _check_call(self, node: Node, fn: Node, name: str, args: list[Node], line: int) -> None:
        short = name.rsplit(".", 1)[-1]
        # --- JWT ---
        if name in _JWT_PEEK:
            self.hit("jwt-unverified", line, f"{_callee(fn)}()", peek=True)
        elif name in _JWT_VERIFY and short != "sign":
            opts = args[2] if len(args) > 2 else None
            if opts is not None and opts.type == "object" and _algorithms_none(opts):
                self.hit("jwt-unverified", line, f'{_callee(fn)}(algorithms: ["none"])')
            else:
                self.hit("jwt-verify", line, f"{_callee(fn)}()")
        if args and _is_base64_decode(name, args):
            a = _segment_base(args[0])
            if (
                _is_jwt_segment(a)
                or (a.type == "identifier" and _text(a) in self.jwt_segments)
                or _is_split_index(a, self.jwt_splits)
            ):
                # once per segment and function: padding retries decode the same token again
                key = (self.func_qual(), _text(a))
                if key not in self.jwt_decoded:
                    self.jwt_decoded.add(key)
                    self.hit(
                        "jwt-unverified", line, f"JWT payload base64-decoded by hand with {_callee(fn)}()"
                    )
        # --- weak randomness ---
        if name == "Math.random":
            context = [(t, "target") for t in self.targets]
            fq = self.func_qual()
            if fq is not None:
                context.append((fq.rsplit(".", 1)[-1], "function"))
            for t, via in context:
                if _TOKENISH.search(t):
                    self.hit("weak-random", line, "Math.random()", name=t, via=via)
                    break
        # --- plain http:// calls ---
        root = name.split(".", 1)[0]
        if args and (name in _HTTP_CALLS or (root in _HTTP_CLIENT_ROOTS and short in _CLIENT_METHODS)):
            a = args[0]
            text: str | None = None
            if a.type in ("string", "template_string"):
                text = _leading_text(a)
            elif a.type == "identifier":
                text = self.str_consts.get(_text(a))
            elif a.type == "object":
                for c in a.named_children:
                    if c.type == "pair" and _bytes(c.child_by_field_name("key") or c) in (b"url", b"baseURL"):
                        v = c.child_by_field_name("value")
                        if v is not None and v.type in ("string", "template_string"):
                            text = _leading_text(v)
            if text is not None and text.startswith("http://"):
                self.hit("plain-http", line, f"{_callee(fn)}()", url=text)

    def _check_hash(self, fn: Node, args: list[Node], line: int) -> None:
        """crypto.createHash("sha256").update(password): a fast, unsalted password hash."""
        prop = fn.child_by_field_name("property")
        if prop is not None and _bytes(prop) == b"update":
            obj = fn.child_by_field_name("object")
            if obj is not None and obj.type == "call_expression":
                inner = obj.child_by_field_name("function")
                iname = self.dotted(inner) if inner is not None else None
                iargs = self._args(obj.child_by_field_name("arguments"))
                if iname == "crypto.createHash" and iargs and iargs[0].type == "string":
                    algo = _string_value(iargs[0]).lower()
                    names = _names_in(args[0])
                    pw = [n for n in names if _PASSWORDISH.search(n)]
                    if algo in _FAST_HASHES and pw and not any(_SALTISH.search(n) for n in names):
                        self.hit("weak-hash", line, f"crypto.createHash('{algo}')", name=pw[0])


_SPECIAL_METHODS = frozenset({"bind", "call", "apply", "includes", "has"})
# Callee names the syntactic checks look at (others skip resolving the callee's dotted name).
_CHECKED_NAMES = frozenset(
    {
        b"decode",
        b"verify",
        b"jwtDecode",
        b"jwt_decode",
        b"decodeJwt",
        b"jwtVerify",
        b"sign",
        b"from",
        b"atob",
        b"random",
        b"promisify",
        b"fetch",
        b"axios",
        b"got",
        b"request",
        b"needle",
        b"superagent",
        b"get",
        b"post",
        b"put",
        b"patch",
        b"delete",
        b"head",
        b"options",
        b"stream",
    }
)
_HTTP_ROOT_NAMES = frozenset(
    {"axios", "got", "superagent", "needle", "request", "http", "https", "jwt", "jsonwebtoken"}
)

_FUNCTIONISH = frozenset(
    {
        "arrow_function",
        "function_expression",
        "function",
        "identifier",
        "member_expression",
        "call_expression",
    }
)
_CLIENT_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"})


def _response(call: ir.Expr, at: int) -> ir.Expr:
    if isinstance(call, ir.Call) and 0 <= at < len(call.args):
        return call.args[at]
    return ir.Const(None, call.line)


def _effects_first(first: ir.Expr, rest: list[ir.Expr], line: int) -> ir.Expr:
    if not rest:
        return first
    return ir.Either((first, _effects(rest, line)), line)


def _unary_op(node: Node) -> str:
    op = node.child_by_field_name("operator")
    return op.type if op is not None else ""


def _index_of(node: Node) -> tuple[Node, Node] | None:
    """`recv.indexOf(arg)` -> (recv, arg)."""
    if node.type != "call_expression":
        return None
    fn = node.child_by_field_name("function")
    if fn is None or fn.type != "member_expression":
        return None
    prop = fn.child_by_field_name("property")
    obj = fn.child_by_field_name("object")
    args = node.child_by_field_name("arguments")
    if (
        prop is None
        or obj is None
        or _bytes(prop) != b"indexOf"
        or args is None
        or args.named_child_count != 1
    ):
        return None
    return obj, args.named_children[0]


def _int_value(node: Node) -> int | None:
    if node.type == "number":
        try:
            return int(_text(node))
        except ValueError:
            return None
    if node.type == "unary_expression" and _unary_op(node) == "-":
        arg = node.child_by_field_name("argument")
        v = _int_value(arg) if arg is not None else None
        return -v if v is not None else None
    return None


def _literal_text(node: Node) -> str | None:
    if node.type == "string":
        return _string_value(node)
    if node.type == "template_string" and not any(
        c.type == "template_substitution" for c in node.named_children
    ):
        return _text(node)[1:-1]
    return None


def _leading_text(node: Node) -> str | None:
    if node.type == "string":
        return _string_value(node)
    if node.type == "template_string":
        for c in node.named_children:
            if c.type == "string_fragment":
                return _text(c)
            return None
    return None


def _callee(fn: Node) -> str:
    text = _text(fn)
    return text if len(text) <= 60 else text[:57] + "..."


def _pattern_names(node: Node) -> list[str]:
    t = node.type
    if t in ("identifier", "shorthand_property_identifier_pattern"):
        return [_text(node)]
    if t == "member_expression":
        prop = node.child_by_field_name("property")
        return [_text(prop)] if prop is not None else []
    if t in ("object_pattern", "array_pattern", "pair_pattern", "rest_pattern", "assignment_pattern"):
        out: list[str] = []
        for c in node.named_children:
            if c.type in ("property_identifier",) and t == "pair_pattern":
                continue
            out += _pattern_names(c)
        return out
    if t == "object_assignment_pattern":
        left = node.child_by_field_name("left")
        return _pattern_names(left) if left is not None else []
    return []


def _object_pattern_members(node: Node) -> list[tuple[str, str]]:
    """`{ exec, spawn: sp }` -> [("exec", "exec"), ("sp", "spawn")]."""
    out: list[tuple[str, str]] = []
    for c in node.named_children:
        if c.type == "shorthand_property_identifier_pattern":
            out.append((_text(c), _text(c)))
        elif c.type == "pair_pattern":
            k = c.child_by_field_name("key")
            v = c.child_by_field_name("value")
            if k is not None and v is not None and v.type == "identifier":
                out.append((_text(v), _text(k)))
    return out


def _is_split_dot(node: Node) -> bool:
    if node.type != "call_expression":
        return False
    fn = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    if fn is None or fn.type != "member_expression" or args is None or args.named_child_count < 1:
        return False
    prop = fn.child_by_field_name("property")
    a = args.named_children[0]
    return prop is not None and _bytes(prop) == b"split" and a.type == "string" and _string_value(a) == "."


def _segment_base(node: Node) -> Node:
    """What a decoder's argument is made from: `seg` in `seg.replace(/-/g, "+")`, `seg + "=="`, `(seg)`."""
    while True:
        if node.type == "parenthesized_expression" and node.named_child_count == 1:
            node = node.named_children[0]
        elif (
            node.type == "binary_expression" and _bytes(node.child_by_field_name("operator") or node) == b"+"
        ):
            node = node.child_by_field_name("left") or node
        elif node.type == "call_expression":
            fn = node.child_by_field_name("function")
            prop = (
                fn.child_by_field_name("property")
                if fn is not None and fn.type == "member_expression"
                else None
            )
            if (
                fn is None
                or prop is None
                or _bytes(prop) not in (b"replace", b"replaceAll", b"padEnd", b"trim")
            ):
                return node
            node = fn.child_by_field_name("object") or node
        else:
            return node


def _is_split_index(node: Node, splits: set[str]) -> bool:
    """`parts[1]` where `parts = token.split(".")`."""
    if node.type != "subscript_expression" or not splits:
        return False
    index = node.child_by_field_name("index")
    obj = node.child_by_field_name("object")
    return (
        index is not None
        and _bytes(index) == b"1"
        and obj is not None
        and obj.type == "identifier"
        and _text(obj) in splits
    )


# Decoders that turn a base64 / base64url text back into bytes or a string.
_BASE64_DECODERS = frozenset({"atob", "window.atob", "globalThis.atob", "base64url.toBuffer"})
_BASE64_DECODE_SUFFIXES = ("base64url.decode", "Base64.decode", "Base64.atob")


def _is_base64_decode(name: str, args: list[Node]) -> bool:
    """`atob(s)`, `Buffer.from(s, "base64")`, `base64url.decode(s)` (node-jose: `jose.util.base64url`)."""
    if name == "Buffer.from":
        return (
            len(args) > 1 and args[1].type == "string" and _string_value(args[1]) in ("base64", "base64url")
        )
    return name in _BASE64_DECODERS or name.endswith(_BASE64_DECODE_SUFFIXES)


def _is_jwt_segment(node: Node) -> bool:
    """`token.split(".")[1]` (the payload of a JWT)."""
    if node.type != "subscript_expression":
        return False
    index = node.child_by_field_name("index")
    obj = node.child_by_field_name("object")
    return index is not None and _bytes(index) == b"1" and obj is not None and _is_split_dot(obj)


def _algorithms_none(opts: Node) -> bool:
    for c in opts.named_children:
        if c.type == "pair":
            k = c.child_by_field_name("key")
            v = c.child_by_field_name("value")
            if k is not None and _bytes(k) == b"algorithms" and v is not None and v.type == "array":
                return any(
                    x.type == "string" and _string_value(x).lower() == "none" for x in v.named_children
                )
    return False


def _names_in(node: Node) -> list[str]:
    out: list[str] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in ("identifier", "property_identifier", "shorthand_property_identifier"):
            out.append(_text(n))
        elif n.type == "string" and n.parent is not None and n.parent.type == "subscript_expression":
            out.append(_string_value(n))
        stack.extend(n.named_children)
    return out


def _single_return(body: Node | None) -> Node | None:
    if body is None or body.type != "statement_block":
        return None
    stmts = [c for c in body.named_children if c.type != "comment"]
    if len(stmts) != 1 or stmts[0].type != "return_statement":
        return None
    inner = [c for c in stmts[0].named_children if c.type != "comment"]
    return inner[0] if inner else None


def _error_status(node: Node) -> bool:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "number":
            try:
                if 400 <= int(_text(n)) < 600:
                    return True
            except ValueError:
                pass
        stack.extend(n.named_children)
    return False


def _silent(block: Node) -> bool:
    """A catch block that drops the error: empty, or returning a literal success."""
    for s in block.named_children:
        t = s.type
        if t in ("comment", "empty_statement", "break_statement", "continue_statement"):
            continue
        if t == "return_statement":
            inner = [c for c in s.named_children if c.type != "comment"]
            if not inner or (_is_literal(inner[0]) and not _error_status(inner[0])):
                continue
        return False
    return True


def _is_literal(node: Node) -> bool:
    t = node.type
    if t in ("string", "number", "true", "false", "null", "undefined"):
        return True
    if t == "template_string":
        return not any(c.type == "template_substitution" for c in node.named_children)
    if t == "array":
        return all(_is_literal(c) for c in node.named_children)
    if t == "object":
        for c in node.named_children:
            if c.type != "pair":
                return False
            v = c.child_by_field_name("value")
            if v is None or not _is_literal(v):
                return False
        return True
    return False


def lower_tree(
    path: str, source: bytes, root: Node, typescript: bool, text_lines: int, kind: str | None = None
) -> JsModule:
    lw = _Lowerer(path, source, typescript, kind or dialect(path))
    body: list[ir.Stmt] = []
    saved = getattr(_local, "source", None)
    _local.source = source
    try:
        for c in root.named_children:
            lw.stmt(c, body)
    finally:
        _local.source = saved
    module_fn = ir.Function("<module>", "<module>", (), tuple(body), 1, text_lines)
    specs = lw.specs
    framework = None
    if specs & {"koa", "@koa/router", "koa-router"}:
        framework = "koa"
    elif "fastify" in specs:
        framework = "fastify"
    elif specs & {"express", "router", "lambda-api", "serverless-http", "@vendia/serverless-express"}:
        framework = "express"
    return JsModule(
        path=path,
        language="javascript",
        body=module_fn,
        functions=lw.functions,
        classes=lw.classes,
        imports=lw.imports,
        imported_modules=tuple(lw.import_list),
        hits=tuple(lw.hits),
        lines=text_lines,
        defs=lw.defs,
        flags={
            "sql_module": bool(specs & SQL_MODULES),
            "mongo_module": bool(specs & MONGO_MODULES),
        },
        exports=lw.exports,
        star_exports=tuple(lw.star_exports),
        dialect="typescript" if typescript else "javascript",
        routes=lw.routes,
        export_exprs=lw.export_exprs,
        web_framework=framework,
    )


def parse_module(path: str, text: str) -> JsModule:
    """Parse and lower one file. Raises ValueError (ParseBound) on files outside the bounds."""
    check_generated(text)
    source = text.encode("utf-8", "surrogatepass")
    tree = parse(path, source)
    root = tree.root_node
    kind = dialect(path)
    mod = lower_tree(path, source, root, kind != "javascript", text.count("\n") + 1, kind)
    err = first_error(root)
    if err is not None:
        lang = "TypeScript" if kind != "javascript" else "JavaScript"
        mod.parse_error = (err[0], f"invalid {lang}: {err[1]} (the rest of the file is analysed)")
    return mod


__all__ = ["JsModule", "RouteReg", "lower_tree", "parse_module"]
