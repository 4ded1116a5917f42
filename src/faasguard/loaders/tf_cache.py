"""A content-addressed cache of parsed Terraform files, so the "save, scan, read" loop parses
again only the files that changed.

python-hcl2's Lark parser is the slowest step of a Terraform scan (about 3/4 of it). Each
parsed file's syntax tree is stored as JSON under `$XDG_CACHE_HOME/faasguard/terraform/` (or
`~/.cache/faasguard/terraform/`), named by a hash of the file's path, text and this format's
version. JSON holds only data (nothing in it is ever executed), and an entry that does not read
back exactly is ignored and parsed again. Files that fail to parse are not cached. Set
`FAASGUARD_NO_CACHE=1` (or `=terraform`) to neither read nor write the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from faasguard.caches import cache_off
from faasguard.loaders.tf_hcl import (
    Attribute,
    BinOp,
    Block,
    Body,
    Call,
    Cond,
    Expr,
    ForE,
    GetAttr,
    Index,
    Lit,
    ObjectE,
    Splat,
    TFor,
    TIf,
    Tmpl,
    TPart,
    TupleE,
    Unary,
    Var,
)

_FORMAT = "tf-ast-1"  # bump when the syntax tree or the parser changes


def cache_folder() -> Path | None:
    if cache_off("terraform"):
        return None
    base = os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "faasguard" / "terraform"


def _key(rel: str, text: str) -> str:
    digest = hashlib.sha256()
    for part in (_FORMAT, rel, text):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def load(rel: str, text: str) -> Body | None:
    folder = cache_folder()
    if folder is None:
        return None
    key = _key(rel, text)
    try:
        data = json.loads((folder / key[:2] / f"{key}.json").read_text(encoding="utf-8"))
        return _body(data)
    except (OSError, ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None


def store(rel: str, text: str, body: Body) -> None:
    folder = cache_folder()
    if folder is None:
        return
    key = _key(rel, text)
    target = folder / key[:2] / f"{key}.json"
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(_enc_body(body), fh, separators=(",", ":"))
        os.replace(tmp, target)  # atomic: a concurrent reader sees the old entry or the new one
    except (OSError, ValueError, RecursionError):
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def load_template(rel: str, line: int, text: str) -> Expr | None:
    """A parsed template file (templatefile(), template_file), cached like a file."""
    body = load(f"template\x00{rel}\x00{line}", text)
    attr = body.attrs.get("template") if body is not None else None
    return attr.expr if attr is not None else None


def store_template(rel: str, line: int, text: str, expr: Expr) -> None:
    body = Body()
    body.attrs["template"] = Attribute("template", expr, line, line)
    store(f"template\x00{rel}\x00{line}", text, body)


# --- encoding ------------------------------------------------------------------------------------


def _enc_body(body: Body) -> list[Any]:
    return [
        [[a.name, _enc(a.expr), a.line, a.end_line] for a in body.attrs.values()],
        [[b.type, b.labels, _enc_body(b.body), b.line, b.end_line, b.path] for b in body.blocks],
    ]


def _enc_parts(parts: list[TPart]) -> list[Any]:
    out: list[Any] = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, TIf):
            out.append(["IF", _enc(p.cond), _enc_parts(p.then), _enc_parts(p.else_)])
        elif isinstance(p, TFor):
            out.append(["FOR", p.key, p.value, _enc(p.coll), _enc_parts(p.body)])
        else:
            out.append(_enc(p))
    return out


def _enc(e: Expr | None) -> Any:
    if e is None:
        return None
    if isinstance(e, Lit):
        return ["L", e.line, e.value]
    if isinstance(e, Tmpl):
        return ["T", e.line, e.path, _enc_parts(e.parts)]
    if isinstance(e, Var):
        return ["V", e.line, e.name]
    if isinstance(e, GetAttr):
        return ["G", e.line, _enc(e.obj), e.name]
    if isinstance(e, Index):
        return ["I", e.line, _enc(e.obj), _enc(e.key)]
    if isinstance(e, Splat):
        steps = [[k, _enc(a) if isinstance(a, Expr) else a] for k, a in e.steps]
        return ["S", e.line, _enc(e.obj), steps]
    if isinstance(e, Call):
        return ["C", e.line, e.name, [_enc(a) for a in e.args], e.expand]
    if isinstance(e, Cond):
        return ["Q", e.line, _enc(e.cond), _enc(e.then), _enc(e.else_)]
    if isinstance(e, BinOp):
        return ["O", e.line, e.op, _enc(e.left), _enc(e.right)]
    if isinstance(e, Unary):
        return ["U", e.line, e.op, _enc(e.expr)]
    if isinstance(e, TupleE):
        return ["TU", e.line, e.end_line, [_enc(i) for i in e.items]]
    if isinstance(e, ObjectE):
        return ["OB", e.line, e.end_line, [[_enc(k), _enc(v), ln] for k, v, ln in e.items]]
    if isinstance(e, ForE):
        return [
            "F",
            e.line,
            e.key_var,
            e.value_var,
            _enc(e.coll),
            _enc(e.key_expr),
            _enc(e.value_expr),
            _enc(e.cond),
            e.group,
        ]
    raise ValueError(f"cannot cache {type(e).__name__}")


# --- decoding ------------------------------------------------------------------------------------


def _body(data: Any) -> Body:
    attrs, blocks = data
    body = Body()
    for name, expr, line, end in attrs:
        body.attrs[str(name)] = Attribute(str(name), _dec(expr), int(line), int(end))
    for btype, labels, inner, line, end, path in blocks:
        body.blocks.append(
            Block(str(btype), [str(x) for x in labels], _body(inner), int(line), int(end), str(path))
        )
    return body


def _parts(data: list[Any]) -> list[TPart]:
    out: list[TPart] = []
    for p in data:
        if isinstance(p, str):
            out.append(p)
        elif p[0] == "IF":
            out.append(TIf(_dec(p[1]), _parts(p[2]), _parts(p[3])))
        elif p[0] == "FOR":
            out.append(TFor(p[1], str(p[2]), _dec(p[3]), _parts(p[4])))
        else:
            out.append(_dec(p))
    return out


def _opt(data: Any) -> Expr | None:
    return None if data is None else _dec(data)


def _dec(d: Any) -> Expr:
    tag, line = d[0], int(d[1])
    if tag == "L":
        return Lit(d[2], line)
    if tag == "T":
        return Tmpl(_parts(d[3]), line, str(d[2]))
    if tag == "V":
        return Var(str(d[2]), line)
    if tag == "G":
        return GetAttr(_dec(d[2]), str(d[3]), line)
    if tag == "I":
        return Index(_dec(d[2]), _dec(d[3]), line)
    if tag == "S":
        steps: list[tuple[str, object]] = [(str(k), _dec(a) if k == "index" else str(a)) for k, a in d[3]]
        return Splat(_dec(d[2]), steps, line)
    if tag == "C":
        return Call(str(d[2]), [_dec(a) for a in d[3]], bool(d[4]), line)
    if tag == "Q":
        return Cond(_dec(d[2]), _dec(d[3]), _dec(d[4]), line)
    if tag == "O":
        return BinOp(str(d[2]), _dec(d[3]), _dec(d[4]), line)
    if tag == "U":
        return Unary(str(d[2]), _dec(d[3]), line)
    if tag == "TU":
        return TupleE([_dec(i) for i in d[3]], line, int(d[2]))
    if tag == "OB":
        return ObjectE([(_dec(k), _dec(v), int(ln)) for k, v, ln in d[3]], line, int(d[2]))
    if tag == "F":
        value_expr = _dec(d[6])
        return ForE(d[2], str(d[3]), _dec(d[4]), _opt(d[5]), value_expr, _opt(d[7]), bool(d[8]), line)
    raise ValueError(f"unknown node {tag}")


__all__ = ["cache_folder", "load", "load_template", "store", "store_template"]
