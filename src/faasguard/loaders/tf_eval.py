"""Static evaluation of a Terraform configuration: what can be known without running it.

A root module and the modules it calls (local folders, and registry or git modules that
`terraform init` downloaded into `.terraform/modules`) become `ModuleInstance`s. Values are
computed on demand and remembered: variables (defaults, `terraform.tfvars`, `*.auto.tfvars`,
`--var-file`, `--var`, module inputs), locals, resource and data source arguments, references
between them, module outputs, string templates, the built-in functions that need no provider
or network, `file()` / `templatefile()` for files inside the scanned folder, `for` expressions,
`count` / `for_each` (one element stands for all: `count.index` and `each.key` are Unknown, and
`each.value.x` is known only when every element agrees) and dynamic blocks.

What needs a deployment (an ARN, an id, a data source that reads the account) is a `RefTo`
placeholder, and what cannot be known at all is `Unknown`, never a guess. A value that would be
an error in Terraform (a missing key, a wrong type) is the `Failed` kind of Unknown, which
`try()` and `can()` see through. Evaluation depth is bounded, so reference chains and cycles
end as Unknown instead of exhausting the stack.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import posixpath
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faasguard.limits import Limits
from faasguard.loaders.intrinsics import RefTo
from faasguard.loaders.nodes import LList, LMap
from faasguard.loaders.reader import ReadFailure, parse_json, parse_yaml, read_text
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
    parse_template,
)
from faasguard.loaders.tf_values import (
    Many,
    TList,
    TMap,
    TStr,
    json_text,
    number_text,
    plain,
)
from faasguard.model import SourceRef, Unknown


class Failed(Unknown):
    """An expression that Terraform itself would reject (a missing key, a wrong type)."""

    __slots__ = ()


_CFN_TEMPLATE = re.compile(r"""AWSTemplateFormatVersion|(?:Type|Transform)['"]?\s*:[\s\['"-]*AWS::""")
_MAX_EVAL_DEPTH = 120  # nested evaluations (reference chains, nesting) before giving up
_MAX_ITEMS = 100_000  # elements built by one range() / for expression
_MAX_MODULE_DEPTH = 12
# Module instances per root module, all levels together: a module calling the next one several
# times at each of 12 levels is exponential (5 calls a level: 5**12 instances, a hang).
_MAX_MODULE_INSTANCES = 2000

# Attributes whose value equals the resource's name argument when that is set.
ID_IS_NAME: dict[str, tuple[str, ...]] = {
    "aws_s3_bucket": ("bucket",),
    "aws_iam_role": ("name",),
    "aws_iam_user": ("name",),
    "aws_lambda_function": ("function_name",),
    "aws_dynamodb_table": ("name",),
    "aws_cloudwatch_log_group": ("name",),
    "aws_cloudwatch_event_rule": ("name",),
    "aws_api_gateway_domain_name": ("domain_name",),
    "aws_apigatewayv2_domain_name": ("domain_name",),
    "aws_secretsmanager_secret": (),
    "aws_cognito_user_pool": (),
}


@dataclass(slots=True)
class Ctx:
    mod: ModuleInstance
    path: str  # the file the expression is written in (scan-root relative)
    vars: dict[str, object]  # count / each / dynamic iterators / for and template variables
    template: bool = False  # a templatefile(): only its variables are in scope


