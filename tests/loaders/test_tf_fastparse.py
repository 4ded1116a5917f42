"""The hand-written HCL parser (tf_fastparse) against python-hcl2's Lark grammar: on every input
either it builds exactly Lark's tree (rules, children, token types, values and positions) or it
declines (`Unsupported`) and the loader uses Lark. It never accepts what Lark rejects.

Checked on the Terraform files of the test fixtures, on a real corpus when one is present
(`FAASGUARD_TF_CORPUS`, default /tmp/tfcorpus; skipped otherwise), on hand-written edge cases
and on generated snippets that put newlines, comments and odd spacing between tokens."""

from __future__ import annotations

import gc
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Token, Tree
from lark.exceptions import LarkError

from faasguard.limits import Limits
from faasguard.loaders import tf_fastparse
from faasguard.loaders.reader import ReadFailure
from faasguard.loaders.tf_hcl import _parser, _state, _tidy_heredocs, parse_expression, parse_hcl

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("FAASGUARD_TF_CORPUS", "/tmp/tfcorpus"))
TOKEN_ATTRS = ("type", "value", "start_pos", "line", "column", "end_line", "end_column", "end_pos")


# --- comparing the two parsers ---------------------------------------------------------------------


def lark_tree(text: str) -> Tree[Token] | None:
    """Lark's tree of `text` (after the loader's heredoc tidy), None when Lark rejects it."""
    outer = _state.deadline
    _state.deadline = time.monotonic() + 60
    try:
        return _parser().parse(text + "\n")
    except LarkError:  # the text is invalid for the grammar
        return None
    finally:
        _state.deadline = outer


def fast_tree(text: str) -> Tree[Token] | None:
    """The hand-written parser's tree of `text`, None when it declines."""
    try:
        return tf_fastparse.parse(text + "\n", 200, time.monotonic() + 60)
    except tf_fastparse.Unsupported:
        return None


def difference(expected: Tree[Token], actual: Tree[Token]) -> str | None:
    """Where two trees differ (rule names, children, every token attribute), or None."""
    stack: list[tuple[object, object, str]] = [(expected, actual, "start")]
    while stack:  # iterative: generated and hostile trees can be deep
        a, b, where = stack.pop()
        if isinstance(a, Tree) and isinstance(b, Tree):
            if a.data != b.data:
                return f"{where}: rule {a.data!r} != {b.data!r}"
            kinds_a = [c.data if isinstance(c, Tree) else c.type for c in a.children]
            kinds_b = [c.data if isinstance(c, Tree) else c.type for c in b.children]
            if kinds_a != kinds_b:
                return f"{where}: children {kinds_a} != {kinds_b}"
            stack.extend(
                (x, y, f"{where}/{a.data}[{i}]")
                for i, (x, y) in enumerate(zip(a.children, b.children, strict=True))
            )
        elif isinstance(a, Token) and isinstance(b, Token):
            if type(a) is not type(b):
                return f"{where}: {type(a)} != {type(b)}"
            for attr in TOKEN_ATTRS:
                if getattr(a, attr) != getattr(b, attr):
                    return f"{where}: token {a!r} {attr} {getattr(a, attr)!r} != {getattr(b, attr)!r}"
        else:
            return f"{where}: {a!r} != {b!r}"
    return None


def agree(text: str, *, must_handle: bool = False) -> bool:
    """Assert the parsers agree on `text`; True when the hand-written one handled it."""
    text = _tidy_heredocs(text)
    expected = lark_tree(text)
    actual = fast_tree(text)
    if actual is None:
        assert not (must_handle and expected is not None), f"declined valid input:\n{text}"
        return False
    assert expected is not None, f"accepted what Lark rejects:\n{text}\n{actual.pretty()}"
    problem = difference(expected, actual)
    assert problem is None, f"{problem}\nfor:\n{text}"
    try:
        same_text = expected.pretty() == actual.pretty()
    except RecursionError:  # pretty() recurses; the walk above covers deep trees
        same_text = True
    assert same_text, f"different pretty() for:\n{text}"
    return True


