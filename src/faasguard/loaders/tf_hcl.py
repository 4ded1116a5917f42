"""Terraform files (.tf, .tf.json, .tfvars) into a small syntax tree that remembers its lines.

HCL is parsed by python-hcl2's Lark grammar (its raw parse tree, not its dict output: the dict
keeps no lines). Every attribute, block and expression node below carries the line of its first
token, so a finding can point at `timeout = 900` itself. Heredocs, `.tf.json` strings and
`templatefile()` files are templates: their `${...}` and `%{...}` parts are scanned here and
each expression is parsed by the same grammar, with its lines shifted into place.

Parsing is bounded: files pass through the bounded reader first, and the token stream checks
the `parse_seconds` deadline as it goes (on the main thread an interval timer also interrupts
a single slow regular-expression match inside the lexer). Deeply nested input stops at
`max_depth`.
"""

from __future__ import annotations

import json
import re
import signal
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from lark import Token, Tree

from faasguard.limits import DEFAULT_LIMITS, Limits
from faasguard.loaders.nodes import LList, LMap
from faasguard.loaders.reader import ReadFailure, parse_json

if TYPE_CHECKING:
    from lark import Lark

# --- the syntax tree -----------------------------------------------------------------------------


class Expr:
    __slots__ = ("line",)

    def __init__(self, line: int) -> None:
        self.line = line


class Lit(Expr):
    __slots__ = ("value",)

    def __init__(self, value: object, line: int) -> None:
        super().__init__(line)
        self.value = value


class TIf:
    __slots__ = ("cond", "else_", "then")

    def __init__(self, cond: Expr, then: list[TPart], else_: list[TPart]) -> None:
        self.cond = cond
        self.then = then
        self.else_ = else_


class TFor:
    __slots__ = ("body", "coll", "key", "value")

    def __init__(self, key: str | None, value: str, coll: Expr, body: list[TPart]) -> None:
        self.key = key
        self.value = value
        self.coll = coll
        self.body = body


TPart = str | Expr | TIf | TFor


class Tmpl(Expr):
    """A string template: literal text, interpolations and directives."""

    __slots__ = ("parts", "path")

    def __init__(self, parts: list[TPart], line: int, path: str = "") -> None:
        super().__init__(line)
        self.parts = parts
        self.path = path


class Var(Expr):
    __slots__ = ("name",)

    def __init__(self, name: str, line: int) -> None:
        super().__init__(line)
        self.name = name


class GetAttr(Expr):
    __slots__ = ("name", "obj")

    def __init__(self, obj: Expr, name: str, line: int) -> None:
        super().__init__(line)
        self.obj = obj
        self.name = name


class Index(Expr):
    __slots__ = ("key", "obj")

    def __init__(self, obj: Expr, key: Expr, line: int) -> None:
        super().__init__(line)
        self.obj = obj
        self.key = key


class Splat(Expr):
    """`x[*].a.b` / `x.*.a`: the steps after the splat apply to every element."""

    __slots__ = ("obj", "steps")

    def __init__(self, obj: Expr, steps: list[tuple[str, object]], line: int) -> None:
        super().__init__(line)
        self.obj = obj
        self.steps = steps  # ("attr", name) | ("index", Expr)


class Call(Expr):
    __slots__ = ("args", "expand", "name")

    def __init__(self, name: str, args: list[Expr], expand: bool, line: int) -> None:
        super().__init__(line)
        self.name = name
        self.args = args
        self.expand = expand


class Cond(Expr):
    __slots__ = ("cond", "else_", "then")

    def __init__(self, cond: Expr, then: Expr, else_: Expr, line: int) -> None:
        super().__init__(line)
        self.cond = cond
        self.then = then
        self.else_ = else_


class BinOp(Expr):
    __slots__ = ("left", "op", "right")

    def __init__(self, op: str, left: Expr, right: Expr, line: int) -> None:
        super().__init__(line)
        self.op = op
        self.left = left
        self.right = right


class Unary(Expr):
    __slots__ = ("expr", "op")

    def __init__(self, op: str, expr: Expr, line: int) -> None:
        super().__init__(line)
        self.op = op
        self.expr = expr


class TupleE(Expr):
    __slots__ = ("end_line", "items")

    def __init__(self, items: list[Expr], line: int, end_line: int) -> None:
        super().__init__(line)
        self.items = items
        self.end_line = end_line


class ObjectE(Expr):
    __slots__ = ("end_line", "items")

    def __init__(self, items: list[tuple[Expr, Expr, int]], line: int, end_line: int) -> None:
        super().__init__(line)
        self.items = items  # (key, value, line of the key)
        self.end_line = end_line