class Evaluator:
    """Evaluates one root module (and the modules it calls) for one scan."""

    def __init__(
        self,
        root: Path,
        root_module: str,
        limits: Limits,
        parse_file: Callable[[str], tuple[Body | None, ReadFailure | None]],
    ) -> None:
        self.root = root  # the scan root (resolved)
        self.root_module = root_module  # folder of the root module, scan-root relative ("." for the root)
        self.limits = limits
        self.parse_file = parse_file  # scan-root relative path -> parsed body (cached by the caller)
        self.errors: list[tuple[str, int | None, str, str]] = []  # (path, line, message, kind)
        self.notes: list[tuple[str, int | None, str]] = []
        self.unknowns = 0
        self.files_read: set[str] = set()
        self.depth = 0
        self.modules_json: dict[str, str] | None = None
        self.instances: list[ModuleInstance] = []
        self.module_calls = 0

    # -- bookkeeping ------------------------------------------------------------------------------

    def unknown(self, reason: str, where: SourceRef | None = None) -> Unknown:
        self.unknowns += 1
        return Unknown(reason, where)

    def failed(self, reason: str, where: SourceRef | None = None) -> Failed:
        self.unknowns += 1
        return Failed(reason, where)

    def rel_to_root_module(self, rel_from_cwd: str) -> str | None:
        """A path as Terraform sees it (relative to the root module) as a scan-root relative path;
        None when it leaves the scanned folder."""
        if rel_from_cwd.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", rel_from_cwd):
            return None
        joined = posixpath.normpath(posixpath.join(self.root_module, rel_from_cwd.replace("\\", "/")))
        if joined == ".." or joined.startswith("../"):
            return None
        return joined

    def read_file(self, rel_from_cwd: str, where: SourceRef) -> TStr | Unknown:
        rel = self.rel_to_root_module(rel_from_cwd)
        if rel is None:
            self.errors.append(
                (
                    where.path,
                    where.line,
                    f"file {rel_from_cwd} leaves the scanned folder: not read",
                    "outside-root",
                )
            )
            return self.unknown(f"file {rel_from_cwd} outside the scanned folder", where)
        path = self.root / rel
        if not path.is_file():
            return self.failed(f"file {rel_from_cwd} not found", where)
        try:
            text = read_text(path, self.root, self.limits)
        except ReadFailure as exc:
            self.errors.append((rel, exc.line, exc.message, exc.kind))
            return self.unknown(f"file {rel_from_cwd} could not be read", where)
        if _CFN_TEMPLATE.search(text) is None:
            # A CloudFormation template read here (aws_cloudformation_stack) stays its own
            # application: the engine folds the files an application lists into it.
            self.files_read.add(rel)
        return TStr(text, rel, 1)

    # -- expressions ------------------------------------------------------------------------------

    def ev(self, expr: Expr, ctx: Ctx) -> object:
        """The value of an expression (collapsed: no namespaces or per-element views)."""
        return self.collapse(self.raw(expr, ctx), ctx, expr.line)

    def raw(self, expr: Expr, ctx: Ctx) -> object:
        self.depth += 1
        try:
            if self.depth > _MAX_EVAL_DEPTH:
                return self.unknown("expressions nested too deeply", SourceRef(ctx.path, expr.line))
            return self._raw(expr, ctx)
        finally:
            self.depth -= 1

    def _raw(self, expr: Expr, ctx: Ctx) -> object:
        kind = type(expr)
        if kind is Lit:
            return expr.value  # type: ignore[attr-defined]
        if kind is Tmpl:
            assert isinstance(expr, Tmpl)
            return self.template(expr, ctx)
        if kind is Var:
            assert isinstance(expr, Var)
            return self.variable(expr.name, ctx, expr.line)
        if kind is GetAttr:
            assert isinstance(expr, GetAttr)
            return self.step_attr(self.raw(expr.obj, ctx), expr.name, ctx, expr.line)
        if kind is Index:
            assert isinstance(expr, Index)
            obj = self.raw(expr.obj, ctx)
            return self.step_index(obj, self.ev(expr.key, ctx), ctx, expr.line)
        if kind is Splat:
            assert isinstance(expr, Splat)
            return self.splat(expr, ctx)
        if kind is Call:
            assert isinstance(expr, Call)
            return self.call(expr, ctx)
        if kind is Cond:
            assert isinstance(expr, Cond)
            return self.conditional(expr, ctx)
        if kind is BinOp:
            assert isinstance(expr, BinOp)
            return self.binop(expr, ctx)
        if kind is Unary:
            assert isinstance(expr, Unary)
            v = self.ev(expr.expr, ctx)
            if isinstance(v, Unknown):
                return v
            if expr.op == "!":
                return (not v) if isinstance(v, bool) else self.failed("! of a non-boolean")
            n = _num(v)
            return -n if n is not None else self.failed("- of a non-number")
        if kind is TupleE:
            assert isinstance(expr, TupleE)
            out = TList(ctx.path, expr.line, expr.end_line)
            for item in expr.items:
                out.add(self.ev(item, ctx), item.line)
            return out
        if kind is ObjectE:
            assert isinstance(expr, ObjectE)
            return self.object_value(expr, ctx)
        if kind is ForE:
            assert isinstance(expr, ForE)
            return self.for_expr(expr, ctx)
        return self.unknown("unsupported expression", SourceRef(ctx.path, expr.line))

    def object_value(self, expr: ObjectE, ctx: Ctx) -> object:
        out = TMap(ctx.path, expr.line, expr.end_line)
        for key_expr, value_expr, line in expr.items:
            if isinstance(key_expr, Var):
                key: object = key_expr.name
            else:
                key = self.ev(key_expr, ctx)
            if isinstance(key, Unknown):
                return key  # a map with an unknown key: the whole map is unknown
            if isinstance(key, bool):
                key = "true" if key else "false"
            elif isinstance(key, (int, float)):
                key = number_text(key)
            elif isinstance(key, RefTo):
                key = key.placeholder()
            if not isinstance(key, str):
                return self.failed("a map key that is not a string", SourceRef(ctx.path, line))
            out.put(str(key), self.ev(value_expr, ctx), ctx.path, line)
        return out

    def collapse(self, value: object, ctx: Ctx, line: int) -> object:
        if isinstance(value, Many):
            values = [self.collapse(v, ctx, line) for v in value.values]
            if not values:
                return self.unknown("each.value of an empty collection")
            first = values[0]
            if all(_same(first, v) for v in values[1:]):
                return first
            return self.unknown("differs between for_each elements", SourceRef(ctx.path, line))
        if isinstance(value, _Namespace):
            return value.as_value(self)
        return value

    # -- references -------------------------------------------------------------------------------

    def variable(self, name: str, ctx: Ctx, line: int) -> object:
        if name in ctx.vars:
            return ctx.vars[name]
        where = SourceRef(ctx.path, line)
        if ctx.template:
            return self.failed(f"{name} is not a variable of the template", where)
        mod = ctx.mod
        if name == "var":
            return _VarNS(mod)
        if name == "local":
            return _LocalNS(mod)
        if name == "module":
            return _ModuleNS(mod)
        if name == "data":
            return _DataNS(mod)
        if name == "path":
            return _PathNS(mod)
        if name == "terraform":
            return _TerraformNS()
        if name in ("count", "each", "self"):
            return self.failed(f"{name} used outside a resource that sets it", where)
        if name in mod.resource_types:
            return _TypeNS(mod, name, data=False)
        return self.failed(f"reference to undeclared {name}", where)

    def step_attr(self, obj: object, name: str, ctx: Ctx, line: int) -> object:
        if isinstance(obj, _Namespace):
            return obj.attr(self, name, ctx, line)
        if isinstance(obj, Many):
            return Many([self.step_attr(v, name, ctx, line) for v in obj.values])
        if isinstance(obj, Unknown):
            return obj
        if isinstance(obj, dict):
            if name in obj:
                return obj[name]
            return self.failed(f"no attribute {name}", SourceRef(ctx.path, line))
        if isinstance(obj, RefTo):
            return RefTo(obj.logical_id, f"{obj.attribute}.{name}" if obj.attribute else name)
        if obj is None:
            return self.failed(f"attribute {name} of null", SourceRef(ctx.path, line))
        return self.failed(f"attribute {name} of a {type(obj).__name__}", SourceRef(ctx.path, line))

    def step_index(self, obj: object, key: object, ctx: Ctx, line: int) -> object:
        if isinstance(obj, _Namespace):
            return obj.index(self, key, ctx, line)
        if isinstance(obj, Many):
            return Many([self.step_index(v, key, ctx, line) for v in obj.values])
        if isinstance(obj, Unknown):
            return obj
        if isinstance(key, Unknown):
            if isinstance(obj, list) and obj and all(_same(obj[0], v) for v in obj[1:]):
                return obj[0]
            return key
        if isinstance(obj, list):
            i = _num(key)
            if i is None or not float(i).is_integer():
                return self.failed("a list index that is not a number", SourceRef(ctx.path, line))
            if 0 <= int(i) < len(obj):
                return obj[int(i)]
            return self.failed(f"index {int(i)} out of range", SourceRef(ctx.path, line))
        if isinstance(obj, dict):
            skey = _key_text(key)
            if skey is not None and skey in obj:
                return obj[skey]
            return self.failed(f"no key {skey}", SourceRef(ctx.path, line))
        if isinstance(obj, RefTo):
            return obj
        return self.failed("index into a value that is not a collection", SourceRef(ctx.path, line))

    def splat(self, expr: Splat, ctx: Ctx) -> object:
        obj = self.raw(expr.obj, ctx)
        if isinstance(obj, _Namespace):
            items: list[object] = obj.splat_items(self)
        else:
            obj = self.collapse(obj, ctx, expr.line)
            if isinstance(obj, Unknown):
                return obj
            if obj is None:
                items = []
            elif isinstance(obj, list):
                items = list(obj)
            else:
                items = [obj]
        out = TList(ctx.path, expr.line, expr.line)
        for item in items:
            value = item
            for kind, arg in expr.steps:
                if kind == "attr":
                    value = self.step_attr(value, str(arg), ctx, expr.line)
                else:
                    assert isinstance(arg, Expr)
                    value = self.step_index(value, self.ev(arg, ctx), ctx, expr.line)
            out.add(self.collapse(value, ctx, expr.line), expr.line)
        return out

    # -- templates, operators, conditionals, for --------------------------------------------------

    def template(self, expr: Tmpl, ctx: Ctx) -> object:
        path = expr.path or ctx.path
        pieces: list[str] = []
        unknown = self._render(expr.parts, ctx, pieces)
        if unknown is not None:
            return unknown
        return TStr("".join(pieces), path, expr.line)

    def _render(self, parts: list[TPart], ctx: Ctx, out: list[str]) -> Unknown | None:
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, Expr):
                value = self.ev(part, ctx)
                text = self.to_text(value, ctx, part.line)
                if isinstance(text, Unknown):
                    return text
                out.append(text)
            elif isinstance(part, TIf):
                cond = self.ev(part.cond, ctx)
                if isinstance(cond, Unknown):
                    return cond
                branch = part.then if _truthy(cond) else part.else_
                bad = self._render(branch, ctx, out)
                if bad is not None:
                    return bad
            elif isinstance(part, TFor):
                coll = self.ev(part.coll, ctx)
                if isinstance(coll, Unknown):
                    return coll
                for k, v in _pairs(coll):
                    inner = Ctx(ctx.mod, ctx.path, {**ctx.vars, part.value: v}, ctx.template)
                    if part.key:
                        inner.vars[part.key] = k
                    bad = self._render(part.body, inner, out)
                    if bad is not None:
                        return bad
        return None

    def to_text(self, value: object, ctx: Ctx, line: int) -> str | Unknown:
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return number_text(value)
        if isinstance(value, RefTo):
            return value.placeholder()
        if isinstance(value, Unknown):
            return value
        if value is None:
            return self.failed("null in a string template", SourceRef(ctx.path, line))
        return self.failed("a collection in a string template", SourceRef(ctx.path, line))

    def binop(self, expr: BinOp, ctx: Ctx) -> object:
        op = expr.op
        left = self.ev(expr.left, ctx)
        if op in ("&&", "||"):
            if isinstance(left, bool) and ((op == "&&" and not left) or (op == "||" and left)):
                return left
            right = self.ev(expr.right, ctx)
            if isinstance(right, Unknown):
                return right
            if isinstance(left, Unknown):
                return left
            if isinstance(left, bool) and isinstance(right, bool):
                return (left and right) if op == "&&" else (left or right)
            return self.failed(f"{op} of non-booleans")
        right = self.ev(expr.right, ctx)
        if op in ("==", "!="):
            if isinstance(left, Unknown):
                return left
            if isinstance(right, Unknown):
                return right
            refs = isinstance(left, RefTo) or isinstance(right, RefTo)
            if refs and not (isinstance(left, RefTo) and isinstance(right, RefTo) and left == right):
                return self.unknown("comparison with a value known only after deployment")
            equal = _same(left, right)
            return equal if op == "==" else not equal
        if isinstance(left, Unknown):
            return left
        if isinstance(right, Unknown):
            return right
        a, b = _num(left), _num(right)
        if a is None or b is None:
            return self.failed(f"{op} of non-numbers", SourceRef(ctx.path, expr.line))
        try:
            if op == "+":
                return _int(a + b)
            if op == "-":
                return _int(a - b)
            if op == "*":
                return _int(a * b)
            if op == "/":
                return _int(a / b)
            if op == "%":
                return _int(math.fmod(a, b))
            if op == "<":
                return a < b
            if op == ">":
                return a > b
            if op == "<=":
                return a <= b
            if op == ">=":
                return a >= b
        except (ZeroDivisionError, ValueError, OverflowError):
            return self.failed(f"arithmetic error in {op}", SourceRef(ctx.path, expr.line))
        return self.failed(f"unknown operator {op}")

    def conditional(self, expr: Cond, ctx: Ctx) -> object:
        cond = self.ev(expr.cond, ctx)
        if isinstance(cond, bool):
            return self.ev(expr.then if cond else expr.else_, ctx)
        if isinstance(cond, str) and cond in ("true", "false"):
            return self.ev(expr.then if cond == "true" else expr.else_, ctx)
        a = self.ev(expr.then, ctx)
        b = self.ev(expr.else_, ctx)
        if _same(a, b):
            return a
        if isinstance(cond, Unknown):
            return self.unknown(
                f"a condition that is not known ({cond.reason})", SourceRef(ctx.path, expr.line)
            )
        return self.failed("a condition that is not a boolean", SourceRef(ctx.path, expr.line))

    def for_expr(self, expr: ForE, ctx: Ctx) -> object:
        coll = self.ev(expr.coll, ctx)
        if isinstance(coll, Unknown):
            return coll
        if not isinstance(coll, (list, dict)):
            return self.failed("for over a value that is not a collection", SourceRef(ctx.path, expr.line))
        is_obj = expr.key_expr is not None
        out_map = TMap(ctx.path, expr.line, expr.line)
        out_list = TList(ctx.path, expr.line, expr.line)
        count = 0
        for k, v in _pairs(coll):
            count += 1
            if count > _MAX_ITEMS:
                return self.unknown("for expression over too many elements")
            inner = Ctx(ctx.mod, ctx.path, {**ctx.vars, expr.value_var: v}, ctx.template)
            if expr.key_var:
                inner.vars[expr.key_var] = k
            if expr.cond is not None:
                keep = self.ev(expr.cond, inner)
                if isinstance(keep, Unknown):
                    return keep
                if not _truthy(keep):
                    continue
            value = self.ev(expr.value_expr, inner)
            if is_obj:
                assert expr.key_expr is not None
                key = self.ev(expr.key_expr, inner)
                skey = _key_text(key)
                if skey is None:
                    return key if isinstance(key, Unknown) else self.failed("a for key that is not a string")
                if expr.group:
                    group = out_map.get(skey)
                    if not isinstance(group, TList):
                        group = TList(ctx.path, expr.line, expr.line)
                        out_map.put(skey, group, ctx.path, expr.line)
                    group.add(value, expr.line)
                else:
                    out_map.put(skey, value, ctx.path, expr.line)
            else:
                out_list.add(value, expr.line)
        return out_map if is_obj else out_list

    # -- functions --------------------------------------------------------------------------------

    def call(self, expr: Call, ctx: Ctx) -> object:
        name = expr.name
        where = SourceRef(ctx.path, expr.line)
        if name == "try":
            last: object = self.failed("try() with no argument that works", where)
            for arg in expr.args:
                value = self.ev(arg, ctx)
                if isinstance(value, Failed):
                    last = value
                    continue
                return value
            return last
        if name == "can":
            value = self.ev(expr.args[0], ctx) if expr.args else None
            if isinstance(value, Failed):
                return False
            if isinstance(value, Unknown):
                return value
            return True
        args = [self.ev(a, ctx) for a in expr.args]
        if expr.expand and args:
            tail = args.pop()
            if isinstance(tail, Unknown):
                return tail
            if not isinstance(tail, list):
                return self.failed("... of a value that is not a list", where)
            args.extend(tail)
        fn = FUNCTIONS.get(name)
        if fn is None:
            return self.unknown(f"function {name}() is not evaluated", where)
        if name not in _TAKES_UNKNOWN:
            for a in args:
                if isinstance(a, Unknown):
                    return a
        try:
            return fn(self, args, ctx, where)
        except (TypeError, ValueError, IndexError, KeyError, AttributeError, OverflowError, re.error):
            return self.failed(f"{name}() could not be evaluated with these arguments", where)
        except RecursionError:
            return self.unknown(f"{name}() nested too deeply", where)

    # -- modules ----------------------------------------------------------------------------------

    def module_dir(self, call: Decl, source: object) -> str | None:
        """The folder (scan-root relative) of a called module, or None (with a note) when the
        module is not in the checkout."""
        parent = call.mod
        where = SourceRef(call.path, call.block.line)
        key = (parent.key + "." if parent.key else "") + call.name
        if isinstance(source, str) and (source.startswith("./") or source.startswith("../")):
            folder = posixpath.normpath(posixpath.join(parent.folder, source))
            if folder == ".." or folder.startswith("../"):
                self.errors.append(
                    (
                        call.path,
                        call.block.line,
                        f"module source {source} leaves the scanned folder: not read",
                        "outside-root",
                    )
                )
                return None
            if not (self.root / folder).is_dir():
                self.errors.append(
                    (
                        call.path,
                        call.block.line,
                        f"module source {source} not found: its parts are unknown",
                        "io",
                    )
                )
                return None
            return folder
        manifest = self._modules_json()
        if key in manifest:
            downloaded = self.rel_to_root_module(manifest[key])
            if downloaded is not None and (self.root / downloaded).is_dir():
                return downloaded
        label = source if isinstance(source, str) else "an unresolved source"
        self.notes.append(
            (
                where.path,
                where.line,
                f"module {call.name} ({label}) is not downloaded (.terraform/modules): its resources "
                "and outputs are unknown",
            )
        )
        return None

    def module_files(self, folder: str) -> list[tuple[str, Body]]:
        """The parsed .tf / .tf.json files of a module folder (scan-root relative), in name order."""
        import os

        base = self.root / folder if folder != "." else self.root
        try:
            names = sorted(
                e.name
                for e in os.scandir(base)
                if e.name.endswith((".tf", ".tf.json")) and e.is_file(follow_symlinks=True)
            )
        except OSError as exc:
            self.errors.append((folder, None, f"cannot list module folder: {exc.strerror or exc}", "io"))
            return []
        return module_folder_files(self, folder, names)

    def _modules_json(self) -> dict[str, str]:
        if self.modules_json is None:
            self.modules_json = {}
            rel = self.rel_to_root_module(".terraform/modules/modules.json")
            path = self.root / rel if rel else None
            if path is not None and path.is_file():
                try:
                    data = json.loads(read_text(path, self.root, self.limits))
                except (ReadFailure, ValueError):
                    data = {}
                for entry in data.get("Modules", []) if isinstance(data, dict) else []:
                    if isinstance(entry, dict) and isinstance(entry.get("Key"), str):
                        folder = entry.get("Dir")
                        if isinstance(folder, str) and entry["Key"]:
                            self.modules_json[entry["Key"]] = folder.replace("\\", "/")
        return self.modules_json


