"""A hand-written parser for HCL native syntax that builds the very tree python-hcl2's Lark
grammar builds (the same rules, children, token types, values and positions), several times
faster.

`tf_hcl` calls `parse` first and falls back to Lark whenever this raises `Unsupported`, so
anything unusual is rejected rather than guessed at: correctness first.

Why the tree is not simply "the HCL tree": python-hcl2 parses with Lark's LALR parser, a
contextual lexer and a postlexer, and each leaves its mark on the result.

* The contextual lexer only tries the terminals the parser state accepts. A keyword (`in`,
  `for`, `if`, `for_each`, `else`, `endif`, `endfor`) is a keyword token where the state accepts
  it and a NAME elsewhere; `-12` is one number where a number is accepted (`-1` never is: the
  grammar wants a digit after the sign's digit); `=` and `:` carry the blanks before them.
* The postlexer holds each newline token back until it has seen the next token, so that token
  is lexed in the state *before* the newline. A newline right before a binary operator or `?`
  is merged into the operator's value (not before `-`).
* Shift/reduce conflicts resolve as shift: a newline after a binary operation belongs to that
  operation (the innermost one just completed), a newline after the last call argument belongs
  to the arguments, a newline after a `for` head's colon belongs to the head, and `.x` / `[i]`
  after a splat belong to the splat.

The tokenizer is one compiled regular expression walked with `finditer` (plus a small one for
the inside of strings); the parser is recursive descent for the structure and an operator
stack for binary operators, so nesting costs a few Python frames a level and is capped at the
caller's `max_depth`.
"""

from __future__ import annotations

import gc
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeAlias

from lark import Token, Tree

__all__ = ["Timeout", "Unsupported", "parse"]


class Unsupported(Exception):
    """Input this parser does not handle exactly like the Lark grammar: use Lark instead."""


class Timeout(Exception):
    """The caller's deadline passed."""


Node: TypeAlias = "Tree[Token] | Token"

# Token types (the grammar's terminal names).
NAME = "NAME"
NLC = "NL_OR_COMMENT"
EQ = "EQ"
COLON = "COLON"
COMMA = "COMMA"
DOT = "DOT"
LPAR = "LPAR"
RPAR = "RPAR"
LBRACE = "LBRACE"
RBRACE = "RBRACE"
LSQB = "LSQB"
RSQB = "RSQB"
MINUS = "MINUS"
NOT = "NOT"
QMARK = "QMARK"
DBLQUOTE = "DBLQUOTE"
STRING_CHARS = "STRING_CHARS"
INT_LITERAL = "INT_LITERAL"
FLOAT_LITERAL = "FLOAT_LITERAL"
ELLIPSIS = "ELLIPSIS"
COLONS = "COLONS"
ATTR_SPLAT = "ATTR_SPLAT"
FULL_SPLAT_START = "FULL_SPLAT_START"
FOR_OBJECT_ARROW = "FOR_OBJECT_ARROW"
INTERP_START = "INTERP_START"
DIRECTIVE_START = "DIRECTIVE_START"
STRIP_MARKER = "STRIP_MARKER"
HEREDOC_TEMPLATE = "HEREDOC_TEMPLATE"
HEREDOC_TEMPLATE_TRIM = "HEREDOC_TEMPLATE_TRIM"
TEMPLATE_STRING = "TEMPLATE_STRING"
END = "$END"

# Words the grammar has terminals for: type when lexed as that terminal.
_KEYWORDS = {
    "in": "IN",
    "for": "FOR",
    "if": "IF",
    "for_each": "FOR_EACH",
    "else": "ELSE",
    "endif": "ENDIF",
    "endfor": "ENDFOR",
}
_LITERALS = {"true": "TRUE", "false": "FALSE", "null": "NULL"}
_ALL_WORDS = {**_KEYWORDS, **_LITERALS}

# Binary operators and their precedence level (the grammar's or < and < eq < rel < add < mul).
_LEVEL = {
    "DOUBLE_PIPE": 1,
    "DOUBLE_AMP": 2,
    "DOUBLE_EQ": 3,
    "NEQ": 3,
    "LT": 4,
    "GT": 4,
    "LEQ": 4,
    "GEQ": 4,
    "PLUS": 5,
    "MINUS": 5,
    "ASTERISK": 6,
    "SLASH": 6,
    "PERCENT": 6,
}
# Token types the postlexer merges a preceding newline into.
_MERGED = frozenset(
    {
        "DOUBLE_EQ",
        "NEQ",
        "LT",
        "GT",
        "LEQ",
        "GEQ",
        "ASTERISK",
        "SLASH",
        "PERCENT",
        "DOUBLE_AMP",
        "DOUBLE_PIPE",
        "PLUS",
        "QMARK",
    }
)
_PUNCT = {
    "==": "DOUBLE_EQ",
    "!=": "NEQ",
    "<=": "LEQ",
    ">=": "GEQ",
    "&&": "DOUBLE_AMP",
    "||": "DOUBLE_PIPE",
    "=>": FOR_OBJECT_ARROW,
    "::": COLONS,
    "...": ELLIPSIS,
    ".*": ATTR_SPLAT,
    "[*]": FULL_SPLAT_START,
    "{": LBRACE,
    "}": RBRACE,
    "[": LSQB,
    "]": RSQB,
    "(": LPAR,
    ")": RPAR,
    ",": COMMA,
    ".": DOT,
    "+": "PLUS",
    "-": MINUS,
    "*": "ASTERISK",
    "/": "SLASH",
    "%": "PERCENT",
    "<": "LT",
    ">": "GT",
    "!": NOT,
    "?": QMARK,
    "~": STRIP_MARKER,
}