class ForE(Expr):
    __slots__ = ("coll", "cond", "group", "key_expr", "key_var", "value_expr", "value_var")

    def __init__(
        self,
        key_var: str | None,
        value_var: str,
        coll: Expr,
        key_expr: Expr | None,
        value_expr: Expr,
        cond: Expr | None,
        group: bool,
        line: int,
    ) -> None:
        super().__init__(line)
        self.key_var = key_var
        self.value_var = value_var
        self.coll = coll
        self.key_expr = key_expr  # None: a tuple `[for ...]`
        self.value_expr = value_expr
        self.cond = cond
        self.group = group


@dataclass(slots=True)
class Attribute:
    name: str
    expr: Expr
    line: int
    end_line: int


@dataclass(slots=True)
class Block:
    type: str
    labels: list[str]
    body: Body
    line: int
    end_line: int
    path: str = ""


@dataclass(slots=True)
class Body:
    attrs: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


# --- the parser ----------------------------------------------------------------------------------


class _State(threading.local):
    deadline: float = 0.0  # of the Lark parse under way
    file_deadline: float = 0.0  # of the whole file (its parse, tree and template expressions)


_state = _State()


class _Timeout(Exception):
    pass


@lru_cache(maxsize=1)
def _parser() -> Lark:
    """python-hcl2's grammar with a token stream that watches the clock (built once, cached)."""
    import hcl2.parser
    from hcl2.postlexer import PostLexer
    from lark import Lark

    class TimedPostLexer(PostLexer):
        def process(self, stream: Iterator[Token]) -> Iterator[Token]:
            for count, token in enumerate(super().process(stream), 1):
                if count & 255 == 0 and time.monotonic() > _state.deadline:
                    raise _Timeout
                yield token

    return Lark.open(
        "hcl2.lark",
        rel_to=hcl2.parser.__file__,
        parser="lalr",
        propagate_positions=False,  # lines come from the tokens; positions on every node cost a third
        postlex=TimedPostLexer(),
        cache=True,
    )


@contextmanager
def _file_clock(limits: Limits) -> Iterator[None]:
    """One parse_seconds budget for a whole file, whatever number of parses it takes."""
    outer = _state.file_deadline
    if outer == 0.0:
        _state.file_deadline = time.monotonic() + limits.parse_seconds
    try:
        yield
    finally:
        _state.file_deadline = outer


def _check_clock(limits: Limits) -> None:
    if _state.file_deadline and time.monotonic() > _state.file_deadline:
        raise ReadFailure(f"parsing took longer than parse_seconds ({limits.parse_seconds})", kind="bound")


@contextmanager
def _clock(limits: Limits) -> Iterator[None]:
    """The parse deadline; on the main thread an interval timer also breaks a stuck regex match
    (unless a timer is already running for someone else)."""
    outer = _state.deadline
    deadline = time.monotonic() + limits.parse_seconds
    if _state.file_deadline:
        deadline = min(deadline, _state.file_deadline)
    _state.deadline = deadline
    use_timer = threading.current_thread() is threading.main_thread() and outer == 0.0
    previous: Any = None
    if use_timer:

        def ring(signum: int, frame: object) -> None:
            raise _Timeout

        try:
            if signal.getitimer(signal.ITIMER_REAL)[0] > 0:
                use_timer = False
            else:
                previous = signal.signal(signal.SIGALRM, ring)
                signal.setitimer(signal.ITIMER_REAL, max(deadline - time.monotonic(), 0.001))
        except (ValueError, OSError):  # no signals here (embedded interpreter): the token check stays
            use_timer = False
    try:
        yield
    finally:
        if use_timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
        _state.deadline = outer


_HEREDOC_OPEN = re.compile(r"<<-?([A-Za-z][A-Za-z0-9._-]*)\r?$")


def _tidy_heredocs(text: str) -> str:
    """Terraform accepts spaces after a heredoc's closing marker; the grammar does not: drop them."""
    if "<<" not in text:
        return text
    lines = text.split("\n")
    marker: str | None = None
    changed = False
    for i, line in enumerate(lines):
        if marker is None:
            if "<<" in line:
                m = _HEREDOC_OPEN.search(line)
                if m is not None:
                    marker = m.group(1)
        elif line.strip() == marker:
            stripped = line.rstrip(" \t\r")
            if stripped != line.rstrip("\r"):
                lines[i] = stripped + ("\r" if line.endswith("\r") else "")
                changed = True
            marker = None
    return "\n".join(lines) if changed else text