# --- module instances and declarations -----------------------------------------------------------


class ModuleInstance:
    """One module of the configuration: its files, declarations and (lazy) values."""

    def __init__(
        self,
        ev: Evaluator,
        folder: str,
        prefix: str,
        key: str,
        files: list[tuple[str, Body]],
        inputs: dict[str, tuple[Attribute, Ctx]] | None,
        depth: int = 0,
    ) -> None:
        self.ev = ev
        self.folder = folder  # scan-root relative
        self.prefix = prefix  # "" or "module.a.module.b."
        self.key = key  # "" or "a.b" (as in .terraform/modules/modules.json)
        self.depth = depth
        self.inputs = inputs  # None: the root module
        self.variables: dict[str, Block] = {}
        self.locals: dict[str, tuple[Attribute, str]] = {}
        self.outputs: dict[str, tuple[Attribute, str]] = {}
        self.resources: dict[str, Decl] = {}
        self.data: dict[str, Decl] = {}
        self.calls: dict[str, Decl] = {}
        self.resource_types: set[str] = set()
        self.root_values: dict[str, tuple[object, SourceRef | None]] = {}  # tfvars / --var (root only)
        self.lineage: tuple[str, ...] = (folder,)
        self.source = ""  # the module call's source argument ("" for the root module)
        self._values: dict[str, object] = {}
        self._children: dict[str, ModuleInstance | None] = {}
        for path, body in files:
            self._declare(path, body)
        ev.instances.append(self)

    @property
    def path_module(self) -> str:
        """`path.module`: this module's folder relative to the root module (Terraform's cwd)."""
        root = self.ev.root_module
        if root == ".":
            return self.folder if self.folder != "." else "."
        rel = posixpath.relpath(self.folder, root)
        return rel

    def _declare(self, path: str, body: Body) -> None:
        for block in body.blocks:
            kind = block.type
            if kind == "resource" and len(block.labels) >= 2:
                rtype, name = block.labels[0], block.labels[1]
                decl = self.resources.get(f"{rtype}.{name}")
                if decl is not None and _is_override(path):
                    _override(decl.block, block)
                    continue
                self.resources[f"{rtype}.{name}"] = Decl(self, "resource", rtype, name, block, path)
                self.resource_types.add(rtype)
            elif kind == "data" and len(block.labels) >= 2:
                rtype, name = block.labels[0], block.labels[1]
                decl = self.data.get(f"{rtype}.{name}")
                if decl is not None and _is_override(path):
                    _override(decl.block, block)
                    continue
                self.data[f"{rtype}.{name}"] = Decl(self, "data", rtype, name, block, path)
            elif kind == "module" and block.labels:
                decl = self.calls.get(block.labels[0])
                if decl is not None and _is_override(path):
                    _override(decl.block, block)
                    continue
                self.calls[block.labels[0]] = Decl(self, "module", "module", block.labels[0], block, path)
            elif kind == "variable" and block.labels:
                old = self.variables.get(block.labels[0])
                if old is not None and _is_override(path):
                    _override(old, block)
                    continue
                block.path = path
                self.variables[block.labels[0]] = block
            elif kind == "locals":
                for name, attr in block.body.attrs.items():
                    self.locals[name] = (attr, path)
            elif kind == "output" and block.labels:
                value = block.body.attrs.get("value")
                if value is not None:
                    self.outputs[block.labels[0]] = (value, path)

    def ctx(self, path: str, bindings: dict[str, object] | None = None) -> Ctx:
        return Ctx(self, path, dict(bindings or {}))

    # -- values -----------------------------------------------------------------------------------

    def var(self, name: str, line: int, path: str) -> object:
        key = "var." + name
        if key in self._values:
            value = self._values[key]
            return value if value is not _BUSY else self.ev.unknown(f"var.{name} refers to itself")
        block = self.variables.get(name)
        if block is None:
            return self.ev.failed(f"undeclared variable {name}", SourceRef(path, line))
        self._values[key] = _BUSY
        value = self._var_value(name, block)
        value = _convert(value, block.body.attrs.get("type"))
        self._values[key] = value
        return value

    def _var_value(self, name: str, block: Block) -> object:
        ev = self.ev
        if self.inputs is not None and name in self.inputs:
            attr, ctx = self.inputs[name]
            value = ev.ev(attr.expr, ctx)
            if value is not None:
                return value
        if self.inputs is None and name in self.root_values:
            return self.root_values[name][0]
        default = block.body.attrs.get("default")
        if default is not None:
            return ev.ev(default.expr, self.ctx(block.path))
        return ev.unknown(
            f"variable {name} has no default and no value", SourceRef(block.path, block.line, block.end_line)
        )

    def local(self, name: str, line: int, path: str) -> object:
        key = "local." + name
        if key in self._values:
            value = self._values[key]
            return value if value is not _BUSY else self.ev.unknown(f"local.{name} refers to itself")
        found = self.locals.get(name)
        if found is None:
            return self.ev.failed(f"undeclared local {name}", SourceRef(path, line))
        attr, fpath = found
        self._values[key] = _BUSY
        value = self.ev.ev(attr.expr, self.ctx(fpath))
        self._values[key] = value
        return value

    def output(self, name: str) -> object:
        key = "output." + name
        if key in self._values:
            value = self._values[key]
            return value if value is not _BUSY else self.ev.unknown(f"output {name} refers to itself")
        found = self.outputs.get(name)
        if found is None:
            return self.ev.failed(f"module has no output {name}")
        attr, fpath = found
        self._values[key] = _BUSY
        value = self.ev.ev(attr.expr, self.ctx(fpath))
        self._values[key] = value
        return value

    def child(self, name: str) -> ModuleInstance | None:
        if name in self._children:
            return self._children[name]
        self._children[name] = None  # a module that (indirectly) calls itself stops here
        call = self.calls.get(name)
        if call is None:
            return None
        present, bindings = call.presence()
        if present is False:
            return None
        if self.depth + 1 > _MAX_MODULE_DEPTH:
            self.ev.errors.append(
                (
                    call.path,
                    call.block.line,
                    f"modules nested deeper than {_MAX_MODULE_DEPTH}: not read",
                    "bound",
                )
            )
            return None
        src_attr = call.block.body.attrs.get("source")
        source = self.ev.ev(src_attr.expr, self.ctx(call.path)) if src_attr is not None else None
        folder = self.ev.module_dir(call, source)
        if folder is None:
            return None
        if folder in self.lineage:
            self.ev.errors.append(
                (
                    call.path,
                    call.block.line,
                    f"module {name} calls a module that calls it back: not read",
                    "bound",
                )
            )
            return None
        if self.ev.module_calls >= _MAX_MODULE_INSTANCES:
            self.ev.errors.append(
                (
                    call.path,
                    call.block.line,
                    f"more than {_MAX_MODULE_INSTANCES} module instances: module {name} not read",
                    "bound",
                )
            )
            return None
        self.ev.module_calls += 1
        files = self.ev.module_files(folder)
        ctx = self.ctx(call.path, bindings)
        inputs = {
            k: (a, ctx)
            for k, a in call.block.body.attrs.items()
            if k not in ("source", "version", "count", "for_each", "providers", "depends_on")
        }
        key = (self.key + "." if self.key else "") + name
        inst = ModuleInstance(
            self.ev, folder, f"{self.prefix}module.{name}.", key, files, inputs, self.depth + 1
        )
        inst.lineage = (*self.lineage, folder)
        inst.source = source if isinstance(source, str) else ""
        self._children[name] = inst
        return inst


