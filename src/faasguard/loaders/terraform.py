"""Terraform configurations into the application model.

One application per root module: a folder with `.tf` / `.tf.json` files that no other folder of
the scan calls as a local module (a folder that is called and also looks like a root of its own,
with a backend, `terraform.tfvars`, a lock file or a `.terraform` folder, stays a root). Modules
are followed from the root: local folders, and registry or git modules from
`.terraform/modules` when `terraform init` has been run; others are reported in the errors as
not read, and what they would have defined stays unknown.

Values come from `tf_eval`, resources become model elements in `tf_resources`, following the
CloudFormation loader's conventions so every rule applies unchanged. Model ids are Terraform
addresses (`aws_lambda_function.api`, `module.orders.aws_iam_role.this`).
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

from faasguard.findings import ScanError
from faasguard.limits import Limits
from faasguard.loaders import tf_cache
from faasguard.loaders.cloudformation import LoadOptions
from faasguard.loaders.discover import SKIP_DIRS, Candidate
from faasguard.loaders.reader import ReadFailure, is_inside, parse_json, read_bytes, read_text
from faasguard.loaders.tf_eval import Ctx, Decl, Evaluator, ModuleInstance, from_parsed
from faasguard.loaders.tf_hcl import Body, parse_expression, parse_hcl, parse_tf_json
from faasguard.loaders.tf_resources import HANDLERS, TfBuilder, cfn_type, index_names, settle
from faasguard.model import Application, SourceRef, Unknown

_TF_SUFFIXES = (".tf", ".tf.json")
_MODULE_HEAD = re.compile(rb'(?m)^[ \t]*module[ \t]+"[^"\n]*"[ \t]*\{')
_SOURCE = re.compile(rb'source[ \t]*=[ \t]*"(\.{1,2}/[^"\n]*)"')
_NEXT_BLOCK = re.compile(rb"(?m)^(?:resource|module|data|variable|output|locals|provider|terraform)\b")
_JSON_SOURCE = re.compile(rb'"source"\s*:\s*"(\.{1,2}/[^"\n]*)"')
_BACKEND = re.compile(rb'(?m)^[ \t]*(?:backend[ \t]+"|cloud[ \t]*\{)')
_ROOT_MARKERS = ("terraform.tfvars", "terraform.tfvars.json", ".terraform.lock.hcl", ".terraform")


@dataclass
class _ScanCache:
    """What is shared by the Terraform candidates of one scan: parsed files and module calls."""

    root: Path
    limits: Limits
    called: set[str] = field(default_factory=set)  # folders called as local modules
    roots: set[str] = field(default_factory=set)  # folders that look like roots of their own
    parsed: dict[str, tuple[Body | None, ReadFailure | None]] = field(default_factory=dict)
    reported: set[ScanError] = field(default_factory=set)  # a module's errors, once per scan

    def parse(self, rel: str) -> tuple[Body | None, ReadFailure | None]:
        if rel not in self.parsed:
            self.parsed[rel] = _parse_file(self.root, rel, self.limits)
        return self.parsed[rel]


_LAST: tuple[object, Path, _ScanCache] | None = None


def _cache_for(root: Path, options: LoadOptions) -> _ScanCache:
    """The engine passes one LoadOptions object to every candidate of a scan: the cache lives as
    long as that object is the one in use, so a new scan never sees stale files."""
    global _LAST
    if _LAST is not None and _LAST[0] is options and _LAST[1] == root:
        return _LAST[2]
    cache = _ScanCache(root, options.limits)
    _survey(cache)
    _LAST = (options, root, cache)
    return cache


def _survey(cache: _ScanCache) -> None:
    """One pass over the scan's Terraform folders: which are called as local modules, which look
    like roots. Reads only .tf files, with a byte regex, each within the size bound."""
    root = cache.root
    stack = [("", str(root))]
    seen = 0
    while stack:
        rel, path = stack.pop()
        try:
            with os.scandir(path) as it:
                entries = list(it)
        except OSError:
            continue
        names = {e.name for e in entries}
        folder = rel or "."
        if rel and "pyvenv.cfg" in names:
            continue
        if any(m in names for m in _ROOT_MARKERS):
            cache.roots.add(folder)
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in SKIP_DIRS and not entry.name.endswith(".dist-info"):
                        stack.append((f"{rel}/{entry.name}" if rel else entry.name, entry.path))
                    continue
            except OSError:
                continue
            if not entry.name.endswith(_TF_SUFFIXES):
                continue
            seen += 1
            if seen > cache.limits.max_files:
                return
            data = _survey_bytes(entry, root, cache.limits)
            if data is None:
                continue
            if _BACKEND.search(data):
                cache.roots.add(folder)
            sources = (
                _JSON_SOURCE.findall(data) if entry.name.endswith(".json") else list(_module_sources(data))
            )
            for source in sources:
                target = posixpath.normpath(posixpath.join(folder, source.decode("utf-8", "replace")))
                if not target.startswith("../") and target != "..":
                    cache.called.add(target)


def _survey_bytes(entry: os.DirEntry[str], root: Path, limits: Limits) -> bytes | None:
    """A .tf file's bytes for the survey, None when it cannot be read within the bounds. The walk
    never follows a symlinked folder, so a plain file it finds is inside the scan: only a symlink
    needs read_bytes()'s path checks (the parse reads every file through them anyway)."""
    try:
        if entry.is_symlink():
            return read_bytes(Path(entry.path), root, limits)
        # Non-blocking open, then fstat: a FIFO named like a .tf file must not hang the survey.
        fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > limits.max_file_bytes:
                return None
            data = fh.read(limits.max_file_bytes + 1)
    except (ReadFailure, OSError):
        return None
    return data if len(data) <= limits.max_file_bytes else None