# --- real files ------------------------------------------------------------------------------------


def _fixture_files() -> list[Path]:
    found = set((ROOT / "tests" / "rules").glob("*/*terraform*/**/*.tf"))
    found |= set((ROOT / "tests" / "loaders").rglob("*.tf"))
    found |= set((ROOT / "examples").rglob("*.tf"))
    return sorted(found)


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_fixture_files(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert agree(text) or lark_tree(_tidy_heredocs(text)) is None


def test_corpus() -> None:
    files = sorted(CORPUS.rglob("*.tf")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip(f"no Terraform corpus at {CORPUS}")
    handled = valid = 0
    declined: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        is_valid = lark_tree(_tidy_heredocs(text)) is not None
        valid += is_valid
        if agree(text):
            handled += 1
        elif is_valid:
            declined.append(str(path))
    print(f"\ncorpus: {len(files)} files, {valid} valid for Lark, {handled} handled by tf_fastparse")
    assert not declined, declined


# --- hand-written edge cases -----------------------------------------------------------------------

# Each of these must give Lark's tree (or be rejected by both): several are Lark's own quirks.
EDGE_CASES = [
    "",
    "# only a comment",
    "// a comment\n/* and\nanother */",
    "a {}",
    'a "b" c {\n}',
    "a\n{\n x = 1 }",
    "a { b {} }",
    "x = 1 y = 2",
    "x = a\n\n\n",
    "x = a -1",
    "x = a - 1",
    "x = a -12",
    "x = a-12",
    "x = -12",
    "x = -1",
    "x = - -12",
    "x = !-12",
    "x = [-12, -1.5, - 3, -1e5, 1e5, 1.5e-3, 1.5.3]",
    "x = 1-1.5",
    "x = -1-2.5",
    "x = {a = b -12 = 2}",
    "x = {a = b c = 2}",
    "x = a + b\n- c",
    "x = a + b\n\n* c",
    "x = a * b\n\n+ c",
    "x = a * b\n\n- c",
    "x = a + b * c\n - d",
    "x = a || b + c\n - d",
    "x = a + b # c\n + d",
    "x = a + b # c\n\n + d",
    "x = a /* c */ + b",
    "x = a\n? b\n: c",
    "x = a ? b + c\n : d",
    "x = a ? b : c ? d : e",
    "x = a == b != c < d > e <= f >= g && h || !i",
    "x = (a +\n b)\n",
    "x = f(\n)",
    "x = f(a,\nb,\n)",
    "x = f(a\n,b...)",
    "x = f(a\n,\n)",
    "x = f(a\n...)",
    "x = f(a...\n)",
    "x = provider::p::f(1)",
    "x = provider::f(1)",
    "x = true(1)",
    "x = {for = 1, in = 2\n if = 3}",
    "x = {a = 1, for = 2}",
    "x = {for_each = 1, else = 2, endif = 3, endfor = 4, true = 5, null = 6}",
    "x = {\n in = 1\n}",
    "x = {a = 1\n\n in = 2}",
    "x = [\n# c\nin]",
    "x = [\nin]",
    "x = [in, for, if, for_each]",
    "x = (\n\nin)",
    "x = f(a,\n\n in)",
    "x = for",
    "x = in.if",
    "x = a.in.for.true.null",
    "x = a.0.b",
    "x = a.0.5",
    "x = a.0.5.c",
    "x = a[*].0.5",
    "x = a.0.5e3",
    "x = a.1e5",
    "x = a.-12",
    "x = a.*.b[0]",
    "x = a[*].b.0",
    "x = a[*].b[*].c",
    "x = a.*.*",
    "x = a[ * ]",
    "x = [*]",
    "x = a...",
    "x = -a[0].b",
    "x = !a.b",
    "x = [for k, v in m : k if v]",
    "x = [for k, v in m : k\n if v\n]",
    "x = [for v in m :\n v]",
    "x = [\nfor\nv\nin\nm\n:\nv\n]",
    "x = {for k, v in m : k => v... if v}",
    "x = {for k, v in m : k => v...}",
    "x = {for k, v in m : k => v ...\n}",
    "x = {for k, v in m : k => v... ifx}",
    "x = {for k, v in m : k => v\n}",
    "x = {for k, v in m: k=>v if k}",
    "x = [for in in m : in]",
    "x = [for k, true in m : true]",
    "x = [for\n in in m : in]",
    "x = [for\n\n in in m : in]",
    'x = "%{ for in, if in m }${in}%{ endfor }"',
    "x = [for k, for in m : k]",
    "x = [for x in y : if]",
    "in = 1",
    "for_each = 1\nif = 2\nelse = 3\nendif = 4\nendfor = 5\nfor = 6\ntrue = 7\nnull = 8",
    "in {}",
    'resource true "x" {}',
    'a = b\nin "x" {}',
    'x = "a${b}c"',
    'x = "${a}%{ if b ~}c%{~ else }d%{ endif }"',
    'x = "%{ for k, v in m }${k}%{ endfor }"',
    'x = "%{if a}b%{endif}"',
    'x = "%{ iffy }"',
    'x = "%{ for_each }"',
    'x = "${ a ~}"',
    'x = "${\na}"',
    'x = "${a +\nb}"',
    'x = "${a + b\n}"',
    'x = "$${a} %%{b} $ % $$ %% \\" \\n"',
    'x = "$${a"',
    'x = "a$${"',
    'x = "line\nbreak"',
    'x = "back\\\nslash"',
    'x = "${ "nested ${ "deep" }" }"',
    'x = "${ {a = 1} }"',
    'x = "${ {for k, v in m : k => v} }"',
    'x = \\"abc\\"',
    'x = f(\\"a\\\\"b\\")',
    'x = "a" "b"',
    "x = <<EOF\nhi\nEOF\ny = 1",
    "x = <<EOF\nEOF\n",
    "x = <<EOF\n\n  \nEOF\n",
    "x = <<-EOT\n    a ${b}\n    EOT\n",
    "x = <<EOF\r\nhi\r\nEOF\r\n",
    "x = <<EOF\nhi\n  EOF  \n",
    "x = <<EOF\nEOFX\nEOF\n",
    "x = <<EOF\nnever closed\n",
    "x = <<EOF  \nhi\nEOF\n",
    "x = a <<EOF\nhi\nEOF\n",
    "x = a < <<EOF\nhi\nEOF\n",
    "x = a % {b = 1}",
    "x = a\n%{b = 1}",
    "x = ${a}",
    "a = 1\r\nb = 2\r\n",
    "a \r= 1",
    "a\t=\t1",
    "x = { a: 1, b : 2 }",
    "x = {a = 1,,}",
    "x = {\n a = 1,\n b = 2,\n}",
    "x = [1,,2]",
    "x = [1, 2,]",
    "x = [\n 1\n ,\n 2\n]",
    "x = a.b\n[0]",
    "x = a\n.b",
    "x = a (b)",
    "x = a [0]",
    "x = {a = b [c] = 1}",
    "x = {a = b (c) = 2}",
    "x = @",
    "x = 1 # trailing",
    "x = 1 // trailing",
    "x = 1 /* open",
    "x = 1 /* closed */ y = 2",
    "x = 01",
    "x = 1abc",
    "x = 1.e5",
    "x = 1.",
    "x = .5",
    "x = a ==b",
    "x = a = b",
    "x = a => b",
    "x = a :: b",
    "x = é",
    "x = \ufeff1",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases(text: str) -> None:
    agree(text)


def test_typical_terraform_is_handled() -> None:
    text = """
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

locals {
  name    = "${var.prefix}-fn"
  tags    = merge(var.tags, { Name = local.name })
  subnets = [for s in data.aws_subnet.all : s.id if s.map_public_ip_on_launch == false]
  by_az   = { for s in data.aws_subnet.all : s.availability_zone => s.id... }
  count   = length(var.items) > 0 ? length(var.items) - 1 : 0
  legacy  = aws_instance.web.0.id
  splat   = aws_instance.web[*].private_ip
}

resource "aws_lambda_function" "fn" {
  for_each      = toset(var.names)
  function_name = each.key
  timeout       = 900 # seconds
  role          = aws_iam_role.r.arn
  environment {
    variables = {
      A = "x"
      B = var.enabled ? "yes" : "no"
    }
  }
  policy = <<-EOT
    {"a": "${aws_iam_role.r.arn}"}
  EOT
  dynamic "tag" {
    for_each = var.tags
    content {
      key   = tag.key
      value = tag.value
    }
  }
}
"""
    assert agree(text, must_handle=True)


# --- generated snippets ----------------------------------------------------------------------------

WORDS = ["a", "b", "x_1", "var", "each", "count", "foo-bar", "for", "in", "if", "for_each", "else", "endif"]
WORDS += ["endfor", "true", "false", "null", "format", "tags", "_", "A"]
NUMBERS = ["0", "1", "12", "-1", "-12", "1.5", "-1.5", "1e3", "1.5e-3", "-2E+4", "007", "-1-2.5", "1."]
OPERATORS = ["||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%"]
# What may stand between two tokens: blanks; where the grammar allows it, often a newline or a
# comment; in a "wild" snippet, sometimes a newline or comment anywhere.
INLINE_GAPS = [" "] * 20 + ["", "  ", "\t"]
ODD_GAPS = ["\n", "\n  ", "\n\n", " # c\n", "// c\n", "/* c */", "/*\n*/", "\r\n", " \r "]
NEWLINE_GAPS = [" "] * 8 + INLINE_GAPS + ODD_GAPS
STRING_TEXT = [
    "a",
    " ",
    "\\n",
    '\\"',
    "\\\\",
    "$",
    "%",
    "$${x}",
    "%%{y}",
    "{",
    "}",
    "é",
    "#",
    "\\u00e9",
    "$$",
    "%%",
]


class Snippet:
    """Builds HCL text from hypothesis draws: a rough HCL grammar with odd spacing. Between two
    tokens goes a gap: where the grammar allows a newline, often a newline or a comment; elsewhere
    blanks, or (in a "wild" snippet) sometimes a newline or comment anyway."""

    def __init__(self, data: st.DataObject, wild: bool | None = None) -> None:
        self.data = data
        self.out: list[str] = []
        self.wild = self.chance(0.3) if wild is None else wild
        self.inline = INLINE_GAPS + ODD_GAPS if self.wild else INLINE_GAPS
        self.newline = NEWLINE_GAPS

    def pick(self, options: list[str]) -> str:
        return self.data.draw(st.sampled_from(options))

    def chance(self, p: float) -> bool:
        return self.data.draw(st.integers(0, 99)) < p * 100

    def emit(self, part: str, nl: bool = False) -> None:
        if self.out:
            self.out.append(self.pick(self.newline if nl else self.inline))
        self.out.append(part)

    def inner(self, depth: int) -> str:
        """An expression on its own, for the inside of a template."""
        inner = Snippet(self.data, self.wild)
        inner.expr(depth + 1)
        return "".join(inner.out)

    def body(self, depth: int) -> None:
        for _ in range(self.data.draw(st.integers(0, 3))):
            name = self.pick(WORDS)
            if depth < 2 and self.chance(0.3):
                self.emit(name, nl=True)
                for _ in range(self.data.draw(st.integers(0, 2))):
                    if self.chance(0.5):
                        self.string(depth)
                    else:
                        self.emit(self.pick(WORDS))
                self.emit("{", nl=self.chance(0.2))
                self.body(depth + 1)
                self.emit("}", nl=True)
            else:
                self.emit(name, nl=True)
                self.emit("=")
                self.expr(depth)
            self.out.append(self.pick(["\n", "\n", "\n\n", " ", "\n# c\n", "\r\n", "/* c */"]))

    def expr(self, depth: int) -> None:
        kind = self.data.draw(st.integers(0, 9)) if depth < 4 else 0
        if kind <= 4:
            self.term(depth)
        elif kind <= 6:
            self.term(depth)
            for _ in range(self.data.draw(st.integers(1, 3))):
                self.emit(self.pick(OPERATORS), nl=True)
                if self.chance(0.15):
                    self.emit(self.pick(["-", "!"]), nl=True)
                self.term(depth)
        elif kind == 7:
            self.expr(depth + 1)
            self.emit("?", nl=True)
            self.expr(depth + 1)
            self.emit(":", nl=True)
            self.expr(depth + 1)
        else:
            self.emit(self.pick(["-", "!"]), nl=True)
            self.term(depth)

    def term(self, depth: int) -> None:
        kind = self.data.draw(st.integers(0, 14)) if depth < 4 else self.data.draw(st.integers(0, 3))
        if kind <= 1:
            self.emit(self.pick(WORDS), nl=True)
        elif kind == 2:
            self.emit(self.pick(NUMBERS), nl=True)
        elif kind == 3:
            self.string(depth)
        elif kind == 4:
            self.emit("[", nl=True)
            for _ in range(self.data.draw(st.integers(0, 3))):
                self.expr(depth + 1)
                self.emit(",", nl=True)
            if self.chance(0.5):
                self.expr(depth + 1)
            self.emit("]", nl=True)
        elif kind == 5:
            self.emit("{", nl=True)
            for _ in range(self.data.draw(st.integers(0, 3))):
                if self.chance(0.7):
                    self.emit(self.pick(WORDS), nl=True)
                else:
                    self.expr(depth + 1)
                self.emit(self.pick(["=", ":", "=", " ="]))
                self.expr(depth + 1)
                if self.chance(0.5):
                    self.emit(self.pick([",", "\n"]), nl=True)
            self.emit("}", nl=True)
        elif kind == 6:
            self.emit(self.pick(["f", "format", "provider::ns::fn", "for", "a::b"]), nl=True)
            self.emit("(")
            for i in range(self.data.draw(st.integers(0, 3))):
                if i:
                    self.emit(",", nl=True)
                self.expr(depth + 1)
            self.emit(self.pick(["", ",", "...", ""]))
            self.emit(")", nl=True)
        elif kind == 7:
            self.emit("(", nl=True)
            self.expr(depth + 1)
            self.emit(")", nl=True)
        elif kind == 8:
            self.emit("[", nl=True)
            self.emit("for", nl=True)
            self.for_head(depth)
            self.expr(depth + 1)
            if self.chance(0.4):
                self.emit("if", nl=True)
                self.expr(depth + 1)
            self.emit("]", nl=True)
        elif kind == 9:
            self.emit("{", nl=True)
            self.emit("for", nl=True)
            self.for_head(depth)
            self.expr(depth + 1)
            self.emit("=>")
            self.expr(depth + 1)
            if self.chance(0.3):
                self.emit("...", nl=True)
            if self.chance(0.4):
                self.emit("if", nl=True)
                self.expr(depth + 1)
            self.emit("}", nl=True)
        elif kind == 10:
            marker = self.pick(["EOF", "EOT", "E"])
            trim = self.pick(["", "-"])
            lines = [
                self.pick(["hi", "  ${a}", "%{ if b }x%{ endif }", "", "  " + marker + "X"]) for _ in range(2)
            ]
            indent = "  " if trim else ""
            self.emit(
                f"<<{trim}{marker}\n" + "".join(line + "\n" for line in lines) + indent + marker + "\n",
                nl=True,
            )
        elif kind == 11:
            self.emit(self.pick(['\\"a\\"', '\\"\\"', '\\"a\\\\\\\\b\\"']), nl=True)
        else:
            self.term(depth + 1)
            for _ in range(self.data.draw(st.integers(1, 3))):
                step = self.data.draw(st.integers(0, 6))
                if step <= 1:
                    self.emit(".")
                    self.emit(self.pick(WORDS))
                elif step == 2:
                    self.emit(".")
                    self.emit(self.pick(["0", "12", "1.5", "0.1", "1e5"]))
                elif step == 3:
                    self.emit("[")
                    self.expr(depth + 1)
                    self.emit("]", nl=True)
                else:
                    self.emit(self.pick([".*", "[*]", ".*", "[*]", "..."]))

    def for_head(self, depth: int) -> None:
        self.emit(self.pick(["k", "v", "in", "k"]), nl=True)
        if self.chance(0.5):
            self.emit(",")
            self.emit(self.pick(["v", "w"]))
        self.emit("in", nl=True)
        self.expr(depth + 1)
        self.emit(":", nl=True)

    def string(self, depth: int) -> None:
        parts = ['"']
        for _ in range(self.data.draw(st.integers(0, 4))):
            kind = self.data.draw(st.integers(0, 6))
            if kind <= 3 or depth >= 3:
                parts.append(self.pick(STRING_TEXT))
            elif kind == 4:
                parts.append(
                    "${" + self.pick(["", " ", "~"]) + self.inner(depth) + self.pick(["", " ", "~"]) + "}"
                )
            elif kind == 5:
                strip = self.pick(["", "~"])
                word = self.pick(["if", "if", "iffy", "for_each"])
                parts.append(
                    "%{" + strip + f" {word} " + self.inner(depth) + " }x%{ else }y%{ endif " + strip + "}"
                )
            else:
                parts.append("%{ for k, v in " + self.inner(depth) + " }${k}%{ endfor }")
        parts.append('"')
        self.emit("".join(parts), nl=True)


@settings(
    max_examples=int(os.environ.get("FAASGUARD_FASTPARSE_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_generated_snippets(data: st.DataObject) -> None:
    snippet = Snippet(data)
    snippet.body(0)
    agree("".join(snippet.out))


def _seed_texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in _fixture_files()]
    if CORPUS.is_dir():
        texts += [
            p.read_text(encoding="utf-8", errors="surrogateescape")
            for p in sorted(CORPUS.rglob("*.tf"))[:150]
        ]
    return [t for t in texts if len(t) < 20_000]


SEED_TEXTS = _seed_texts()
# What replaces the blanks after a token: mostly what the grammar allows somewhere.
MUTATIONS = ["", " ", "\n", "\n\n", " # c\n", "// c\n", "/* c */", "/*\n*/", "\r\n", "\t", " \r "]


@settings(
    max_examples=int(os.environ.get("FAASGUARD_FASTPARSE_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_mutated_files(data: st.DataObject) -> None:
    """Real files with the blanks after a few tokens replaced by newlines, comments or nothing."""
    text = _tidy_heredocs(data.draw(st.sampled_from(SEED_TEXTS))) + "\n"
    try:
        tokens = tf_fastparse._tokenize(text, time.monotonic() + 60)
    except tf_fastparse.Unsupported:
        tokens = []
    ends = sorted({t.end_pos for t in tokens if t.type != "NL_OR_COMMENT"} - {len(text)})
    if not ends:
        return
    cuts = sorted(set(data.draw(st.lists(st.sampled_from(ends), min_size=1, max_size=4))), reverse=True)
    for cut in cuts:
        blank = cut
        while blank < len(text) and text[blank] in " \t":
            blank += 1
        text = text[:cut] + data.draw(st.sampled_from(MUTATIONS)) + text[blank:]
    agree(text)


# --- bounds and the loader's fallback --------------------------------------------------------------


def _deep_inputs() -> Iterator[str]:
    yield "x = " + "[" * 5000 + "]" * 5000
    yield "x = " + "(" * 3000 + "1" + ")" * 3000
    yield 'x = "' + "${" * 2000 + "1" + "}" * 2000 + '"'
    yield "a {" * 1000 + "}" * 1000


@pytest.mark.parametrize("text", list(_deep_inputs()), ids=["lists", "parens", "interpolations", "blocks"])
def test_deep_nesting_is_declined_not_a_crash(text: str) -> None:
    with pytest.raises(tf_fastparse.Unsupported):
        tf_fastparse.parse(text + "\n", 200, time.monotonic() + 60)
    with pytest.raises(ReadFailure) as info:
        parse_hcl(text, "main.tf", Limits())
    assert info.value.kind in ("bound", "parse")


def test_long_flat_chains_are_iterative() -> None:
    text = "x = " + " + ".join(["1"] * 3000)
    assert agree(text, must_handle=True)


def test_deadline() -> None:
    text = "".join(f'resource "a" "q{i}" {{\n  name = "q-${{var.x}}-{i}"\n}}\n' for i in range(3000))
    with pytest.raises(tf_fastparse.Timeout):
        tf_fastparse.parse(text + "\n", 200, time.monotonic() - 1)
    with pytest.raises(ReadFailure) as info:
        parse_hcl(text, "main.tf", Limits(parse_seconds=0.0001))
    assert info.value.kind == "bound"


def test_loader_falls_back_to_lark() -> None:
    # `-12` right after an operand is one INT_LITERAL token for Lark's lexer: this parser declines,
    # Lark parses the object with two elements.
    text = "x = {a = b -12 = 2}\n"
    assert fast_tree(text) is None
    body = parse_hcl(text, "main.tf")
    assert body.attrs["x"].line == 1


def test_expressions_parse_through_the_fast_parser() -> None:
    expr = parse_expression("var.a + 1", "main.tf", 7)
    assert expr.line == 7


def test_typical_files_do_not_need_lark(monkeypatch: pytest.MonkeyPatch) -> None:
    from faasguard.loaders import tf_hcl

    def no_lark() -> None:
        raise AssertionError("Lark was used")

    monkeypatch.setattr(tf_hcl, "_parser", no_lark)
    body = parse_hcl('resource "aws_lambda_function" "fn" {\n  timeout = 900\n}\n', "main.tf")
    assert body.blocks[0].body.attrs["timeout"].line == 2


def test_the_collector_is_paused_only_during_a_parse() -> None:
    assert gc.isenabled()
    tf_fastparse.parse("a = 1\n", 200, time.monotonic() + 60)
    assert gc.isenabled()
    gc.disable()
    try:
        tf_fastparse.parse("a = 1\n", 200, time.monotonic() + 60)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(tf_fastparse.Unsupported):
        tf_fastparse.parse("a = @\n", 200, time.monotonic() + 60)
    assert gc.isenabled()


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["EOF", "E", "EOT.x-1"]),
    st.sampled_from(["", "-"]),
    st.lists(
        st.sampled_from(
            ["", "x", "EOF", " EOF", "\tEOF", "EOFX", "xEOF", "E", "EOF ", "EOF\r", "\u00a0EOF", "  "]
        ),
        max_size=5,
    ),
)
def test_heredoc_ends_where_the_grammar_says(marker: str, trim: str, lines: list[str]) -> None:
    """The heredoc token's end agrees with the grammar's own HEREDOC_TEMPLATE(_TRIM) pattern."""
    text = f"<<{trim}{marker}\n" + "".join(line + "\n" for line in lines)
    name = "HEREDOC_TEMPLATE_TRIM" if trim else "HEREDOC_TEMPLATE"
    terminal = next(t for t in _parser().terminals if t.name == name)
    expected = re.compile(terminal.pattern.to_regexp()).match(text)
    head = tf_fastparse._HEREDOC_HEAD.match(text)
    assert head is not None
    end = tf_fastparse._closing_marker(text, head.end(), head.group(2))
    assert (end if end >= 0 else None) == (expected.end() if expected else None)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="-0123456789.eE+x", max_size=12))
def test_number_patterns_are_the_grammars(text: str) -> None:
    terminals = {t.name: re.compile(t.pattern.to_regexp()) for t in _parser().terminals}
    for mine, name in (
        (tf_fastparse._SIGNED_FLOAT, "FLOAT_LITERAL"),
        (tf_fastparse._SIGNED_INT, "INT_LITERAL"),
    ):
        a, b = mine.match(text), terminals[name].match(text)
        assert (a and a.group()) == (b and b.group())