_BUSY = object()


def _is_override(path: str) -> bool:
    base = posixpath.basename(path)
    stem = base.removesuffix(".json").removesuffix(".tf")
    return stem == "override" or stem.endswith("_override")


def _override(target: Block, extra: Block) -> None:
    """Terraform's override files: their arguments replace the original block's."""
    target.body.attrs.update(extra.body.attrs)
    if extra.body.blocks:
        kinds = {b.type for b in extra.body.blocks}
        target.body.blocks = [b for b in target.body.blocks if b.type not in kinds] + extra.body.blocks


class Decl:
    """A resource, data source or module call declared in a module."""

    __slots__ = ("_presence", "_view", "addr", "block", "kind", "mod", "name", "path", "type")

    def __init__(
        self, mod: ModuleInstance, kind: str, rtype: str, name: str, block: Block, path: str
    ) -> None:
        self.mod = mod
        self.kind = kind
        self.type = rtype
        self.name = name
        self.block = block
        self.path = path
        if kind == "resource":
            self.addr = f"{mod.prefix}{rtype}.{name}"
        elif kind == "data":
            self.addr = f"{mod.prefix}data.{rtype}.{name}"
        else:
            self.addr = f"{mod.prefix}module.{name}"
        self._presence: tuple[bool | None, dict[str, object]] | None = None
        self._view: RBlock | None = None

    @property
    def multi(self) -> bool:
        attrs = self.block.body.attrs
        return "count" in attrs or "for_each" in attrs

    def presence(self) -> tuple[bool | None, dict[str, object]]:
        """(exists: True, False or None when unknown; the count/each bindings of its body)."""
        if self._presence is not None:
            return self._presence
        self._presence = (None, {})  # while computing: a for_each naming itself sees nothing
        ev = self.mod.ev
        attrs = self.block.body.attrs
        ctx = self.mod.ctx(self.path)
        result: tuple[bool | None, dict[str, object]] = (True, {})
        if "count" in attrs:
            n = ev.ev(attrs["count"].expr, ctx)
            num = _num(n)
            if isinstance(n, Unknown):
                result = (None, {"count": {"index": ev.unknown("count.index")}})
            elif num is None:
                result = (None, {"count": {"index": ev.failed("count is not a number")}})
            elif num <= 0:
                result = (False, {})
            elif num == 1:
                result = (True, {"count": {"index": 0}})
            else:
                result = (True, {"count": {"index": ev.unknown("count.index (one element stands for all)")}})
        elif "for_each" in attrs:
            coll = ev.ev(attrs["for_each"].expr, ctx)
            if isinstance(coll, Unknown):
                u = ev.unknown("each of an unknown for_each")
                result = (None, {"each": {"key": u, "value": u}})
            elif isinstance(coll, (dict, list)) and not coll:
                result = (False, {})
            elif isinstance(coll, dict):
                keys = list(coll.keys())
                key: object = (
                    keys[0] if len(keys) == 1 else ev.unknown("each.key (one element stands for all)")
                )
                result = (True, {"each": {"key": key, "value": Many(list(coll.values()))}})
            elif isinstance(coll, list):
                key = coll[0] if len(coll) == 1 else ev.unknown("each.key (one element stands for all)")
                result = (True, {"each": {"key": key, "value": Many(list(coll))}})
            else:
                result = (None, {"each": {"key": ev.failed("for_each"), "value": ev.failed("for_each")}})
        self._presence = result
        return result

    def view(self) -> RBlock:
        if self._view is None:
            _, bindings = self.presence()
            self._view = RBlock(self.mod.ev, self.block, self.mod.ctx(self.path, bindings), self.addr)
        return self._view

    def attribute(self, name: str, line: int, path: str) -> object:
        """`type.name.attr` from elsewhere in the module."""
        ev = self.mod.ev
        special = _special_attr(self, name)
        if special is not _NONE:
            return special
        view = self.view()
        if view.has(name):
            value = view.get(name)
            if isinstance(value, Unknown):
                return RefTo(self.addr, name)  # unknown, but still this resource's attribute
            if isinstance(value, str):
                return TStr(
                    value,
                    getattr(value, "path", None),
                    getattr(value, "line", 0),
                    self.addr,
                    getattr(value, "data", None),
                )
            return value
        if name == "id":
            for arg in ID_IS_NAME.get(self.type, ()):
                if view.has(arg):
                    value = view.get(arg)
                    if isinstance(value, str):
                        return TStr(value, None, 0, self.addr)
        nested = view.blocks(name)
        if nested:
            out = TList(self.path, line, line)
            for blk in nested:
                out.add(blk.as_map(), blk.src.line)
            return out
        _ = ev
        return RefTo(self.addr, name)


_NONE = object()