def _module_sources(data: bytes) -> list[bytes]:
    out = []
    for m in _MODULE_HEAD.finditer(data):
        nxt = _NEXT_BLOCK.search(data, m.end())
        body = data[m.end() : nxt.start() if nxt else len(data)]
        src = _SOURCE.search(body)
        if src is not None:
            out.append(src.group(1))
    return out


def _parse_file(root: Path, rel: str, limits: Limits) -> tuple[Body | None, ReadFailure | None]:
    try:
        text = read_text(root / rel, root, limits)
        key = f"{rel}\x00{limits.max_depth}"
        cached = tf_cache.load(key, text)
        if cached is not None:
            return cached, None
        body = parse_tf_json(text, rel, limits) if rel.endswith(".json") else parse_hcl(text, rel, limits)
        tf_cache.store(key, text, body)
        return body, None
    except ReadFailure as failure:
        return None, failure
    except RecursionError:
        return None, ReadFailure(f"nesting deeper than {limits.max_depth} (max_depth bound)", kind="bound")


def is_module_only(cand_rel: str, cache: _ScanCache) -> bool:
    folder = cand_rel or "."
    return folder in cache.called and folder not in cache.roots


def load_candidate(
    cand: Candidate, root: Path, options: LoadOptions
) -> tuple[list[Application], list[ScanError]]:
    """The engine's entry point for a folder of Terraform files."""
    root = root.resolve()
    cache = _cache_for(root, options)
    folder = cand.rel or "."
    if is_module_only(folder, cache):
        return [], []
    return load_folder(root, folder, cand.app_root or ".", options, cache)