# Outside strings. Blanks (and carriage returns) between tokens are skipped by the prefix; the
# groups are numbered for `lastindex`. Every position matches something (the last group), so
# `finditer` never skips text.
_MAIN = re.compile(
    r"""[ \t\r]*(?:
     (\n[ \t]*)(?:(_W(?:\._W)*)([ \t]*=(?![=>]))?)?                 # 1 newline + indent, 2 words, 3 EQ
    |(_W(?:\._W)*)([ \t]*=(?![=>]))?                                # 4 word or dotted words, 5 EQ
    |("[^"\\$%\n]*(?:(?:\\.|\$(?!\$?\{)|%(?!%?\{))[^"\\$%\n]*)*")   # 6 one-line string, no template
    |(\#[^\n]*\n|//[^\n]*\n)                                        # 7 line comment
    |(==|!=|<=|>=|&&|\|\||=>|::|\.\.\.|\.\*|\[\*\])                 # 8 punctuation of 2 or 3 chars
    |(<<-?(?=[a-zA-Z]))                                             # 9 heredoc opener
    |(/\*[\s\S]*?\*/|/\*)                                           # 10 block comment (or unclosed)
    |([{}\[\](),.+\-*/%<>!?~])                                      # 11 one-char punctuation
    |(=)                                                            # 12 EQ
    |(:)                                                            # 13 COLON
    |([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)                       # 14 number
    |(")                                                            # 15 any other string
    |(\\"(?:[^"\\]|\\\\.)*\\")                                      # 16 escaped-quote template string
    |([\s\S])                                                       # 17 anything else
    )""".replace("_W", "[a-zA-Z_][a-zA-Z0-9_-]*"),
    re.VERBOSE,
)
# Inside a string with templates, in the order the grammar's priorities give.
_IN_STRING = re.compile(
    r"""(\$\$\{[^}]*\})                                             # 1 ESCAPED_INTERPOLATION
    |(%%\{[^}]*\})                                                  # 2 ESCAPED_DIRECTIVE
    |([^"\\$%]*(?:(?:\\.|\$(?!\$?\{)|%(?!%?\{))[^"\\$%]*)*)          # 3 STRING_CHARS (maybe empty)
    """,
    re.VERBOSE,
)
_HEREDOC_HEAD = re.compile(r"<<(-?)([a-zA-Z][a-zA-Z0-9._-]*)\r?\n")
# A number with its sign, tried where a number may start (FLOAT_LITERAL before INT_LITERAL).
_SIGNED_FLOAT = re.compile(
    r"(?:(?:-[0-9])+|(?:-[0-9])?[0-9]+)(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)"
)
_SIGNED_INT = re.compile(r"(?:-[0-9])?[0-9]+")
_DIGITS_DOT_DIGITS = re.compile(r"[0-9]+\.[0-9]+")

_new_str = str.__new__
_new_obj = object.__new__


def _tok(type_: str, value: str, start: int, line: int, line_start: int) -> Token:
    """A token at `start` on `line` (which starts at index `line_start`); its own newlines are
    counted here."""
    t: Token = _new_str(Token, value)
    t.type = type_
    t.start_pos = start
    t.value = value
    t.line = line
    t.column = start - line_start + 1
    end = start + len(value)
    nls = value.count("\n")
    if nls:
        t.end_line = line + nls
        t.end_column = end - (start + value.rindex("\n") + 1) + 1
    else:
        t.end_line = line
        t.end_column = end - line_start + 1
    t.end_pos = end
    return t


def _closing_marker(text: str, body_start: int, marker: str) -> int:
    """The end of a heredoc: just past the first line, after the opening one, that holds only
    blanks, the marker and an optional carriage return; -1 when there is none."""
    pattern = re.compile(r"\n\s*" + re.escape(marker) + r"\r?\n")
    m = pattern.search(text, body_start - 1)
    return m.end() if m is not None else -1