def _special_attr(decl: Decl, name: str) -> object:
    """Attributes of data sources that are computed from their arguments, statically."""
    if decl.kind != "data":
        return _NONE
    ev = decl.mod.ev
    if decl.type == "aws_iam_policy_document" and name in ("json", "minified_json"):
        from faasguard.loaders.tf_policy import document_from_block

        doc = document_from_block(decl.view(), ev)
        return TStr(json_text(doc), decl.path, decl.block.line, decl.addr, doc)
    if decl.type == "aws_partition":
        if name == "partition":
            return "aws"
        if name == "dns_suffix":
            return "amazonaws.com"
    if decl.type == "template_file" and name == "rendered":
        view = decl.view()
        text = view.get("template")
        variables = view.get("vars") or {}
        if isinstance(text, Unknown):
            return text
        if not isinstance(text, str) or not isinstance(variables, dict):
            return ev.unknown("template_file that could not be read")
        return render_template(
            ev,
            text,
            dict(variables),
            getattr(text, "path", None) or decl.path,
            getattr(text, "line", 0) or decl.block.line,
        )
    if decl.type == "local_file" and name == "content":
        filename = decl.view().get("filename")
        if isinstance(filename, str):
            return ev.read_file(filename, decl.view().src)
        return filename if isinstance(filename, Unknown) else ev.unknown("local_file without a filename")
    return _NONE


class RBlock:
    """A block with its evaluation context; arguments are evaluated on first use."""

    __slots__ = ("_memo", "addr", "block", "ctx", "ev")

    def __init__(self, ev: Evaluator, block: Block, ctx: Ctx, addr: str) -> None:
        self.ev = ev
        self.block = block
        self.ctx = ctx
        self.addr = addr
        self._memo: dict[str, object] = {}

    @property
    def path(self) -> str:
        return self.ctx.path

    @property
    def src(self) -> SourceRef:
        return SourceRef(self.ctx.path, self.block.line, max(self.block.end_line, self.block.line))

    def has(self, name: str) -> bool:
        """Set, and not to null (Terraform treats an argument set to null as left out)."""
        return name in self.block.body.attrs and self.get(name) is not None

    def get(self, name: str, default: object = None) -> object:
        attr = self.block.body.attrs.get(name)
        if attr is None:
            return default
        if name in self._memo:
            value = self._memo[name]
            if value is _BUSY:
                return self.ev.unknown(f"{self.addr}.{name} refers to itself")
            return value
        self._memo[name] = _BUSY
        value = self.ev.ev(attr.expr, self.ctx)
        self._memo[name] = value
        return value

    def at(self, name: str) -> SourceRef | None:
        attr = self.block.body.attrs.get(name)
        if attr is None or self.get(name) is None:
            return None
        return SourceRef(self.ctx.path, attr.line, max(attr.end_line, attr.line))

    def names(self) -> list[str]:
        return list(self.block.body.attrs)

    def blocks(self, kind: str) -> list[BlockView]:
        out: list[BlockView] = []
        for child in self.block.body.blocks:
            if child.type == kind:
                out.append(RBlock(self.ev, child, self.ctx, self.addr))
            elif child.type == "dynamic" and child.labels and child.labels[0] == kind:
                out.extend(self._dynamic(child, kind))
        if not out and kind in self.block.body.attrs:  # the JSON syntax, or `block = {...}`
            value = self.get(kind)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, TMap):
                    out.append(MapBlock(item, self.ev))
        return out

    def _dynamic(self, dyn: Block, kind: str) -> Iterator[BlockView]:
        attrs = dyn.body.attrs
        content = next((b for b in dyn.body.blocks if b.type == "content"), None)
        if content is None:
            return
        iterator = kind
        if "iterator" in attrs and isinstance(attrs["iterator"].expr, Var):
            iterator = attrs["iterator"].expr.name
        coll = self.ev.ev(attrs["for_each"].expr, self.ctx) if "for_each" in attrs else None
        if isinstance(coll, (list, dict)):
            for i, (k, v) in enumerate(_pairs(coll)):
                if i >= _MAX_ITEMS:
                    break
                ctx = Ctx(self.ctx.mod, self.ctx.path, {**self.ctx.vars, iterator: {"key": k, "value": v}})
                yield RBlock(self.ev, content, ctx, self.addr)
            return
        u = coll if isinstance(coll, Unknown) else self.ev.unknown(f"for_each of dynamic {kind}")
        ctx = Ctx(self.ctx.mod, self.ctx.path, {**self.ctx.vars, iterator: {"key": u, "value": u}})
        yield RBlock(self.ev, content, ctx, self.addr)

    def as_map(self) -> TMap:
        out = TMap(self.ctx.path, self.block.line, self.block.end_line)
        for name, attr in self.block.body.attrs.items():
            out.put(name, self.get(name), self.ctx.path, attr.line)
        for child in self.block.body.blocks:
            if child.type in ("dynamic", "lifecycle", "provisioner", "connection"):
                continue
            group = out.get(child.type)
            if not isinstance(group, TList):
                group = TList(self.ctx.path, child.line, child.end_line)
                out.put(child.type, group, self.ctx.path, child.line)
            group.add(RBlock(self.ev, child, self.ctx, self.addr).as_map(), child.line)
        return out


class MapBlock:
    """A block written as an object value (JSON syntax), with the same reading interface."""

    __slots__ = ("ev", "map")

    def __init__(self, value: TMap, ev: Evaluator) -> None:
        self.map = value
        self.ev = ev

    @property
    def path(self) -> str:
        return self.map.path

    @property
    def src(self) -> SourceRef:
        return self.map.ref()

    def has(self, name: str) -> bool:
        return self.map.get(name) is not None

    def get(self, name: str, default: object = None) -> object:
        return self.map.get(name, default)

    def at(self, name: str) -> SourceRef | None:
        return self.map.ref(name) if self.map.get(name) is not None else None

    def names(self) -> list[str]:
        return list(self.map)

    def blocks(self, kind: str) -> list[BlockView]:
        value = self.map.get(kind)
        return [
            MapBlock(v, self.ev)
            for v in (value if isinstance(value, list) else [value])
            if isinstance(v, TMap)
        ]

    def as_map(self) -> TMap:
        return self.map


BlockView = RBlock | MapBlock


# --- namespaces (what `var`, `aws_s3_bucket`, `module` ... name before an attribute) ----------------


class _Namespace:
    def attr(self, ev: Evaluator, name: str, ctx: Ctx, line: int) -> object:
        return ev.failed(f"unsupported reference .{name}", SourceRef(ctx.path, line))

    def index(self, ev: Evaluator, key: object, ctx: Ctx, line: int) -> object:
        return ev.failed("index into a namespace", SourceRef(ctx.path, line))

    def splat_items(self, ev: Evaluator) -> list[object]:
        return [self]

    def as_value(self, ev: Evaluator) -> object:
        return ev.unknown("a namespace used as a value")


class _VarNS(_Namespace):
    def __init__(self, mod: ModuleInstance) -> None:
        self.mod = mod

    def attr(self, ev: Evaluator, name: str, ctx: Ctx, line: int) -> object:
        return self.mod.var(name, line, ctx.path)


class _LocalNS(_Namespace):
    def __init__(self, mod: ModuleInstance) -> None:
        self.mod = mod

    def attr(self, ev: Evaluator, name: str, ctx: Ctx, line: int) -> object:
        return self.mod.local(name, line, ctx.path)


class _PathNS(_Namespace):
    def __init__(self, mod: ModuleInstance) -> None:
        self.mod = mod

    def attr(self, ev: Evaluator, name: str, ctx: Ctx, line: int) -> object:
        if name == "module":
            return self.mod.path_module
        if name in ("root", "cwd"):
            return "."
        return ev.failed(f"path.{name}", SourceRef(ctx.path, line))


class _TerraformNS(_Namespace):
    def attr(self, ev: Evaluator, name: str, ctx: Ctx, line: int) -> object:
        return ev.unknown(f"terraform.{name} is chosen at run time", SourceRef(ctx.path, line))


class _DataNS(_Namespace):
    def __init__(self, mod: ModuleInstance) -> None:
        self.mod = mod

    def attr(self, ev: Evaluator, name: str, ctx: Ctx, line: int) -> object:
        return _TypeNS(self.mod, name, data=True)


class _TypeNS(_Namespace):
    def __init__(self, mod: ModuleInstance, rtype: str, data: bool) -> None:
        self.mod = mod
        self.rtype = rtype
        self.data = data

    def attr(self, ev: Evaluator, name: str, ctx: Ctx, line: int) -> object:
        table = self.mod.data if self.data else self.mod.resources
        decl = table.get(f"{self.rtype}.{name}")
        if decl is None:
            what = "data source" if self.data else "resource"
            return ev.failed(f"undeclared {what} {self.rtype}.{name}", SourceRef(ctx.path, line))
        return _DeclView(decl)