def load_folder(
    root: Path, folder: str, app_root: str, options: LoadOptions, cache: _ScanCache | None = None
) -> tuple[list[Application], list[ScanError]]:
    if cache is None:
        cache = _ScanCache(root, options.limits)
    ev = Evaluator(root, folder, options.limits, cache.parse)
    files = ev.module_files(folder)
    errors = [ScanError(p, line, msg, kind) for p, line, msg, kind in ev.errors]
    ev.errors.clear()
    if not files:
        return [], _dedupe(errors, cache.reported)
    mod = ModuleInstance(ev, folder, "", "", files, None)
    sensitive_values = _root_values(ev, mod, root, folder, options)
    i = 0
    while i < len(ev.instances):  # every module called, transitively (each appends its children)
        inst = ev.instances[i]
        for name in list(inst.calls):
            inst.child(name)
        i += 1
    main = next((p for p, _ in files if posixpath.basename(p) == "main.tf"), files[0][0])
    b = TfBuilder(root, root / main, main, app_root, ev)
    resources: list[Decl] = []
    for inst in ev.instances:
        for decl in inst.data.values():
            b.decls[decl.addr] = decl
        for decl in inst.resources.values():
            present, _ = decl.presence()
            if present is False:
                continue
            b.decls[decl.addr] = decl
            b.resource_types[decl.addr] = cfn_type(decl.type)
            resources.append(decl)
    for decl in b.decls.values():
        if decl.type == "archive_file":
            out = decl.view().get("output_path")
            if isinstance(out, str):
                rel = ev.rel_to_root_module(str(out))
                if rel is not None:
                    b.archives.setdefault(rel, decl)
    index_names(b)
    ordered = sorted((d for d in resources if d.type in HANDLERS), key=lambda d: HANDLERS[d.type][0])
    for decl in ordered:
        try:
            HANDLERS[decl.type][1](b, decl, decl.view())
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            b.errors.append((decl.path, decl.block.line, f"resource {decl.addr} could not be read: {exc!r}"))
        except RecursionError:
            b.errors.append(
                (decl.path, decl.block.line, f"resource {decl.addr} is nested too deeply to read")
            )
    settle(b)
    b.unknowns += ev.unknowns
    # The application's files after its main file: its modules' and the files it reads. A module
    # folder that is an application of its own keeps its files to itself (the engine takes a
    # template listed by another application as part of that one).
    others = {r for r in cache.roots if r != folder}
    for path in [p for inst in ev.instances for p in _instance_files(inst)] + sorted(ev.files_read):
        if path != main and (posixpath.dirname(path) or ".") not in others:
            b.extra_files.append(path)
    noecho, parameters = _secret_defaults(ev, sensitive_values, b)
    app = b.finish(parameters)
    app = replace(
        app,
        noecho_defaults=tuple(noecho),
        resource_lines={d.addr: SourceRef(d.path, d.block.line, d.block.line) for d in resources},
    )
    errors.extend(ScanError(p, line, msg, kind) for p, line, msg, kind in ev.errors)
    errors.extend(ScanError(p, line, msg, "parse") for p, line, msg in b.errors)
    errors.extend(ScanError(p, line, msg, "unsupported") for p, line, msg in ev.notes)
    return [app], _dedupe(errors, cache.reported)


def _dedupe(errors: list[ScanError], seen: set[ScanError]) -> list[ScanError]:
    """Each error once per scan: a module two roots call reports its problems once."""
    out = []
    for e in errors:
        if e not in seen:
            seen.add(e)
            out.append(e)
    return out


def _instance_files(inst: ModuleInstance) -> list[str]:
    paths = {d.path for d in (*inst.resources.values(), *inst.data.values(), *inst.calls.values())}
    paths.update(p for _, p in inst.locals.values())
    paths.update(b.path for b in inst.variables.values())
    paths.update(p for _, p in inst.outputs.values())
    return sorted(paths)


# --- variable values -------------------------------------------------------------------------------