def _tokenize(text: str, deadline: float) -> list[Token]:
    """The token stream Lark's lexer and the postlexer would give, keyword decisions aside:
    every word is a NAME here (the parser retypes keywords), numbers have no sign (the parser
    joins a `-` where the grammar lexes a signed number) and heredocs, escaped-quote strings
    and `[*]` / `.*` / `...` are lexed wherever they appear (the parser accepts them only where
    Lark's lexer would produce them too)."""
    toks: list[Token] = []
    append = toks.append
    new = _new_str
    braces: list[int] = []  # 0: a `{`; 1: a `${` or `%{` (its `}` goes back into the string)
    line = 1
    line_start = 0  # index just past the last newline before the current token
    pos = 0
    n = len(text)
    count = 0
    while pos < n:
        if time.monotonic() > deadline:
            raise Timeout
        for m in _MAIN.finditer(text, pos):
            kind: int = m.lastindex  # type: ignore[assignment]  # every alternative is a group
            if kind <= 3:  # a newline, maybe followed by a name and `=`
                count += 1
                if count & 1023 == 0 and time.monotonic() > deadline:
                    raise Timeout
                start, end = m.span(1)
                value = text[start:end]
                t = new(Token, value)
                t.type = NLC
                t.start_pos = start
                t.value = value
                t.line = line
                t.column = start - line_start + 1
                line += 1
                line_start = start + 1
                t.end_line = line
                t.end_column = end - start
                t.end_pos = end
                append(t)
                if kind == 1:
                    continue
                wstart, wend = m.span(2)
                eq = 3 if kind == 3 else 0
            elif kind <= 5:  # names, maybe followed by `=`
                wstart, wend = m.span(4)
                eq = 5 if kind == 5 else 0
            elif kind == 11 or kind == 8:  # punctuation
                start, end = m.span(kind)
                value = text[start:end]
                type_ = _PUNCT[value]
                if type_ == LBRACE:
                    braces.append(0)
                elif type_ == RBRACE:
                    if braces and braces.pop():  # the end of an interpolation or directive
                        append(_tok(RBRACE, value, start, line, line_start))
                        pos, line, line_start = _string(text, end, line, line_start, toks, braces)
                        break
                elif type_ in _MERGED and toks and toks[-1].type == NLC:  # the postlexer's merge
                    value = toks.pop().value + value
                t = new(Token, value)
                t.type = type_
                t.start_pos = start
                t.value = value
                t.line = t.end_line = line
                t.column = start - line_start + 1
                t.end_column = end - line_start + 1
                t.end_pos = end
                append(t)
                continue
            elif kind == 6:  # a string on one line without templates
                start, end = m.span(6)
                col = start - line_start + 1
                t = new(Token, '"')
                t.type = DBLQUOTE
                t.start_pos = start
                t.value = '"'
                t.line = t.end_line = line
                t.column = col
                t.end_column = col + 1
                t.end_pos = start + 1
                append(t)
                if end - start > 2:
                    value = text[start + 1 : end - 1]
                    t = new(Token, value)
                    t.type = STRING_CHARS
                    t.start_pos = start + 1
                    t.value = value
                    t.line = t.end_line = line
                    t.column = col + 1
                    t.end_column = col + end - start - 1
                    t.end_pos = end - 1
                    append(t)
                t = new(Token, '"')
                t.type = DBLQUOTE
                t.start_pos = end - 1
                t.value = '"'
                t.line = t.end_line = line
                t.column = col + end - start - 1
                t.end_column = col + end - start
                t.end_pos = end
                append(t)
                continue
            elif kind == 7:  # a line comment
                start, end = m.span(7)
                append(_tok(NLC, text[start:end], start, line, line_start))
                line += 1
                line_start = end
                continue
            elif kind == 12 or kind == 13:
                # `=` and `:` take the blanks before them, unless a carriage return is among them.
                start, end = m.span(kind)
                lead = m.start()
                if lead < start and "\r" not in text[lead:start]:
                    start = lead
                append(_tok(EQ if kind == 12 else COLON, text[start:end], start, line, line_start))
                continue
            elif kind == 14:
                start, end = m.span(14)
                value = text[start:end]
                append(
                    _tok(INT_LITERAL if value.isdigit() else FLOAT_LITERAL, value, start, line, line_start)
                )
                continue
            elif kind == 15:  # a string with templates or over several lines
                start = m.start(15)
                append(_tok(DBLQUOTE, '"', start, line, line_start))
                pos, line, line_start = _string(text, start + 1, line, line_start, toks, braces)
                break
            elif kind == 9 or kind == 10 or kind == 16:  # heredoc, block comment, escaped-quote string
                start, end = m.span(kind)
                if kind == 9:
                    head = _HEREDOC_HEAD.match(text, start)
                    if head is None:
                        raise Unsupported("heredoc opener")
                    end = _closing_marker(text, head.end(), head.group(2))
                    if end < 0:
                        raise Unsupported("heredoc without its closing marker")
                    type_ = HEREDOC_TEMPLATE_TRIM if head.group(1) else HEREDOC_TEMPLATE
                elif kind == 10:
                    if end - start == 2:
                        # An unclosed `/*`: Lark rejects it too (SLASH ASTERISK), and stopping here
                        # keeps the search for `*/` from running again for every later `/*`.
                        raise Unsupported("unclosed comment")
                    type_ = NLC
                else:
                    type_ = TEMPLATE_STRING
                value = text[start:end]
                append(_tok(type_, value, start, line, line_start))
                nls = value.count("\n")
                if nls:
                    line += nls
                    line_start = start + value.rindex("\n") + 1
                if kind == 9:
                    pos = end
                    break
                continue
            else:
                raise Unsupported(f"unexpected character {m.group(17)!r}")
            # names (from either branch above): `a` or `a.b.c`, then maybe `=`
            col = wstart - line_start + 1
            value = text[wstart:wend]
            if "." in value:
                start = wstart
                for i, part in enumerate(value.split(".")):
                    if i:
                        t = new(Token, ".")
                        t.type = DOT
                        t.start_pos = start
                        t.value = "."
                        t.line = t.end_line = line
                        t.column = start - line_start + 1
                        t.end_column = start - line_start + 2
                        t.end_pos = start + 1
                        append(t)
                        start += 1
                    end = start + len(part)
                    t = new(Token, part)
                    t.type = NAME
                    t.start_pos = start
                    t.value = part
                    t.line = t.end_line = line
                    t.column = start - line_start + 1
                    t.end_column = end - line_start + 1
                    t.end_pos = end
                    append(t)
                    start = end
            else:
                t = new(Token, value)
                t.type = NAME
                t.start_pos = wstart
                t.value = value
                t.line = t.end_line = line
                t.column = col
                t.end_column = col + wend - wstart
                t.end_pos = wend
                append(t)
            if eq:
                start, end = m.span(eq)
                value = text[start:end]
                t = new(Token, value)
                t.type = EQ
                t.start_pos = start
                t.value = value
                t.line = t.end_line = line
                t.column = start - line_start + 1
                t.end_column = end - line_start + 1
                t.end_pos = end
                append(t)
        else:
            break
    # The end, four times over: the parser looks up to four tokens ahead without checking.
    toks.extend(_tok(END, "", n, line, line_start) for _ in range(4))
    return toks