class _DeclView(_Namespace):
    """A resource or data source: an attribute step reads it; an index picks one element."""

    def __init__(self, decl: Decl, picked: bool = False) -> None:
        self.decl = decl
        self.picked = picked

    def attr(self, ev: Evaluator, name: str, ctx: Ctx, line: int) -> object:
        present, _ = self.decl.presence()
        if present is False:
            return ev.failed(f"{self.decl.addr} has count 0 or an empty for_each", SourceRef(ctx.path, line))
        return self.decl.attribute(name, line, ctx.path)

    def index(self, ev: Evaluator, key: object, ctx: Ctx, line: int) -> object:
        return _DeclView(self.decl, picked=True)

    def splat_items(self, ev: Evaluator) -> list[object]:
        present, _ = self.decl.presence()
        if present is False:
            return []
        return [_DeclView(self.decl, picked=True)]

    def as_value(self, ev: Evaluator) -> object:
        return RefTo(self.decl.addr)


class _ModuleNS(_Namespace):
    def __init__(self, mod: ModuleInstance) -> None:
        self.mod = mod

    def attr(self, ev: Evaluator, name: str, ctx: Ctx, line: int) -> object:
        if name not in self.mod.calls:
            return ev.failed(f"undeclared module {name}", SourceRef(ctx.path, line))
        return _ModuleView(self.mod, name)


class _ModuleView(_Namespace):
    def __init__(self, mod: ModuleInstance, name: str) -> None:
        self.mod = mod
        self.name = name

    def attr(self, ev: Evaluator, name: str, ctx: Ctx, line: int) -> object:
        child = self.mod.child(self.name)
        if child is None:
            call = self.mod.calls[self.name]
            present, _ = call.presence()
            if present is False:
                return ev.failed(f"module {self.name} has count 0", SourceRef(ctx.path, line))
            return ev.unknown(
                f"output {name} of module {self.name}, which is not read", SourceRef(ctx.path, line)
            )
        return child.output(name)

    def index(self, ev: Evaluator, key: object, ctx: Ctx, line: int) -> object:
        return self

    def as_value(self, ev: Evaluator) -> object:
        child = self.mod.child(self.name)
        if child is None:
            return ev.unknown(f"module {self.name}, which is not read")
        out = TMap()
        for name in child.outputs:
            out[name] = child.output(name)
        return out


# --- templates -----------------------------------------------------------------------------------


def render_template(ev: Evaluator, text: str, variables: dict[str, object], path: str, line: int) -> object:
    """A template string (templatefile(), template_file) rendered with its variables only."""
    from faasguard.loaders import tf_cache

    start = max(line, 1)
    expr = tf_cache.load_template(path, start, text)
    if expr is None:
        try:
            expr = parse_template(text, path, start, ev.limits)
        except ReadFailure as exc:
            ev.errors.append((path, exc.line, exc.message, exc.kind))
            return ev.unknown("a template that could not be parsed")
        tf_cache.store_template(path, start, text, expr)
    root_mod = ev.instances[0] if ev.instances else None
    if root_mod is None:
        return ev.unknown("template outside a module")
    ctx = Ctx(root_mod, path, variables, template=True)
    if isinstance(expr, Lit):
        return TStr(str(expr.value), path, max(line, 1))
    value = ev.ev(expr, ctx)
    if isinstance(value, str) and not isinstance(value, TStr):
        return TStr(value, path, max(line, 1))
    return value


# --- helpers -------------------------------------------------------------------------------------


def _num(value: object) -> float | int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            f = float(value)
        except ValueError:
            return None
        return int(f) if f.is_integer() and "." not in value and "e" not in value.lower() else f
    return None


def _int(value: float | int) -> float | int:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return int(value)
    return value


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value == "true"
    return bool(value)


def _key_text(key: object) -> str | None:
    if isinstance(key, str):
        return str(key)
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, (int, float)):
        return number_text(key)
    if isinstance(key, RefTo):
        return key.placeholder()
    return None


def _pairs(coll: object) -> list[tuple[object, object]]:
    if isinstance(coll, dict):
        return [(k, coll[k]) for k in sorted(coll)]
    if isinstance(coll, list):
        return list(enumerate(coll))
    return []


def _same(a: object, b: object) -> bool:
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return a is b
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return bool(plain(a) == plain(b))


def _convert(value: object, type_attr: Attribute | None) -> object:
    """A variable's value in its declared type (numbers and bools from strings)."""
    if type_attr is None or not isinstance(value, str):
        return value
    expr = type_attr.expr
    tname = expr.name if isinstance(expr, Var) else None
    if tname == "number":
        n = _num(value)
        return n if n is not None else value
    if tname == "bool" and value in ("true", "false"):
        return value == "true"
    return value


def _as_list(value: object) -> list[object] | None:
    if isinstance(value, list):
        return list(value)
    return None


def _mk_list(items: Sequence[object], ctx: Ctx, where: SourceRef) -> TList:
    out = TList(ctx.path, where.line, where.line)
    for item in items:
        out.add(item, getattr(item, "line", 0) or where.line)
    return out


def _mk_map(
    items: dict[str, object], ctx: Ctx, where: SourceRef, source: dict[str, Any] | None = None
) -> TMap:
    out = TMap(ctx.path, where.line, where.line)
    for k, v in items.items():
        line = where.line
        path = ctx.path
        if isinstance(source, TMap) and k in source.key_lines:
            line = source.key_lines[k]
            path = source.key_paths.get(k, source.path)
        out.put(k, v, path, line)
    return out


def _str(value: object) -> str:
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, RefTo):
        return value.placeholder()
    raise TypeError("not a string")


def from_parsed(value: object, path: str, offset: int = 0) -> object:
    """A document parsed by the reader (LMap/LList) as evaluated values with file and lines."""
    if isinstance(value, dict):
        line = (getattr(value, "line", 0) or 1) + offset
        out = TMap(path, line, (getattr(value, "end_line", 0) or line - offset) + offset)
        key_lines = getattr(value, "key_lines", {})
        for k, v in value.items():
            out.put(
                str(k),
                from_parsed(v, path, offset),
                path,
                key_lines.get(k, 0) + offset if k in key_lines else line,
            )
        return out
    if isinstance(value, list):
        line = (getattr(value, "line", 0) or 1) + offset
        lst = TList(path, line, (getattr(value, "end_line", 0) or line - offset) + offset)
        for item in value:
            item_line = getattr(item, "line", 0)
            lst.add(from_parsed(item, path, offset), item_line + offset if item_line else line)
        return lst
    if isinstance(value, str):
        return str(value)
    return value


def decode_json_text(ev: Evaluator, text: str, where: SourceRef) -> object:
    """jsondecode(): lines are kept when the text came from a file or heredoc."""
    data = getattr(text, "data", None)
    if data is not None:
        return data
    path = getattr(text, "path", None) or where.path
    line = getattr(text, "line", 0) or where.line
    try:
        parsed = parse_json(str(text), path, ev.limits)
    except ReadFailure:
        return ev.failed("jsondecode() of text that is not JSON", where)
    return from_parsed(parsed, path, line - 1)


# --- the function library ------------------------------------------------------------------------

Fn = Callable[[Evaluator, list[object], Ctx, SourceRef], object]
# Functions that look at Unknown arguments themselves (the rest return the first Unknown).
_TAKES_UNKNOWN = frozenset(
    {
        "coalesce",
        "merge",
        "concat",
        "length",
        "lookup",
        "compact",
        "flatten",
        "tolist",
        "toset",
        "jsonencode",
        "yamlencode",
        "sensitive",
        "nonsensitive",
        "one",
        "element",
        "distinct",
        "keys",
        "values",
        "contains",
    }
)