def _raw_parse(text: str, limits: Limits) -> Tree[Token]:
    """The Lark parse tree of `text`. The hand-written parser in tf_fastparse builds the very same
    tree much faster; whatever it does not handle exactly is parsed by Lark."""
    from lark.exceptions import LarkError, UnexpectedInput

    from faasguard.loaders import tf_fastparse

    failure: ReadFailure | None = None
    try:
        with _clock(limits):
            try:
                return tf_fastparse.parse(text + "\n", limits.max_depth, _state.deadline)
            except tf_fastparse.Unsupported as exc:
                _drop(exc)
            return _parser().parse(text + "\n")
    except (_Timeout, tf_fastparse.Timeout) as exc:
        failure = ReadFailure(
            f"parsing took longer than parse_seconds ({limits.parse_seconds})", kind="bound"
        )
        _drop(exc)
    except UnexpectedInput as exc:
        line = getattr(exc, "line", None)
        failure = ReadFailure(
            f"invalid HCL: {_short(exc)}", line=line if isinstance(line, int) and line > 0 else None
        )
        _drop(exc)
    except RecursionError as exc:
        failure = ReadFailure(f"nesting deeper than {limits.max_depth} (max_depth bound)", kind="bound")
        _drop(exc)
    except LarkError as exc:
        failure = ReadFailure(f"invalid HCL: {_short(exc)}")
        _drop(exc)
    raise failure


def _drop(exc: BaseException) -> None:
    """Free the half-built parse at once: clearing the failed parser's frames lets reference
    counting release it, instead of leaving a large cycle for the garbage collector."""
    traceback.clear_frames(exc.__traceback__)
    exc.__traceback__ = None


def _short(exc: Exception) -> str:
    first = str(exc).strip().splitlines()
    return first[0][:200] if first else type(exc).__name__


def parse_hcl(text: str, path: str, limits: Limits = DEFAULT_LIMITS) -> Body:
    """An HCL file's body. Raises ReadFailure (with the line) for invalid or oversized input."""
    with _file_clock(limits):
        return _Converter(path, limits, 0).body(_top(_raw_parse(_tidy_heredocs(text), limits)), 0)


def _top(tree: Tree[Token]) -> Tree[Token]:
    body = tree.children[0] if tree.children else None
    if not isinstance(body, Tree):
        raise ReadFailure("invalid HCL: no body")
    return body


def parse_expression(text: str, path: str, line: int, limits: Limits = DEFAULT_LIMITS) -> Expr:
    """One expression (the inside of `${...}`), its lines counted from `line`."""
    body = _Converter(path, limits, line - 1).body(_top(_raw_parse("__x = " + text.strip(), limits)), 0)
    attr = body.attrs.get("__x")
    if attr is None or body.blocks or len(body.attrs) != 1:
        raise ReadFailure("invalid expression in a template", line=line)
    return attr.expr


# Tokens that carry no meaning in the tree.
_PUNCT = frozenset(
    {
        "LPAR",
        "RPAR",
        "LBRACE",
        "RBRACE",
        "LSQB",
        "RSQB",
        "COMMA",
        "DOT",
        "EQ",
        "COLON",
        "DBLQUOTE",
        "INTERP_START",
        "DIRECTIVE_START",
        "STRIP_MARKER",
        "NL_OR_COMMENT",
        "COLONS",
        "QMARK",
    }
)
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)


def unescape(text: str) -> str:
    if "\\" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        s = m.group(0)
        if s[1] in "uU":
            try:
                return chr(int(s[2:], 16))
            except ValueError:
                return s
        return _ESCAPES.get(s[1], s)

    return _ESCAPE.sub(one, text)


def _first_line(node: Tree[Token] | Token) -> int:
    while not isinstance(node, Token):
        if not node.children:
            return 0
        node = node.children[0]
    return node.line or 0


def _last_line(node: Tree[Token] | Token) -> int:
    while not isinstance(node, Token):
        if not node.children:
            return 0
        node = node.children[-1]
    if node.type == "NL_OR_COMMENT":
        return node.line or 0
    line = node.end_line or node.line or 0
    return line - 1 if str(node).endswith("\n") and line > (node.line or 0) else line