def _tfvars_files(root: Path, folder: str) -> list[str]:
    base = root / folder if folder != "." else root
    try:
        names = sorted(e.name for e in os.scandir(base) if e.is_file())
    except OSError:
        return []
    ordered: list[str] = [n for n in ("terraform.tfvars", "terraform.tfvars.json") if n in names]
    ordered += [n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json"))]
    return [n if folder == "." else f"{folder}/{n}" for n in ordered]


def _root_values(
    ev: Evaluator, mod: ModuleInstance, root: Path, folder: str, options: LoadOptions
) -> list[tuple[str, object, SourceRef]]:
    """Fill the root module's variable values: tfvars files, --var-file, --var (later wins).
    Returns the values given to sensitive variables in files of the repository."""
    sensitive: list[tuple[str, object, SourceRef]] = []
    for rel in _tfvars_files(root, folder):
        for name, value, where in _read_tfvars(ev, mod, root, rel, root):
            mod.root_values[name] = (value, where)
            if _is_sensitive(mod, name):
                sensitive.append((name, value, where))
    for given in options.var_files:
        path = Path(given)
        candidates = [path] if path.is_absolute() else [root / folder / given, Path.cwd() / given]
        found = next((p for p in candidates if p.is_file()), None)
        if found is None:
            ev.errors.append((given, None, "--var-file not found", "io"))
            continue
        found = found.resolve()
        inside = is_inside(found, root)
        shown = found.relative_to(root).as_posix() if inside else str(found)
        for name, value, where in _read_tfvars(ev, mod, found.parent, found.name, root, shown):
            mod.root_values[name] = (value, where)
    for name, text in options.variables.items():
        block = mod.variables.get(name)
        given_value: object = text
        type_attr = block.body.attrs.get("type") if block is not None else None
        if type_attr is not None and not (
            type_attr.expr.__class__.__name__ == "Var" and getattr(type_attr.expr, "name", "") == "string"
        ):
            try:
                expr = parse_expression(text, "--var", 1, ev.limits)
                given_value = ev.ev(expr, Ctx(mod, "--var", {}))
            except ReadFailure:
                given_value = text
        mod.root_values[name] = (given_value, None)
    return sensitive


def _is_sensitive(mod: ModuleInstance, name: str) -> bool:
    block = mod.variables.get(name)
    if block is None or "sensitive" not in block.body.attrs:
        return False
    return mod.ev.ev(block.body.attrs["sensitive"].expr, mod.ctx(block.path)) is True


def _read_tfvars(
    ev: Evaluator, mod: ModuleInstance, base: Path, rel: str, root: Path, shown: str | None = None
) -> list[tuple[str, object, SourceRef]]:
    shown = shown or rel
    path = base / rel
    try:
        text = read_text(path, base, ev.limits)
        if rel.endswith(".json"):
            doc = parse_json(text, shown, ev.limits)
            if not isinstance(doc, dict):
                raise ReadFailure("a .tfvars.json file must hold a JSON object", line=1)
            key_lines = getattr(doc, "key_lines", {})
            return [
                (str(k), from_parsed(v, shown), SourceRef(shown, key_lines.get(k, 1), key_lines.get(k, 1)))
                for k, v in doc.items()
            ]
        body = parse_hcl(text, shown, ev.limits)
    except ReadFailure as exc:
        ev.errors.append((shown, exc.line, exc.message, exc.kind))
        return []
    if shown == rel or not shown.startswith("/"):
        ev.files_read.add(shown)
    ctx = Ctx(mod, shown, {}, template=True)  # tfvars hold literal values: no references
    return [
        (name, ev.ev(attr.expr, ctx), SourceRef(shown, attr.line, attr.line))
        for name, attr in body.attrs.items()
    ]


def _secret_defaults(
    ev: Evaluator, tfvars: list[tuple[str, object, SourceRef]], b: TfBuilder
) -> tuple[list[tuple[str, SourceRef]], dict[str, object]]:
    """Secrets written in plain text into the repository, in the model's NoEcho-default form:
    defaults of `sensitive = true` variables (and their values in tfvars files), and literal
    `secret_string`s of aws_secretsmanager_secret_version."""
    noecho: list[tuple[str, SourceRef]] = []
    parameters: dict[str, object] = {}
    given = {name: (value, where) for name, value, where in tfvars}
    for inst in ev.instances:
        for name, block in inst.variables.items():
            if not _is_sensitive(inst, name):
                continue
            key = f"{inst.prefix}var.{name}"
            if inst.inputs is None and name in given:  # the root's tfvars value wins over the default
                value, where = given[name]
            else:
                default = block.body.attrs.get("default")
                if default is None:
                    continue
                value = ev.ev(default.expr, inst.ctx(block.path))
                where = SourceRef(block.path, default.line, default.line)
            if isinstance(value, str) and not isinstance(value, Unknown):
                noecho.append((key, where))
                parameters[key] = str(value)
    for addr, value, where in b.secret_literals:
        noecho.append((addr, where))
        parameters[addr] = value
    return noecho, parameters


__all__ = ["load_candidate", "load_folder"]