def _fn_jsonencode(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    value = args[0]
    if isinstance(value, Unknown):
        return value
    return TStr(json_text(value), ctx.path, where.line, None, value)


def _fn_jsondecode(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    text = args[0]
    if not isinstance(text, str):
        return ev.failed("jsondecode() of a non-string", where)
    return decode_json_text(ev, text, where)


def _fn_yamldecode(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    text = args[0]
    if not isinstance(text, str):
        return ev.failed("yamldecode() of a non-string", where)
    path = getattr(text, "path", None) or ctx.path
    line = getattr(text, "line", 0) or where.line
    try:
        docs = parse_yaml(str(text), path, ev.limits)
    except ReadFailure:
        return ev.failed("yamldecode() of text that is not YAML", where)
    return from_parsed(docs[0] if docs else None, path, line - 1)


def _fn_file(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    return ev.read_file(_str(args[0]), where)


def _fn_fileexists(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    rel = ev.rel_to_root_module(_str(args[0]))
    if rel is None:
        return ev.unknown("fileexists() outside the scanned folder", where)
    return (ev.root / rel).is_file()


def _fn_templatefile(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    text = ev.read_file(_str(args[0]), where)
    if not isinstance(text, TStr):
        return text
    variables = args[1] if len(args) > 1 else {}
    if not isinstance(variables, dict):
        return ev.failed("templatefile() variables are not a map", where)
    return render_template(ev, str(text), dict(variables), text.path or ctx.path, 1)


def _fn_format(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    spec = _str(args[0])
    values = args[1:]
    out: list[str] = []
    i = 0
    n = 0
    while i < len(spec):
        c = spec[i]
        if c != "%":
            out.append(c)
            i += 1
            continue
        if i + 1 < len(spec) and spec[i + 1] == "%":
            out.append("%")
            i += 2
            continue
        m = re.match(r"%([-+# 0]*)(\d*)(?:\.(\d+))?([a-zA-Z])", spec[i:])
        if m is None or n >= len(values):
            raise ValueError("bad format")
        verb = m.group(4)
        value = values[n]
        n += 1
        if verb in ("s", "v"):
            out.append(_str(value) if not isinstance(value, (dict, list)) else json_text(value))
        elif verb == "d":
            num = _num(value)
            if num is None:
                raise ValueError("not a number")
            out.append(str(int(num)).rjust(int(m.group(2) or 0), "0" if "0" in m.group(1) else " "))
        elif verb in ("f", "g", "e"):
            num = _num(value)
            if num is None:
                raise ValueError("not a number")
            out.append(
                ("%" + m.group(1) + m.group(2) + ("." + m.group(3) if m.group(3) else "") + verb) % num
            )
        elif verb == "q":
            out.append(json.dumps(_str(value)))
        elif verb == "t":
            out.append(_str(value))
        else:
            out.append(_str(value))
        i += len(m.group(0))
    return "".join(out)


def _fn_join(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    sep = _str(args[0])
    items: list[str] = []
    for lst in args[1:]:
        if not isinstance(lst, list):
            raise TypeError("join of a non-list")
        for item in lst:
            if isinstance(item, Unknown):
                return item
            items.append(_str(item))
    return sep.join(items)


def _fn_split(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    return _mk_list(list(_str(args[1]).split(_str(args[0]))), ctx, where)


def _fn_replace(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    text, sub, rep = _str(args[0]), _str(args[1]), _str(args[2])
    if len(sub) > 1 and sub.startswith("/") and sub.endswith("/"):
        return re.sub(sub[1:-1], re.sub(r"\$\{?(\d+)\}?", r"\\\1", rep), text)
    return text.replace(sub, rep)


def _fn_regex(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    m = re.search(_str(args[0]), _str(args[1]))
    if m is None:
        return ev.failed("regex() without a match", where)
    if m.groupdict():
        return _mk_map({k: v for k, v in m.groupdict().items()}, ctx, where)
    if m.groups():
        return _mk_list(list(m.groups()), ctx, where)
    return m.group(0)


def _fn_merge(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    base = next((m.path for m in args if isinstance(m, TMap) and m), ctx.path)
    out = TMap(base, where.line, where.line)
    for m in args:
        if m is None:
            continue
        if isinstance(m, Unknown):
            return m
        if not isinstance(m, dict):
            raise TypeError("merge of a non-map")
        for k, v in m.items():
            if isinstance(m, TMap) and k in m.key_lines:
                out.put(k, v, m.key_paths.get(k, m.path), m.key_lines[k])
            else:
                out.put(k, v, ctx.path, where.line)
    return out


def _fn_concat(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    out = TList(ctx.path, where.line, where.line)
    for lst in args:
        if isinstance(lst, Unknown):
            return lst
        if not isinstance(lst, list):
            raise TypeError("concat of a non-list")
        lines = getattr(lst, "item_lines", None)
        for i, item in enumerate(lst):
            out.add(item, lines[i] if lines and i < len(lines) else where.line)
    if (
        out
        and len(args)
        and all(isinstance(a, TList) and a.path == getattr(args[0], "path", None) for a in args)
    ):
        out.path = str(getattr(args[0], "path", ctx.path))
    return out


def _fn_flatten(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    out = TList(getattr(args[0], "path", ctx.path) or ctx.path, where.line, where.line)

    def walk(v: object, line: int, depth: int) -> Unknown | None:
        if depth > 100:
            return ev.unknown("flatten() nested too deeply", where)
        if isinstance(v, Unknown):
            return v
        if isinstance(v, list):
            lines = getattr(v, "item_lines", None)
            for i, x in enumerate(v):
                bad = walk(x, lines[i] if lines and i < len(lines) else line, depth + 1)
                if bad is not None:
                    return bad
        else:
            out.add(v, line)
        return None

    bad = walk(args[0], where.line, 0)
    return bad if bad is not None else out


def _fn_length(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    v = args[0]
    if isinstance(v, Unknown):
        return v
    if isinstance(v, (list, dict, str)):
        return len(v)
    raise TypeError("length of a scalar")


def _fn_lookup(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    m, key = args[0], args[1]
    if isinstance(m, Unknown):
        return m
    if isinstance(key, Unknown):
        return key
    if not isinstance(m, dict):
        raise TypeError("lookup in a non-map")
    k = _str(key)
    if k in m:
        return m[k]
    if len(args) > 2:
        return args[2]
    return ev.failed(f"lookup() of missing key {k}", where)


def _fn_element(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    lst, i = args[0], args[1]
    if isinstance(lst, Unknown):
        return lst
    if not isinstance(lst, list) or not lst:
        raise TypeError("element of an empty or non-list")
    if isinstance(i, Unknown):
        return lst[0] if all(_same(lst[0], x) for x in lst[1:]) else i
    n = _num(i)
    if n is None:
        raise TypeError("element index")
    return lst[int(n) % len(lst)]


def _fn_coalesce(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    for a in args:
        if isinstance(a, Unknown):
            return a
        if a is not None and a != "":
            return a
    return ev.failed("coalesce() with no non-empty argument", where)


def _fn_compact(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    lst = args[0]
    if isinstance(lst, Unknown):
        return lst
    if not isinstance(lst, list):
        raise TypeError("compact of a non-list")
    return _mk_list([x for x in lst if x not in (None, "")], ctx, where)


def _fn_keys(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    m = args[0]
    if isinstance(m, Unknown):
        return m
    if not isinstance(m, dict):
        raise TypeError("keys of a non-map")
    return _mk_list(sorted(m), ctx, where)


def _fn_values(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    m = args[0]
    if isinstance(m, Unknown):
        return m
    if not isinstance(m, dict):
        raise TypeError("values of a non-map")
    return _mk_list([m[k] for k in sorted(m)], ctx, where)


def _fn_contains(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    lst, v = args[0], args[1]
    if isinstance(lst, Unknown):
        return lst
    if isinstance(v, Unknown):
        return v
    if not isinstance(lst, (list, dict)):
        raise TypeError("contains of a non-list")
    items = list(lst.values()) if isinstance(lst, dict) else lst
    if any(_same(x, v) for x in items):
        return True
    if any(isinstance(x, (Unknown, RefTo)) for x in items):
        return ev.unknown("contains() over values not known")
    return False


def _fn_distinct(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    lst = args[0]
    if isinstance(lst, Unknown):
        return lst
    if not isinstance(lst, list):
        raise TypeError("distinct of a non-list")
    out: list[object] = []
    for x in lst:
        if not any(_same(x, y) for y in out):
            out.append(x)
    return _mk_list(out, ctx, where)


def _fn_tolist(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    v = args[0]
    if isinstance(v, Unknown):
        return v
    if isinstance(v, list):
        return v
    raise TypeError("tolist of a non-list")


def _fn_toset(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    v = _fn_tolist(ev, args, ctx, where)
    return _fn_distinct(ev, [v], ctx, where) if isinstance(v, list) else v


def _fn_tomap(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    if not isinstance(args[0], dict):
        raise TypeError("tomap of a non-map")
    return args[0]


def _fn_tostring(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    v = args[0]
    if v is None:
        return None
    if isinstance(v, (dict, list)):
        raise TypeError("tostring of a collection")
    return v if isinstance(v, str) else _str(v)


def _fn_tonumber(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    if args[0] is None:
        return None
    n = _num(args[0])
    if n is None:
        raise ValueError("tonumber")
    return n


def _fn_tobool(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    v = args[0]
    if isinstance(v, bool) or v is None:
        return v
    if v in ("true", "false"):
        return v == "true"
    raise ValueError("tobool")


def _fn_one(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    v = args[0]
    if isinstance(v, Unknown):
        return v
    if not isinstance(v, list) or len(v) > 1:
        raise TypeError("one() of more than one element")
    return v[0] if v else None


def _fn_zipmap(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    ks, vs = args[0], args[1]
    if not isinstance(ks, list) or not isinstance(vs, list):
        raise TypeError("zipmap")
    return _mk_map({_str(k): v for k, v in zip(ks, vs, strict=False)}, ctx, where)


def _fn_range(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    nums = [_num(a) for a in args]
    if any(n is None for n in nums):
        raise TypeError("range")
    values = [float(n) for n in nums if n is not None]
    start, stop, step = (
        (0.0, values[0], 1.0)
        if len(values) == 1
        else (values[0], values[1], values[2] if len(values) > 2 else 1.0)
    )
    if step == 0 or abs((stop - start) / step) > _MAX_ITEMS:
        return ev.unknown("range() too large", where)
    out = []
    x = start
    while (step > 0 and x < stop) or (step < 0 and x > stop):
        out.append(_int(x))
        x += step
    return _mk_list(out, ctx, where)


def _fn_slice(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    lst = args[0]
    a, b = _num(args[1]), _num(args[2])
    if not isinstance(lst, list) or a is None or b is None:
        raise TypeError("slice")
    return _mk_list(list(lst[int(a) : int(b)]), ctx, where)


def _fn_setop(op: str) -> Fn:
    def fn(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
        lists = [a for a in args if isinstance(a, list)]
        if len(lists) != len(args):
            raise TypeError("set operation on non-lists")
        out: list[object] = []
        if op == "union":
            for lst in lists:
                for x in lst:
                    if not any(_same(x, y) for y in out):
                        out.append(x)
        elif op == "intersection":
            for x in lists[0] if lists else []:
                if all(any(_same(x, y) for y in other) for other in lists[1:]) and not any(
                    _same(x, y) for y in out
                ):
                    out.append(x)
        else:
            for x in lists[0] if lists else []:
                if not any(_same(x, y) for other in lists[1:] for y in other):
                    out.append(x)
        return _mk_list(out, ctx, where)

    return fn


def _fn_minmax(pick: Callable[..., Any]) -> Fn:
    def fn(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
        nums = [_num(a) for a in args]
        if not nums or any(n is None for n in nums):
            raise TypeError("min/max")
        return pick(n for n in nums if n is not None)

    return fn


def _fn_sum(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    lst = args[0]
    if not isinstance(lst, list):
        raise TypeError("sum")
    total: float | int = 0
    for x in lst:
        if isinstance(x, Unknown):
            return x
        n = _num(x)
        if n is None:
            raise TypeError("sum")
        total += n
    return _int(total)


def _str_fn(f: Callable[..., object]) -> Fn:
    def fn(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
        return f(*[_str(a) if not isinstance(a, (int, float)) or isinstance(a, bool) else a for a in args])

    return fn


def _fn_identity(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    return args[0]


def _fn_unknown(reason: str) -> Fn:
    def fn(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
        return ev.unknown(reason, where)

    return fn


def _fn_yamlencode(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
    value = args[0]
    if isinstance(value, Unknown):
        return value
    import yaml

    return TStr(yaml.safe_dump(plain(value), sort_keys=False), ctx.path, where.line, None, value)


def _hash(algo: str) -> Fn:
    def fn(ev: Evaluator, args: list[object], ctx: Ctx, where: SourceRef) -> object:
        return hashlib.new(algo, _str(args[0]).encode("utf-8")).hexdigest()

    return fn


FUNCTIONS: dict[str, Fn] = {
    "jsonencode": _fn_jsonencode,
    "jsondecode": _fn_jsondecode,
    "yamlencode": _fn_yamlencode,
    "yamldecode": _fn_yamldecode,
    "file": _fn_file,
    "fileexists": _fn_fileexists,
    "templatefile": _fn_templatefile,
    "format": _fn_format,
    "join": _fn_join,
    "split": _fn_split,
    "replace": _fn_replace,
    "regex": _fn_regex,
    "regexall": lambda ev, a, c, w: _mk_list(
        [m.group(0) if not m.groups() else list(m.groups()) for m in re.finditer(_str(a[0]), _str(a[1]))],
        c,
        w,
    ),
    "lower": _str_fn(str.lower),
    "upper": _str_fn(str.upper),
    "title": _str_fn(str.title),
    "trimspace": _str_fn(str.strip),
    "chomp": _str_fn(lambda s: s.rstrip("\r\n")),
    "trim": _str_fn(lambda s, chars: s.strip(chars)),
    "trimprefix": _str_fn(lambda s, p: s.removeprefix(p)),
    "trimsuffix": _str_fn(lambda s, p: s.removesuffix(p)),
    "trimleft": _str_fn(lambda s, chars: s.lstrip(chars)),
    "trimright": _str_fn(lambda s, chars: s.rstrip(chars)),
    "strrev": _str_fn(lambda s: s[::-1]),
    "substr": lambda ev, a, c, w: _substr(_str(a[0]), _num(a[1]), _num(a[2])),
    "startswith": _str_fn(lambda s, p: s.startswith(p)),
    "endswith": _str_fn(lambda s, p: s.endswith(p)),
    "strcontains": _str_fn(lambda s, p: p in s),
    "indent": lambda ev, a, c, w: _str(a[1]).replace("\n", "\n" + " " * int(_num(a[0]) or 0)),
    "basename": _str_fn(posixpath.basename),
    "dirname": _str_fn(posixpath.dirname),
    "abspath": _str_fn(lambda s: s),
    "pathexpand": _fn_unknown("pathexpand() depends on the machine"),
    "merge": _fn_merge,
    "concat": _fn_concat,
    "flatten": _fn_flatten,
    "length": _fn_length,
    "lookup": _fn_lookup,
    "element": _fn_element,
    "coalesce": _fn_coalesce,
    "coalescelist": lambda ev, a, c, w: next(
        (x for x in a if isinstance(x, list) and x), ev.failed("coalescelist()", w)
    ),
    "compact": _fn_compact,
    "keys": _fn_keys,
    "values": _fn_values,
    "contains": _fn_contains,
    "distinct": _fn_distinct,
    "tolist": _fn_tolist,
    "toset": _fn_toset,
    "tomap": _fn_tomap,
    "tostring": _fn_tostring,
    "tonumber": _fn_tonumber,
    "tobool": _fn_tobool,
    "one": _fn_one,
    "zipmap": _fn_zipmap,
    "range": _fn_range,
    "slice": _fn_slice,
    "reverse": lambda ev, a, c, w: _mk_list(list(reversed(_as_list(a[0]) or [])), c, w),
    "sort": lambda ev, a, c, w: _mk_list(sorted(_str(x) for x in (_as_list(a[0]) or [])), c, w),
    "setunion": _fn_setop("union"),
    "setintersection": _fn_setop("intersection"),
    "setsubtract": _fn_setop("subtract"),
    "min": _fn_minmax(min),
    "max": _fn_minmax(max),
    "sum": _fn_sum,
    "abs": lambda ev, a, c, w: abs(_num(a[0])),  # type: ignore[arg-type]
    "ceil": lambda ev, a, c, w: math.ceil(_num(a[0])),  # type: ignore[arg-type]
    "floor": lambda ev, a, c, w: math.floor(_num(a[0])),  # type: ignore[arg-type]
    "pow": lambda ev, a, c, w: _int(math.pow(_num(a[0]), _num(a[1]))),  # type: ignore[arg-type]
    "signum": lambda ev, a, c, w: (lambda n: (n > 0) - (n < 0))(_num(a[0])),  # type: ignore[operator]
    "alltrue": lambda ev, a, c, w: all(_truthy(x) for x in (_as_list(a[0]) or [])),
    "anytrue": lambda ev, a, c, w: any(_truthy(x) for x in (_as_list(a[0]) or [])),
    "sensitive": _fn_identity,
    "nonsensitive": _fn_identity,
    "ephemeralasnull": _fn_identity,
    "base64encode": lambda ev, a, c, w: base64.b64encode(_str(a[0]).encode("utf-8")).decode("ascii"),
    "base64decode": lambda ev, a, c, w: base64.b64decode(_str(a[0])).decode("utf-8", "replace"),
    "urlencode": _str_fn(lambda s: __import__("urllib.parse").parse.quote(s, safe="")),
    "md5": _hash("md5"),
    "sha1": _hash("sha1"),
    "sha256": _hash("sha256"),
    "sha512": _hash("sha512"),
    "filebase64": _fn_unknown("file contents in base64 are not evaluated"),
    "filemd5": _fn_unknown("file hashes are not evaluated"),
    "filesha1": _fn_unknown("file hashes are not evaluated"),
    "filesha256": _fn_unknown("file hashes are not evaluated"),
    "filesha512": _fn_unknown("file hashes are not evaluated"),
    "filebase64sha256": _fn_unknown("file hashes are not evaluated"),
    "filebase64sha512": _fn_unknown("file hashes are not evaluated"),
    "fileset": _fn_unknown("fileset() is not evaluated"),
    "uuid": _fn_unknown("uuid() differs on every run"),
    "timestamp": _fn_unknown("timestamp() differs on every run"),
    "plantimestamp": _fn_unknown("plantimestamp() differs on every run"),
    "bcrypt": _fn_unknown("bcrypt() is salted"),
}


def _substr(text: str, offset: float | int | None, length: float | int | None) -> str:
    if offset is None or length is None:
        raise TypeError("substr")
    start = int(offset) if offset >= 0 else len(text) + int(offset)
    return text[start:] if length < 0 else text[start : start + int(length)]


def module_folder_files(ev: Evaluator, folder: str, names: list[str]) -> list[tuple[str, Body]]:
    out: list[tuple[str, Body]] = []
    for name in names:
        rel = name if folder == "." else f"{folder}/{name}"
        body, failure = ev.parse_file(rel)
        if body is not None:
            out.append((rel, body))
        elif failure is not None:
            ev.errors.append((rel, failure.line, failure.message, failure.kind))
    return out


__all__ = [
    "FUNCTIONS",
    "BlockView",
    "Ctx",
    "Decl",
    "Evaluator",
    "Failed",
    "LList",
    "LMap",
    "MapBlock",
    "ModuleInstance",
    "RBlock",
    "decode_json_text",
    "from_parsed",
    "render_template",
]