class _Converter:
    def __init__(self, path: str, limits: Limits, offset: int) -> None:
        self.path = path
        self.limits = limits
        self.offset = offset
        self.steps = 0
        self.max_depth = limits.max_depth

    def _line(self, node: Tree[Token] | Token) -> int:
        return _first_line(node) + self.offset

    def _deep(self, depth: int) -> None:
        self.steps += 1
        if self.steps & 1023 == 0:
            _check_clock(self.limits)
        if depth > self.limits.max_depth:
            raise ReadFailure(f"nesting deeper than {self.limits.max_depth} (max_depth bound)", kind="bound")

    # -- structure --------------------------------------------------------------------------------

    def body(self, tree: Tree[Token], depth: int) -> Body:
        self._deep(depth)
        out = Body()
        for child in tree.children:
            if not isinstance(child, Tree):
                continue
            if child.data == "attribute":
                attr = self.attribute(child, depth)
                out.attrs[attr.name] = attr
            elif child.data == "block":
                out.blocks.append(self.block(child, depth))
        return out

    def _name(self, node: Tree[Token] | Token) -> str:
        if isinstance(node, Tree):
            children = node.children
            if len(children) == 1 and node.data != "string":  # an identifier: one NAME
                only = children[0]
                return str(only) if isinstance(only, Token) else ""
            if node.data == "string":
                return "".join(
                    unescape(str(p.children[0]))
                    for p in node.children
                    if isinstance(p, Tree) and p.children and isinstance(p.children[0], Token)
                )
            return "".join(str(t) for t in node.children if isinstance(t, Token))
        return str(node)

    def attribute(self, tree: Tree[Token], depth: int) -> Attribute:
        children = tree.children
        name_node = children[0]
        expr_node = children[-1]  # `name = value`: the value is the last child unless punctuation
        if isinstance(expr_node, Token) and expr_node.type in _PUNCT:
            expr_node = [c for c in children[1:] if not (isinstance(c, Token) and c.type in _PUNCT)][-1]
        line = self._line(tree)
        return Attribute(
            self._name(name_node),
            self.expr(expr_node, depth + 1),
            line,
            max(_last_line(expr_node) + self.offset, line),
        )

    def block(self, tree: Tree[Token], depth: int) -> Block:
        labels: list[str] = []
        body: Body | None = None
        end = 0
        for child in tree.children:
            if isinstance(child, Tree):
                if child.data == "body":
                    body = self.body(child, depth + 1)
                elif child.data in ("identifier", "keyword", "literal_value", "string"):
                    labels.append(self._name(child))
            elif isinstance(child, Token) and child.type == "RBRACE":
                end = (child.line or 0) + self.offset
        line = self._line(tree)
        return Block(labels[0], labels[1:], body or Body(), line, max(end, line), self.path)

    # -- expressions ------------------------------------------------------------------------------

    def expr(self, node: Tree[Token] | Token, depth: int) -> Expr:
        # _deep() inlined: this runs for every node of every expression.
        self.steps += 1
        if self.steps & 1023 == 0:
            _check_clock(self.limits)
        if depth > self.max_depth:
            raise ReadFailure(f"nesting deeper than {self.max_depth} (max_depth bound)", kind="bound")
        if isinstance(node, Token):
            return self._token(node)
        kind = node.data
        children = node.children
        if len(children) == 1:
            # The common one-child shapes (a wrapped term, a name, a number, true/false/null),
            # exactly as the general path below builds them, without its filtering.
            only = children[0]
            if isinstance(only, Tree):
                if kind == "expr_term" and only.data != "new_line_or_comment":
                    return self.expr(only, depth + 1)
            elif only.type not in _PUNCT:
                line = (only.line or 0) + self.offset
                if kind == "expr_term":
                    return self.expr(only, depth + 1)
                if kind == "identifier" or kind == "keyword":
                    return Var(str(only), line)
                if kind == "int_lit":
                    return Lit(int(str(only)), line)
                if kind == "literal_value":
                    text = str(only)
                    return Lit(True if text == "true" else False if text == "false" else None, line)
        elif kind == "string":
            return self.string(node, depth)
        elif kind == "get_attr_expr_term" and len(children) == 2:  # `x.name`
            obj_node, step = children
            if (
                isinstance(obj_node, Tree)
                and obj_node.data != "new_line_or_comment"
                and isinstance(step, Tree)
                and step.data == "get_attr"
            ):
                line = _first_line(node) + self.offset
                return GetAttr(self.expr(obj_node, depth + 1), self._name(step.children[-1]), line)
        kids = [
            c
            for c in node.children
            if not (isinstance(c, Token) and c.type in _PUNCT)
            and not (isinstance(c, Tree) and c.data == "new_line_or_comment")
        ]
        line = self._line(node)
        if kind == "expr_term":
            if len(kids) == 1:
                return self.expr(kids[0], depth + 1)
            inner = [k for k in kids if isinstance(k, Tree)]
            return self.expr(inner[0], depth + 1) if inner else Lit(None, line)
        if kind == "identifier":
            return Var(str(kids[0]), line)
        if kind == "keyword":
            return Var(str(kids[0]), line)
        if kind == "literal_value":
            text = str(kids[0])
            return Lit(True if text == "true" else False if text == "false" else None, line)
        if kind == "int_lit":
            return Lit(int(str(kids[0])), line)
        if kind == "float_lit":
            return Lit(float(str(kids[0])), line)
        if kind == "string":
            return self.string(node, depth)
        if kind == "template_string":
            return Lit(unescape(str(kids[0])[2:-2]), line)
        if kind in ("heredoc_template", "heredoc_template_trim"):
            return self.heredoc(str(kids[0]), line, trim=kind.endswith("trim"))
        if kind == "tuple":
            end = _last_line(node) + self.offset
            return TupleE([self.expr(k, depth + 1) for k in kids], line, end)
        if kind == "object":
            items = []
            for elem in kids:
                if not isinstance(elem, Tree) or elem.data != "object_elem":
                    continue
                parts = [c for c in elem.children if isinstance(c, Tree)]
                key_node = parts[0].children[0] if parts[0].children else parts[0]
                key = self.expr(key_node, depth + 2)
                items.append((key, self.expr(parts[1], depth + 2), self._line(elem)))
            return ObjectE(items, line, _last_line(node) + self.offset)
        if kind == "function_call":
            names = [str(k.children[0]) for k in kids if isinstance(k, Tree) and k.data == "identifier"]
            args_node = next((k for k in kids if isinstance(k, Tree) and k.data == "arguments"), None)
            args: list[Expr] = []
            expand = False
            if args_node is not None:
                for a in args_node.children:
                    if isinstance(a, Token):
                        if a.type == "ELLIPSIS":
                            expand = True
                        continue
                    if a.data != "new_line_or_comment":
                        args.append(self.expr(a, depth + 1))
            return Call("::".join(names), args, expand, line)
        if kind == "get_attr_expr_term":
            obj = self.expr(kids[0], depth + 1)
            step = kids[1]
            assert isinstance(step, Tree)
            return GetAttr(obj, self._name(step.children[-1]), line)
        if kind == "index_expr_term":
            obj = self.expr(kids[0], depth + 1)
            index = kids[1]
            assert isinstance(index, Tree)
            if index.data == "short_index":
                digits = [c for c in index.children if isinstance(c, Token) and c.type == "INT_LITERAL"]
                return Index(obj, Lit(int(str(digits[0])) if digits else 0, line), line)
            inner = [c for c in index.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
            return Index(obj, self.expr(inner[0], depth + 1), line)
        if kind in ("attr_splat_expr_term", "full_splat_expr_term"):
            obj = self.expr(kids[0], depth + 1)
            splat = kids[1]
            steps: list[tuple[str, object]] = []
            for step in splat.children if isinstance(splat, Tree) else []:
                if not isinstance(step, Tree):
                    continue
                if step.data == "get_attr":
                    steps.append(("attr", self._name(step.children[-1])))
                elif step.data == "short_index":
                    digits = [c for c in step.children if isinstance(c, Token) and c.type == "INT_LITERAL"]
                    steps.append(("index", Lit(int(str(digits[0])) if digits else 0, line)))
                elif step.data == "braces_index":
                    inner = [c for c in step.children if isinstance(c, Tree)]
                    steps.append(("index", self.expr(inner[0], depth + 1)))
            return Splat(obj, steps, line)
        if kind == "conditional":
            trees = [k for k in kids if isinstance(k, Tree) and k.data != "new_line_or_comment"]
            return Cond(
                self.expr(trees[0], depth + 1),
                self.expr(trees[1], depth + 1),
                self.expr(trees[2], depth + 1),
                line,
            )
        if kind == "binary_op":
            trees = [k for k in kids if isinstance(k, Tree) and k.data != "new_line_or_comment"]
            left = self.expr(trees[0], depth + 1)
            term = trees[1]
            parts = [c for c in term.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
            op = "".join(str(t) for t in parts[0].children).strip()
            return BinOp(op, left, self.expr(parts[1], depth + 1), line)
        if kind == "unary_op":
            op = str(node.children[0]).strip()
            return Unary(op, self.expr(node.children[1], depth + 1), line)
        if kind in ("for_tuple_expr", "for_object_expr"):
            return self.for_expr(node, kind == "for_object_expr", depth)
        if kind == "new_line_or_comment":
            return Lit(None, line)
        raise ReadFailure(f"unsupported HCL construct {kind}", line=line)

    def _token(self, token: Token) -> Expr:
        line = (token.line or 0) + self.offset
        if token.type == "INT_LITERAL":
            return Lit(int(str(token)), line)
        if token.type == "FLOAT_LITERAL":
            return Lit(float(str(token)), line)
        return Var(str(token), line)

    def string(self, node: Tree[Token], depth: int) -> Expr:
        children = node.children
        if len(children) == 3:  # `"text"`: one part of plain characters, the common case
            part = children[1]
            if isinstance(part, Tree) and part.data == "string_part" and len(part.children) == 1:
                chars = part.children[0]
                if isinstance(chars, Token) and chars.type == "STRING_CHARS":
                    return Lit(unescape(str(chars)), self._line(node))
        flat: list[object] = []
        for part in node.children:
            if not isinstance(part, Tree) or part.data != "string_part":
                continue
            inner = part.children[0]
            if isinstance(inner, Token):
                if inner.type == "ESCAPED_INTERPOLATION" or inner.type == "ESCAPED_DIRECTIVE":
                    flat.append(str(inner)[1:])
                else:
                    flat.append(unescape(str(inner)))
            elif inner.data == "interpolation":
                exprs = [c for c in inner.children if isinstance(c, Tree)]
                flat.append(self.expr(exprs[0], depth + 1))
            else:
                flat.append(self._directive(inner, depth))
        line = self._line(node)
        parts = _assemble(flat, line)
        if all(isinstance(p, str) for p in parts):
            return Lit("".join(p for p in parts if isinstance(p, str)), line)
        return Tmpl(parts, line, self.path)

    def _directive(self, node: Tree[Token], depth: int) -> tuple[str, object]:
        kind = node.data
        exprs = [c for c in node.children if isinstance(c, Tree) and c.data != "identifier"]
        names = [str(c.children[0]) for c in node.children if isinstance(c, Tree) and c.data == "identifier"]
        if kind == "template_if_start":
            return ("if", self.expr(exprs[0], depth + 1))
        if kind == "template_for_start":
            coll = self.expr(exprs[-1], depth + 1)
            return ("for", (names, coll))
        return (kind.removeprefix("template_"), None)

    def heredoc(self, token_text: str, line: int, trim: bool) -> Expr:
        first_nl = token_text.find("\n")
        body = token_text[first_nl + 1 :]
        # The closing marker is the last non-empty line.
        lines = body.split("\n")
        while lines and not lines[-1].strip():
            lines.pop()
        if lines:
            lines.pop()  # the marker
        if trim:
            indents = [len(x) - len(x.lstrip(" \t")) for x in lines if x.strip()]
            cut = min(indents) if indents else 0
            lines = [x[cut:] for x in lines]
        text = "\n".join(x.rstrip("\r") for x in lines) + ("\n" if lines else "")
        expr = parse_template(text, self.path, line + 1, self.limits)
        if isinstance(expr, Lit):  # keep where the text starts: JSON inside it has lines
            return Tmpl([str(expr.value)], line + 1, self.path)
        return expr

    def for_expr(self, node: Tree[Token], is_object: bool, depth: int) -> Expr:
        line = self._line(node)
        intro = next(c for c in node.children if isinstance(c, Tree) and c.data == "for_intro")
        names = [str(c.children[0]) for c in intro.children if isinstance(c, Tree) and c.data == "identifier"]
        coll_node = next(
            c
            for c in intro.children
            if isinstance(c, Tree) and c.data not in ("identifier", "new_line_or_comment")
        )
        coll = self.expr(coll_node, depth + 1)
        exprs = [
            c
            for c in node.children
            if isinstance(c, Tree) and c.data not in ("for_intro", "for_cond", "new_line_or_comment")
        ]
        cond_node = next((c for c in node.children if isinstance(c, Tree) and c.data == "for_cond"), None)
        cond = None
        if cond_node is not None:
            inner = [c for c in cond_node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
            cond = self.expr(inner[0], depth + 1)
        group = any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in node.children)
        key_var, value_var = (names[0], names[1]) if len(names) > 1 else (None, names[0])
        if is_object:
            return ForE(
                key_var,
                value_var,
                coll,
                self.expr(exprs[0], depth + 1),
                self.expr(exprs[1], depth + 1),
                cond,
                group,
                line,
            )
        return ForE(key_var, value_var, coll, None, self.expr(exprs[0], depth + 1), cond, False, line)


class _Frame:
    __slots__ = ("arg", "else_", "kind", "then")

    def __init__(self, kind: str, arg: object) -> None:
        self.kind = kind
        self.arg = arg
        self.then: list[TPart] = []
        self.else_: list[TPart] | None = None

    @property
    def current(self) -> list[TPart]:
        return self.else_ if self.else_ is not None else self.then


def _for_head(arg: object) -> tuple[list[str], Expr]:
    assert isinstance(arg, tuple) and len(arg) == 2
    names, coll = arg
    assert isinstance(names, list) and isinstance(coll, Expr)
    return [str(n) for n in names], coll


def _assemble(flat: list[object], line: int) -> list[TPart]:
    """Flat template pieces (text, expressions, ("if"|"else"|"endif"|"for"|"endfor", arg)) into
    nested TIf / TFor parts. Unbalanced directives fail like Terraform does."""
    root: list[TPart] = []
    stack: list[_Frame] = []
    for piece in flat:
        current = stack[-1].current if stack else root
        if isinstance(piece, tuple):
            kind, arg = piece
            if kind in ("if", "for"):
                stack.append(_Frame(kind, arg))
            elif kind == "else" and stack and stack[-1].kind == "if" and stack[-1].else_ is None:
                stack[-1].else_ = []
            elif kind in ("endif", "endfor") and stack and stack[-1].kind == kind[3:]:
                frame = stack.pop()
                node: TPart
                if frame.kind == "if":
                    assert isinstance(frame.arg, Expr)
                    node = TIf(frame.arg, _merge_text(frame.then), _merge_text(frame.else_ or []))
                else:
                    names, coll = _for_head(frame.arg)
                    node = TFor(
                        names[0] if len(names) > 1 else None, names[-1], coll, _merge_text(frame.then)
                    )
                (stack[-1].current if stack else root).append(node)
            else:
                raise ReadFailure(f"template directive {kind} out of place", line=line)
        elif isinstance(piece, (str, Expr)):
            current.append(piece)
    if stack:
        raise ReadFailure("template directive without its end", line=line)
    return _merge_text(root)


def _merge_text(parts: list[TPart]) -> list[TPart]:
    out: list[TPart] = []
    for p in parts:
        if isinstance(p, str) and out and isinstance(out[-1], str):
            out[-1] = out[-1] + p
        elif p != "":
            out.append(p)
    return out


def _closing_brace(text: str, start: int) -> int:
    """The index of the `}` ending an interpolation whose expression starts at `start`; -1 if none.
    Strings inside the expression (and their own interpolations) are skipped."""
    stack = ["expr"]
    depth = [0]
    i, n = start, len(text)
    while i < n:
        c = text[i]
        if stack[-1] == "str":
            if c == "\\":
                i += 2
                continue
            if c == '"':
                stack.pop()
                depth.pop()
            elif c == "$" and text.startswith("${", i):
                stack.append("expr")
                depth.append(0)
                i += 2
                continue
            i += 1
            continue
        if c == '"':
            stack.append("str")
            depth.append(0)
        elif c == "{":
            depth[-1] += 1
        elif c == "}":
            if depth[-1] == 0:
                stack.pop()
                depth.pop()
                if not stack:
                    return i
            else:
                depth[-1] -= 1
        i += 1
    return -1


_DIRECTIVE = re.compile(r"^~?\s*(if|else|endif|for|endfor)\b(.*?)\s*~?$", re.DOTALL)
_FOR_HEAD = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*(?:,\s*([A-Za-z_][\w-]*)\s*)?\bin\b(.*)$", re.DOTALL)


def parse_template(text: str, path: str, line: int, limits: Limits = DEFAULT_LIMITS) -> Expr:
    """A template (heredoc body, .tf.json string, templatefile() file) starting at `line`."""
    with _file_clock(limits):
        return _parse_template(text, path, line, limits)


def _parse_template(text: str, path: str, line: int, limits: Limits) -> Expr:
    if "${" not in text and "%{" not in text:
        return Lit(text.replace("$${", "${").replace("%%{", "%{"), line)
    flat: list[object] = []
    buf: list[str] = []
    i, n = 0, len(text)
    here = line
    mark = 0
    while i < n:
        _check_clock(limits)
        j = min((k for k in (text.find("${", i), text.find("%{", i)) if k >= 0), default=-1)
        if j < 0:
            buf.append(text[i:])
            break
        if j > 0 and text[j - 1] == text[j] and (j - 1 >= i):  # $${ or %%{: an escaped opener
            buf.append(text[i : j - 1] + text[j : j + 2])
            i = j + 2
            continue
        buf.append(text[i:j])
        end = _closing_brace(text, j + 2)
        if end < 0:
            buf.append(text[j:])
            break
        here += text.count("\n", mark, j)
        mark = j
        if buf:
            flat.append("".join(buf))
            buf = []
        inner = text[j + 2 : end]
        if text[j] == "$":
            flat.append(parse_expression(inner.strip().strip("~"), path, here, limits))
        else:
            m = _DIRECTIVE.match(inner.strip())
            if m is None:
                raise ReadFailure(f"invalid template directive %{{{inner[:40]}}}", line=here)
            kind, rest = m.group(1), m.group(2).strip().rstrip("~").strip()
            if kind == "if":
                flat.append(("if", parse_expression(rest, path, here, limits)))
            elif kind == "for":
                head = _FOR_HEAD.match(rest)
                if head is None:
                    raise ReadFailure("invalid %{for} directive", line=here)
                names = [x for x in (head.group(1), head.group(2)) if x]
                flat.append(("for", (names, parse_expression(head.group(3), path, here, limits))))
            else:
                flat.append((kind, None))
        i = end + 1
    if buf:
        flat.append("".join(buf))
    parts = _assemble(flat, line)
    if all(isinstance(p, str) for p in parts):
        return Lit("".join(p for p in parts if isinstance(p, str)), line)
    return Tmpl(parts, line, path)


# --- .tf.json ------------------------------------------------------------------------------------

# Top-level keys of the JSON syntax and how many labels their blocks take.
_JSON_LABELS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1}


def parse_tf_json(text: str, path: str, limits: Limits = DEFAULT_LIMITS) -> Body:
    """Terraform's JSON syntax into the same tree. Without the provider schemas, a nested JSON
    object stays an object-valued attribute; the loader reads blocks from either form."""
    with _file_clock(limits):
        return _tf_json(parse_json(text, path, limits), path, limits)


def _tf_json(doc: object, path: str, limits: Limits) -> Body:
    if not isinstance(doc, dict):
        raise ReadFailure("a .tf.json file must hold a JSON object", line=1)
    body = Body()
    for key, value in doc.items():
        line = _kline(doc, key)
        labels = _JSON_LABELS.get(key)
        if key == "locals":
            for obj in value if isinstance(value, list) else [value]:
                if isinstance(obj, dict):
                    body.blocks.append(Block("locals", [], _json_body(obj, path, limits), line, line, path))
        elif labels is not None:
            for label_path, obj, oline in _json_labelled(value, labels, line):
                end = getattr(obj, "end_line", 0) or oline
                body.blocks.append(Block(key, label_path, _json_body(obj, path, limits), oline, end, path))
        elif key == "terraform" and isinstance(value, dict):
            body.blocks.append(Block(key, [], _json_body(value, path, limits), line, line, path))
    return body


def _kline(obj: object, key: str) -> int:
    if isinstance(obj, LMap):
        return obj.key_lines.get(key, obj.line)
    return getattr(obj, "line", 0) or 1


def _json_labelled(value: object, labels: int, line: int) -> Iterator[tuple[list[str], dict[str, Any], int]]:
    if labels == 0:
        for obj in value if isinstance(value, list) else [value]:
            if isinstance(obj, dict):
                yield [], obj, getattr(obj, "line", line) or line
        return
    if isinstance(value, dict):
        for name, inner in value.items():
            for rest, obj, oline in _json_labelled(inner, labels - 1, _kline(value, name)):
                yield [str(name), *rest], obj, oline


def _json_body(obj: dict[str, Any], path: str, limits: Limits) -> Body:
    body = Body()
    for key, value in obj.items():
        line = _kline(obj, key)
        if key == "//":
            continue  # a comment
        body.attrs[str(key)] = Attribute(str(key), json_expr(value, path, line, limits), line, line)
    return body


def json_expr(value: object, path: str, line: int, limits: Limits, depth: int = 0) -> Expr:
    if depth > limits.max_depth:
        raise ReadFailure(f"nesting deeper than {limits.max_depth} (max_depth bound)", kind="bound")
    if isinstance(value, str):
        return parse_template(value, path, line, limits)
    if isinstance(value, dict):
        items: list[tuple[Expr, Expr, int]] = []
        for k, v in value.items():
            kl = _kline(value, k)
            items.append((Lit(str(k), kl), json_expr(v, path, kl, limits, depth + 1), kl))
        start = getattr(value, "line", line) or line
        return ObjectE(items, start, getattr(value, "end_line", start) or start)
    if isinstance(value, list):
        start = getattr(value, "line", line) or line
        items_l = [json_expr(v, path, getattr(v, "line", start) or start, limits, depth + 1) for v in value]
        return TupleE(items_l, start, getattr(value, "end_line", start) or start)
    return Lit(value, line)


def literal_json(text: str, path: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """A JSON document (a .tfvars.json file) as plain values with lines (no templates)."""
    return parse_json(text, path, limits)


__all__ = [
    "Attribute",
    "BinOp",
    "Block",
    "Body",
    "Call",
    "Cond",
    "Expr",
    "ForE",
    "GetAttr",
    "Index",
    "LList",
    "LMap",
    "Lit",
    "ObjectE",
    "Splat",
    "TFor",
    "TIf",
    "Tmpl",
    "TupleE",
    "Unary",
    "Var",
    "json",
    "parse_expression",
    "parse_hcl",
    "parse_template",
    "parse_tf_json",
]