def _string(
    text: str, pos: int, line: int, line_start: int, toks: list[Token], braces: list[int]
) -> tuple[int, int, int]:
    """The parts of a string from `pos` (just past its opening quote) to its closing quote, or to
    an interpolation or directive opener (then pushed on `braces`). Returns the position, line and
    line start after the last token."""
    while True:
        m = _IN_STRING.match(text, pos)
        assert m is not None  # the last alternative matches the empty string
        kind = m.lastindex
        end = m.end()
        if end > pos:
            value = m.group()
            toks.append(
                _tok(
                    STRING_CHARS
                    if kind == 3
                    else "ESCAPED_INTERPOLATION"
                    if kind == 1
                    else "ESCAPED_DIRECTIVE",
                    value,
                    pos,
                    line,
                    line_start,
                )
            )
            nls = value.count("\n")
            if nls:
                line += nls
                line_start = pos + value.rindex("\n") + 1
            pos = end
            continue
        c = text[pos : pos + 2]
        if c[:1] == '"':
            toks.append(_tok(DBLQUOTE, '"', pos, line, line_start))
            return pos + 1, line, line_start
        if c == "${" or c == "%{":
            toks.append(_tok(INTERP_START if c == "${" else DIRECTIVE_START, c, pos, line, line_start))
            braces.append(1)
            return pos + 2, line, line_start
        raise Unsupported("invalid character in a string")


def parse(text: str, max_depth: int, deadline: float) -> Tree[Token]:
    """`text` (with the final newline the caller appends for Lark) as python-hcl2's grammar parses
    it. Raises Unsupported for anything not handled exactly, Timeout once `deadline`
    (a `time.monotonic()` value) has passed."""
    with _gc_paused():
        try:
            toks = _tokenize(text, deadline)
            return _Parser(text, toks, max_depth, deadline).start()
        except RecursionError:
            raise Unsupported("nesting too deep for this parser") from None
        except IndexError:  # a lookahead past the end: invalid input, which Lark will report
            raise Unsupported("unexpected end of input") from None


_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = False


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cycle collector paused while a parse allocates its (acyclic) tokens and trees: it would
    otherwise walk them over and over, a tenth of the parse. Counted, for parses on threads."""
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


_POSTFIX = frozenset({DOT, LSQB, ATTR_SPLAT, FULL_SPLAT_START})
_SEPARATORS = frozenset({EQ, COLON})
# Tokens that cannot continue an expression: a simple value followed by one is complete.
_VALUE_ENDS = frozenset({NLC, RBRACE, COMMA, NAME, END, RSQB, RPAR, ELLIPSIS})


class _Parser:
    __slots__ = ("deadline", "depth", "i", "max_depth", "steps", "text", "toks")

    def __init__(self, text: str, toks: list[Token], max_depth: int, deadline: float) -> None:
        self.text = text
        self.toks: list[Any] = toks
        self.i = 0
        self.depth = 0
        self.max_depth = max_depth
        self.deadline = deadline
        self.steps = 0

    def start(self) -> Tree[Token]:
        return Tree("start", [self.body(True)])

    # -- helpers ----------------------------------------------------------------------------------

    def nl(self) -> Tree[Token]:
        """The newline/comment tokens from here on (at least one) as one new_line_or_comment."""
        toks = self.toks
        i = self.i
        j = i + 1
        while toks[j].type == NLC:
            j += 1
        self.i = j
        t = _new_obj(Tree)
        t.data = "new_line_or_comment"
        t.children = toks[i:j]
        t._meta = None
        return t

    def expect(self, type_: str) -> Token:
        tok: Token = self.toks[self.i]
        if tok.type != type_:
            raise Unsupported(f"expected {type_} at line {tok.line}, found {tok.type}")
        self.i += 1
        return tok

    def signed_number(self, minus: Any) -> Token | None:
        """The number token Lark lexes at this `-` where a number is accepted, or None (a MINUS).
        Raises Unsupported when Lark's number would end inside a token of ours."""
        nxt = self.toks[self.i + 1]
        start = minus.start_pos
        if nxt.start_pos != start + 1 or (nxt.type != INT_LITERAL and nxt.type != FLOAT_LITERAL):
            return None
        text = self.text
        m = _SIGNED_FLOAT.match(text, start)
        type_ = FLOAT_LITERAL
        if m is None:
            m = _SIGNED_INT.match(text, start)
            type_ = INT_LITERAL
            if m is None:  # `-1`: the grammar's INT_LITERAL wants a digit after the sign's digit
                return None
        if m.end() != nxt.end_pos:
            raise Unsupported("number across tokens")
        return _tok(type_, m.group(), start, minus.line, start - minus.column + 1)

    # -- structure --------------------------------------------------------------------------------

    def body(self, top: bool) -> Tree[Token]:
        toks = self.toks
        close = END if top else RBRACE
        ch: list[Node] = []
        while True:
            tok = toks[self.i]
            ty = tok.type
            if ty == NAME:
                ch.append(self.item(tok))
            elif ty == NLC:
                ch.append(self.nl())
            elif ty == close:
                t = _new_obj(Tree)
                t.data = "body"
                t.children = ch
                t._meta = None
                return t
            else:
                raise Unsupported(f"unexpected {ty} at line {tok.line}")

    def item(self, tok: Token) -> Tree[Token]:
        """An attribute or a block; `tok` (the current token) is its name."""
        self.steps += 1
        if self.steps & 1023 == 0 and time.monotonic() > self.deadline:
            raise Timeout
        toks = self.toks
        if tok.value in _ALL_WORDS:
            name = _name(tok)
        else:
            name = _new_obj(Tree)
            name.data = "identifier"
            name.children = [tok]
            name._meta = None
        i = self.i + 1
        nxt = toks[i]
        if nxt.type == EQ:
            self.i = i + 1
            t = _new_obj(Tree)
            t.data = "attribute"
            t.children = [name, nxt, self.value()]
            t._meta = None
            return t
        self.depth += 1
        if self.depth > self.max_depth:
            raise Unsupported("nesting deeper than max_depth")
        ch: list[Node] = [name]
        while True:
            ty = nxt.type
            if ty == NAME:
                ch.append(_name(nxt))
                i += 1
            elif ty == DBLQUOTE:
                chars = toks[i + 1]
                if chars.type == STRING_CHARS and toks[i + 2].type == DBLQUOTE:
                    ch.append(Tree("string", [nxt, Tree("string_part", [chars]), toks[i + 2]]))
                    i += 3
                else:
                    self.i = i
                    ch.append(self.string())
                    i = self.i
            else:
                break
            nxt = toks[i]
        self.i = i
        if nxt.type == NLC:
            ch.append(self.nl())
        ch.append(self.expect(LBRACE))
        ch.append(self.body(False))
        ch.append(self.expect(RBRACE))
        self.depth -= 1
        t = _new_obj(Tree)
        t.data = "block"
        t.children = ch
        t._meta = None
        return t

    def value(self) -> Node:
        """An expression: the common simple ones, a string without templates or a dotted name
        followed by a token that cannot continue them, are built here, anything else by
        expression()."""
        toks = self.toks
        i = self.i
        tok = toks[i]
        ty = tok.type
        if ty == DBLQUOTE:
            chars = toks[i + 1]
            close = toks[i + 2]
            if chars.type == STRING_CHARS and close.type == DBLQUOTE and toks[i + 3].type in _VALUE_ENDS:
                part = _new_obj(Tree)
                part.data = "string_part"
                part.children = [chars]
                part._meta = None
                string = _new_obj(Tree)
                string.data = "string"
                string.children = [tok, part, close]
                string._meta = None
                node = _new_obj(Tree)
                node.data = "expr_term"
                node.children = [string]
                node._meta = None
                self.i = i + 3
                return node
        elif ty == NAME and tok.value not in _ALL_WORDS:
            j = i + 1
            while toks[j].type == DOT and toks[j + 1].type == NAME:
                j += 2
            if toks[j].type in _VALUE_ENDS:
                ident = _new_obj(Tree)
                ident.data = "identifier"
                ident.children = [tok]
                ident._meta = None
                node = _new_obj(Tree)
                node.data = "expr_term"
                node.children = [ident]
                node._meta = None
                for k in range(i + 1, j, 2):
                    name = toks[k + 1]
                    lit = _LITERALS.get(name.value)
                    ident = _new_obj(Tree)
                    if lit is None:
                        ident.data = "identifier"
                    else:
                        name.type = lit
                        ident.data = "literal_value"
                    ident.children = [name]
                    ident._meta = None
                    step = _new_obj(Tree)
                    step.data = "get_attr"
                    step.children = [toks[k], ident]
                    step._meta = None
                    term = _new_obj(Tree)
                    term.data = "get_attr_expr_term"
                    term.children = [node, step]
                    term._meta = None
                    node = _new_obj(Tree)
                    node.data = "expr_term"
                    node.children = [term]
                    node._meta = None
                self.i = j
                return node
        return self.expression()

    # -- expressions ------------------------------------------------------------------------------

    def expression(self) -> Node:
        self.depth += 1
        if self.depth > self.max_depth:
            raise Unsupported("nesting deeper than max_depth")
        self.steps += 1
        if self.steps & 1023 == 0 and time.monotonic() > self.deadline:
            raise Timeout
        toks = self.toks
        ty = toks[self.i].type
        left: Node = self.unary() if ty in (MINUS, NOT) else self.term()
        op = toks[self.i]
        if op.type in _LEVEL:
            left = self.binary(left, op)
            op = toks[self.i]
        if op.type == QMARK:
            self.i += 1
            ch: list[Node] = [left, op]
            if toks[self.i].type == NLC:
                ch.append(self.nl())
            ch.append(self.expression())
            if toks[self.i].type == NLC:
                ch.append(self.nl())
            ch.append(self.expect(COLON))
            if toks[self.i].type == NLC:
                ch.append(self.nl())
            ch.append(self.expression())
            left = Tree("conditional", ch)
        self.depth -= 1
        return left

    def binary(self, left: Node, op: Token) -> Node:
        """Binary operators from `op` on, left-associative by level, built as the LALR parser
        builds them: a newline right after an operation's right operand is that operation's last
        child, and the operation is then complete (an operator of a higher level cannot follow)."""
        toks = self.toks
        operands: list[Node] = [left]
        ops: list[tuple[int, Tree[Token], Tree[Token] | None]] = []
        ceiling = 9
        level = _LEVEL.get(op.type)
        while level is not None:
            if level > ceiling:
                raise Unsupported("operator after a completed operation")
            if op.type == MINUS and self.signed_number(op) is not None:
                raise Unsupported("a signed number where an operator belongs")
            while ops and ops[-1][0] >= level:
                _reduce(operands, ops, None)
            self.i += 1
            after = self.nl() if toks[self.i].type == NLC else None
            ops.append((level, Tree("binary_operator", [op]), after))
            operands.append(self.unary())
            ceiling = 9
            if toks[self.i].type == NLC:
                ceiling = level
                _reduce(operands, ops, self.nl())
            op = toks[self.i]
            level = _LEVEL.get(op.type)
        while ops:
            _reduce(operands, ops, None)
        return operands[0]

    def unary(self) -> Node:
        tok = self.toks[self.i]
        ty = tok.type
        if ty == NOT or (ty == MINUS and self.signed_number(tok) is None):
            self.i += 1
            return Tree("unary_op", [tok, self.term()])
        return self.term()

    def term(self) -> Tree[Token]:
        """An expr_term with its attribute, index and splat steps."""
        toks = self.toks
        i = self.i
        tok = toks[i]
        ty = tok.type
        node: Tree[Token]
        if ty == NAME:
            word = tok.value
            lit = _LITERALS.get(word)
            if lit is not None:
                tok.type = lit
                node = Tree("expr_term", [Tree("literal_value", [tok])])
                self.i = i + 1
            else:
                if word in _KEYWORDS and toks[i - 1].type == NLC and toks[i - 2].type == NLC:
                    raise Unsupported("keyword after two newline tokens")
                after = toks[i + 1].type
                if after in (LPAR, COLONS):
                    node = self.call(tok)
                else:
                    node = Tree("expr_term", [Tree("identifier", [tok])])
                    self.i = i + 1
        elif ty == DBLQUOTE:
            chars = toks[i + 1]
            if chars.type == STRING_CHARS and toks[i + 2].type == DBLQUOTE:
                node = Tree("expr_term", [Tree("string", [tok, Tree("string_part", [chars]), toks[i + 2]])])
                self.i = i + 3
            else:
                node = Tree("expr_term", [self.string()])
        elif ty == LBRACE:
            node = self.object()
        elif ty == LSQB:
            node = self.tuple()
        elif ty == INT_LITERAL:
            node = Tree("expr_term", [Tree("int_lit", [tok])])
            self.i = i + 1
        elif ty == FLOAT_LITERAL:
            node = Tree("expr_term", [Tree("float_lit", [tok])])
            self.i = i + 1
        elif ty == LPAR:
            self.i = i + 1
            ch: list[Node] = [tok]
            if toks[self.i].type == NLC:
                ch.append(self.nl())
            ch.append(self.expression())
            if toks[self.i].type == NLC:
                ch.append(self.nl())
            ch.append(self.expect(RPAR))
            node = Tree("expr_term", ch)
        elif ty == MINUS:
            number = self.signed_number(tok)
            if number is None:
                raise Unsupported(f"unexpected MINUS at line {tok.line}")
            kind = "int_lit" if number.type == INT_LITERAL else "float_lit"
            node = Tree("expr_term", [Tree(kind, [number])])
            self.i = i + 2
        elif ty == HEREDOC_TEMPLATE:
            node = Tree("expr_term", [Tree("heredoc_template", [tok])])
            self.i = i + 1
        elif ty == HEREDOC_TEMPLATE_TRIM:
            node = Tree("expr_term", [Tree("heredoc_template_trim", [tok])])
            self.i = i + 1
        elif ty == TEMPLATE_STRING:
            node = Tree("expr_term", [Tree("template_string", [tok])])
            self.i = i + 1
        else:
            raise Unsupported(f"unexpected {ty} at line {tok.line}")
        tok = toks[self.i]
        while tok.type in _POSTFIX:
            ty = tok.type
            if ty == DOT:
                node = Tree("expr_term", [self.dot_step(node)])
            elif ty == LSQB:
                node = Tree("expr_term", [Tree("index_expr_term", [node, self.braces_index()])])
            else:
                self.i += 1
                steps: list[Node] = [tok]
                while True:
                    nxt = toks[self.i]
                    if nxt.type == DOT:
                        steps.append(self.dot_step(None))
                    elif nxt.type == LSQB:
                        steps.append(self.braces_index())
                    else:
                        break
                splat: Tree[Token]
                if ty == ATTR_SPLAT:
                    splat = Tree("attr_splat_expr_term", [node, Tree("attr_splat", steps)])
                else:
                    splat = Tree("full_splat_expr_term", [node, Tree("full_splat", steps)])
                node = Tree("expr_term", [splat])
            tok = toks[self.i]
        return node

    def dot_step(self, node: Tree[Token] | None) -> Tree[Token]:
        """`.name`, `.true` or `.0` at the current DOT: the get_attr / short_index tree, or, with
        `node`, the get_attr_expr_term / index_expr_term tree applying it to `node`."""
        toks = self.toks
        dot = toks[self.i]
        nxt = toks[self.i + 1]
        ty = nxt.type
        if ty == NAME:
            lit = _LITERALS.get(nxt.value)
            if lit is not None:
                nxt.type = lit
                step = Tree("get_attr", [dot, Tree("literal_value", [nxt])])
            else:
                step = Tree("get_attr", [dot, Tree("identifier", [nxt])])
            kind = "get_attr_expr_term"
        elif ty == INT_LITERAL or (ty == FLOAT_LITERAL and _DIGITS_DOT_DIGITS.fullmatch(nxt.value)):
            if ty == FLOAT_LITERAL:  # `.0.5`: after a `.` Lark's lexer takes only an INT_LITERAL
                nxt = self.split_float(self.i + 1)
            step = Tree("short_index", [dot, nxt])
            kind = "index_expr_term"
        else:
            raise Unsupported(f"unexpected {ty} after '.' at line {nxt.line}")
        self.i += 2
        if node is None:
            return step
        return Tree(kind, [node, step])

    def split_float(self, i: int) -> Token:
        """Retokenize the FLOAT_LITERAL `1.5` at `i` as INT_LITERAL, DOT, INT_LITERAL."""
        f = self.toks[i]
        whole, fraction = f.value.split(".")
        start = f.start_pos
        line_start = start - f.column + 1
        dot = start + len(whole)
        parts = [
            _tok(INT_LITERAL, whole, start, f.line, line_start),
            _tok(DOT, ".", dot, f.line, line_start),
            _tok(INT_LITERAL, fraction, dot + 1, f.line, line_start),
        ]
        self.toks[i : i + 1] = parts
        return parts[0]

    def braces_index(self) -> Tree[Token]:
        toks = self.toks
        ch: list[Node] = [toks[self.i]]
        self.i += 1
        if toks[self.i].type == NLC:
            ch.append(self.nl())
        ch.append(self.expression())
        if toks[self.i].type == NLC:
            ch.append(self.nl())
        ch.append(self.expect(RSQB))
        return Tree("braces_index", ch)

    def call(self, name: Token) -> Tree[Token]:
        toks = self.toks
        i = self.i + 1
        ch: list[Node] = [Tree("identifier", [name])]
        nxt = toks[i]
        if nxt.type == COLONS:
            ns, c2, fn = toks[i + 1], toks[i + 2], toks[i + 3]
            if ns.type != NAME or c2.type != COLONS or fn.type != NAME:
                raise Unsupported("provider function name")
            ch += [nxt, Tree("identifier", [ns]), c2, Tree("identifier", [fn])]
            i += 4
            nxt = toks[i]
            if nxt.type != LPAR:
                raise Unsupported("provider function name")
        ch.append(nxt)
        self.i = i + 1
        if toks[self.i].type == NLC:
            ch.append(self.nl())
        if toks[self.i].type != RPAR:
            ch.append(self.arguments())
        ch.append(self.expect(RPAR))
        return Tree("expr_term", [Tree("function_call", ch)])

    def arguments(self) -> Tree[Token]:
        toks = self.toks
        ch: list[Node] = [self.value()]
        while True:
            before = self.nl() if toks[self.i].type == NLC else None
            tok = toks[self.i]
            if tok.type == COMMA:
                self.i += 1
                after = self.nl() if toks[self.i].type == NLC else None
                if toks[self.i].type == RPAR:  # a trailing comma
                    if before is not None:
                        raise Unsupported("newline before a trailing comma")
                    ch.append(tok)
                    if after is not None:
                        ch.append(after)
                    break
                if before is not None:
                    ch.append(before)
                ch.append(tok)
                if after is not None:
                    ch.append(after)
                ch.append(self.value())
            elif tok.type == ELLIPSIS:
                if before is not None:
                    raise Unsupported("newline before '...'")
                ch.append(tok)
                self.i += 1
                if toks[self.i].type == NLC:
                    ch.append(self.nl())
                break
            else:
                if before is not None:
                    ch.append(before)
                break
        return Tree("arguments", ch)

    def tuple(self) -> Tree[Token]:
        toks = self.toks
        ch: list[Node] = [toks[self.i]]
        self.i += 1
        if toks[self.i].type == NLC:
            ch.append(self.nl())
        tok = toks[self.i]
        if tok.type == NAME and tok.value == "for":
            return self.for_tuple(ch)
        while toks[self.i].type != RSQB:
            ch.append(self.value())
            if toks[self.i].type == NLC:
                ch.append(self.nl())
            tok = toks[self.i]
            if tok.type != COMMA:
                break
            ch.append(tok)
            self.i += 1
            if toks[self.i].type == NLC:
                ch.append(self.nl())
        ch.append(self.expect(RSQB))
        return Tree("expr_term", [Tree("tuple", ch)])

    def object(self) -> Tree[Token]:
        toks = self.toks
        ch: list[Node] = [toks[self.i]]
        self.i += 1
        if toks[self.i].type == NLC:
            ch.append(self.nl())
        tok = toks[self.i]
        if tok.type == NAME and tok.value == "for" and toks[self.i + 1].type not in _SEPARATORS:
            return self.for_object(ch)
        while True:
            tok = toks[self.i]
            ty = tok.type
            if ty == RBRACE:
                break
            if ty == NAME and tok.value in _KEYWORDS:
                tok.type = _KEYWORDS[tok.value]
                key = Tree("object_elem_key", [Tree("keyword", [tok])])
                self.i += 1
            else:
                key = _new_obj(Tree)
                key.data = "object_elem_key"
                key.children = [self.key()]
                key._meta = None
            sep = toks[self.i]
            if sep.type not in _SEPARATORS:
                raise Unsupported(f"expected '=' or ':' at line {sep.line}")
            self.i += 1
            ch.append(Tree("object_elem", [key, sep, self.value()]))
            if toks[self.i].type == NLC:
                ch.append(self.nl())
            tok = toks[self.i]
            if tok.type == COMMA:
                ch.append(tok)
                self.i += 1
                if toks[self.i].type == NLC:
                    ch.append(self.nl())
        ch.append(tok)
        self.i += 1
        return Tree("expr_term", [Tree("object", ch)])

    def key(self) -> Node:
        """An object element's key: a name or a string without templates right before its `=` or
        `:` directly, anything else by expression()."""
        toks = self.toks
        i = self.i
        tok = toks[i]
        ty = tok.type
        if ty == NAME:
            if tok.value not in _LITERALS and toks[i + 1].type in _SEPARATORS:
                leaf = _new_obj(Tree)
                leaf.data = "identifier"
                leaf.children = [tok]
                leaf._meta = None
                self.i = i + 1
            else:
                return self.expression()
        elif ty == DBLQUOTE and toks[i + 1].type == STRING_CHARS and toks[i + 2].type == DBLQUOTE:
            if toks[i + 3].type not in _SEPARATORS:
                return self.expression()
            part = _new_obj(Tree)
            part.data = "string_part"
            part.children = [toks[i + 1]]
            part._meta = None
            leaf = _new_obj(Tree)
            leaf.data = "string"
            leaf.children = [tok, part, toks[i + 2]]
            leaf._meta = None
            self.i = i + 3
        else:
            return self.expression()
        node = _new_obj(Tree)
        node.data = "expr_term"
        node.children = [leaf]
        node._meta = None
        return node

    def for_intro(self) -> Tree[Token]:
        toks = self.toks
        tok = toks[self.i]
        tok.type = "FOR"
        self.i += 1
        ch: list[Node] = [tok]
        if toks[self.i].type == NLC:
            ch.append(self.nl())
        ch.append(self.variable())
        tok = toks[self.i]
        if tok.type == COMMA:
            ch.append(tok)
            self.i += 1
            ch.append(self.variable())
            if toks[self.i].type == NLC:
                ch.append(self.nl())
        if toks[self.i].type == NLC:
            ch.append(self.nl())
        ch.append(self.word("in", "IN"))
        if toks[self.i].type == NLC:
            ch.append(self.nl())
        ch.append(self.expression())
        if toks[self.i].type == NLC:
            ch.append(self.nl())
        ch.append(self.expect(COLON))
        if toks[self.i].type == NLC:
            ch.append(self.nl())
        return Tree("for_intro", ch)

    def variable(self) -> Tree[Token]:
        """The name after `for` or after its comma: Lark's lexer takes only a NAME there, so even
        `in` is a name (unless two newline tokens come first: see term())."""
        toks = self.toks
        i = self.i
        tok = toks[i]
        if tok.type != NAME or (
            tok.value in _ALL_WORDS and toks[i - 1].type == NLC and toks[i - 2].type == NLC
        ):
            raise Unsupported(f"unexpected {tok.type} in a for expression at line {tok.line}")
        self.i = i + 1
        return Tree("identifier", [tok])

    def word(self, word: str, type_: str) -> Token:
        tok: Token = self.toks[self.i]
        if tok.type != NAME or tok.value != word:
            raise Unsupported(f"expected {word!r} at line {tok.line}")
        tok.type = type_
        self.i += 1
        return tok

    def for_cond(self) -> Tree[Token]:
        ch: list[Node] = [self.word("if", "IF")]
        if self.toks[self.i].type == NLC:
            ch.append(self.nl())
        ch.append(self.expression())
        return Tree("for_cond", ch)

    def for_tuple(self, ch: list[Node]) -> Tree[Token]:
        toks = self.toks
        ch.append(self.for_intro())
        if toks[self.i].type == NLC:
            ch.append(self.nl())
        ch.append(self.expression())
        if toks[self.i].type == NLC:
            ch.append(self.nl())
        tok = toks[self.i]
        if tok.type == NAME and tok.value == "if":
            ch.append(self.for_cond())
            if toks[self.i].type == NLC:
                ch.append(self.nl())
        ch.append(self.expect(RSQB))
        return Tree("expr_term", [Tree("for_tuple_expr", ch)])

    def for_object(self, ch: list[Node]) -> Tree[Token]:
        toks = self.toks
        ch.append(self.for_intro())
        if toks[self.i].type == NLC:
            ch.append(self.nl())
        ch.append(self.expression())
        ch.append(self.expect(FOR_OBJECT_ARROW))
        if toks[self.i].type == NLC:
            ch.append(self.nl())
        ch.append(self.expression())
        if toks[self.i].type == NLC:
            ch.append(self.nl())
        if toks[self.i].type == ELLIPSIS:
            ch.append(toks[self.i])
            self.i += 1
            if toks[self.i].type == NLC:
                ch.append(self.nl())
        tok = toks[self.i]
        if tok.type == NAME and tok.value == "if":
            ch.append(self.for_cond())
            if toks[self.i].type == NLC:
                ch.append(self.nl())
        ch.append(self.expect(RBRACE))
        return Tree("expr_term", [Tree("for_object_expr", ch)])

    # -- strings ----------------------------------------------------------------------------------

    def string(self) -> Tree[Token]:
        toks = self.toks
        i = self.i
        ch: list[Node] = [toks[i]]
        i += 1
        while True:
            tok = toks[i]
            ty = tok.type
            if ty == STRING_CHARS or ty == "ESCAPED_INTERPOLATION" or ty == "ESCAPED_DIRECTIVE":
                ch.append(Tree("string_part", [tok]))
                i += 1
            elif ty == DBLQUOTE:
                ch.append(tok)
                self.i = i + 1
                return Tree("string", ch)
            elif ty == INTERP_START:
                self.i = i + 1
                inner = self.value()
                ch.append(Tree("string_part", [Tree("interpolation", [tok, inner, self.expect(RBRACE)])]))
                i = self.i
            elif ty == DIRECTIVE_START:
                self.i = i
                ch.append(Tree("string_part", [self.directive()]))
                i = self.i
            else:
                raise Unsupported(f"unexpected {ty} in a string at line {tok.line}")

    def directive(self) -> Tree[Token]:
        toks = self.toks
        ch: list[Node] = [toks[self.i]]
        self.i += 1
        if toks[self.i].type == STRIP_MARKER:
            ch.append(toks[self.i])
            self.i += 1
        tok = toks[self.i]
        word = tok.value if tok.type == NAME else ""
        if word == "if":
            ch.append(self.word("if", "IF"))
            ch.append(self.expression())
            kind = "template_if_start"
        elif word == "for":
            ch.append(self.word("for", "FOR"))
            ch.append(self.variable())
            if toks[self.i].type == COMMA:
                ch.append(toks[self.i])
                self.i += 1
                ch.append(self.variable())
            ch.append(self.word("in", "IN"))
            ch.append(self.expression())
            kind = "template_for_start"
        elif word in ("else", "endif", "endfor"):
            ch.append(self.word(word, word.upper()))
            kind = "template_" + word
        else:
            raise Unsupported(f"unexpected template directive at line {tok.line}")
        if toks[self.i].type == STRIP_MARKER:
            ch.append(toks[self.i])
            self.i += 1
        ch.append(self.expect(RBRACE))
        return Tree(kind, ch)


def _name(tok: Token) -> Tree[Token]:
    """A block type or label, or an attribute name: here every keyword is one."""
    type_ = _ALL_WORDS.get(tok.value)
    if type_ is None:
        return Tree("identifier", [tok])
    tok.type = type_
    return Tree("literal_value" if tok.value in _LITERALS else "keyword", [tok])


def _reduce(
    operands: list[Node], ops: list[tuple[int, Tree[Token], Tree[Token] | None]], trailing: Tree[Token] | None
) -> None:
    _, operator, after = ops.pop()
    right = operands.pop()
    left = operands.pop()
    term = Tree("binary_term", [operator, after, right] if after is not None else [operator, right])
    operands.append(Tree("binary_op", [left, term, trailing] if trailing is not None else [left, term]))
