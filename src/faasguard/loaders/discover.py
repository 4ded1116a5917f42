"""Find the infrastructure-as-code files under a scan root, in one bounded pass.

The walk is iterative (an explicit stack, so deep trees cannot exhaust Python's stack) and never
follows a symlinked folder, so link loops cannot make it go round. Only files whose *name* could
make them a candidate are looked at further; of those, only would-be CloudFormation templates
(and files with template-like names, to report them if they are broken) are read, through the
bounded reader, and kept when a cheap byte test says they declare AWS resources.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

from faasguard.findings import ScanError
from faasguard.limits import DEFAULT_LIMITS, Limits
from faasguard.loaders.reader import ReadFailure, decode_text, is_inside, read_bytes

# Dependency trees, build copies, tool caches and virtualenvs: never the user's own IaC, and often
# huge (`.aws-sam/build` and `node_modules` hold copies of templates that would repeat findings).
# `env` is not listed by name: it is a common Terraform layout (env/prod/main.tf); a virtualenv
# called `env` is caught by its pyvenv.cfg like any other.
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".aws-sam",
        ".serverless",
        ".terraform",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
    }
)

_CFN_SUFFIXES = (".yaml", ".yml", ".json", ".template")
_SERVERLESS_FILES = frozenset({"serverless.yml", "serverless.yaml", "serverless.json"})
# Serverless configs written as code: they only exist after running them, which we never do.
_SERVERLESS_CODE = frozenset({"serverless.ts", "serverless.js", "serverless.cjs", "serverless.mjs"})
# Well-known JSON/YAML files that are never templates; lock files are also the largest around.
_NOT_TEMPLATES = frozenset(
    {
        "package.json",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "pnpm-lock.yaml",
        "cdk.json",
        "cdk.context.json",
        "tree.json",
        "manifest.json",
    }
)
_NOT_TEMPLATE_PREFIXES = ("tsconfig", "composer.", ".eslintrc", "samconfig.")
_NOT_TEMPLATE_SUFFIXES = (".assets.json",)
# Names that announce a template: when such a file is broken, the user wants to hear about it.
_TEMPLATE_NAMES = frozenset({"template.yaml", "template.yml", "template.json"}) | _SERVERLESS_FILES
_TEMPLATE_SUFFIXES = (".template.json", ".template.yaml", ".template.yml", ".template")

# The reader's own "is this binary" window, so discovery and loading agree on what is text.
_BINARY_WINDOW = 8192
# How much of an oversized file is looked at to decide whether it was meant as a template.
_HEAD_BYTES = 64 * 1024
# Past the cheap byte test, a template also names a resource type, a transform or the format
# version. This turns away documents that only mention AWS types, such as the botocore service
# models vendored in Lambda layers (megabytes each, slow to parse and never templates).
_TEMPLATE_MARK = re.compile(rb"""(?:Type|Transform)['"]?\s*:[\s\['"-]*AWS::|AWSTemplateFormatVersion""")


@dataclass(frozen=True, slots=True)
class Candidate:
    # cloudformation | cdk | serverless | serverless-ts | chalice | terraform
    kind: str
    path: Path  # absolute path of the main file (the folder, for terraform)
    rel: str  # POSIX path relative to the scan root
    app_root: str  # POSIX folder of the application relative to the root, "." for the root


@dataclass(slots=True)
class Discovery:
    candidates: list[Candidate]  # sorted by rel
    errors: list[ScanError]  # paths relative to the root, POSIX
    files_seen: int


@dataclass(slots=True)
class _Dir:
    path: str  # absolute, under the resolved root
    rel: str  # POSIX, "" for the root itself
    # (prefix of the folder holding the .gitignore, its spec), shallowest first
    ignores: tuple[tuple[str, _Rules], ...]
    cdk_root: str | None  # the folder holding cdk.out, when inside one


def is_template_like(name: str) -> bool:
    low = name.lower()
    return low in _TEMPLATE_NAMES or low.endswith(_TEMPLATE_SUFFIXES)


def _name_kind(name: str, folder_name: str, in_cdk: bool) -> str | None:
    """The kind a file of this name could be, from its name alone; None: never a candidate."""
    low = name.lower()
    if in_cdk:
        # Only stack templates matter in a cloud assembly; the rest is CDK bookkeeping.
        return "cdk" if low.endswith(".template.json") else None
    if low in _SERVERLESS_FILES:
        return "serverless"
    if low in _SERVERLESS_CODE:
        return "serverless-ts"
    if low.endswith((".tf", ".tf.json")):
        return "terraform"
    if folder_name == ".chalice":
        # config.json, or a committed sample of it (config-sample.json) when the real one is
        # kept out of the repository.
        return "chalice" if low.startswith("config") and low.endswith(".json") else None
    if not low.endswith(_CFN_SUFFIXES):
        return None
    if (
        low in _NOT_TEMPLATES
        or low.startswith(_NOT_TEMPLATE_PREFIXES)
        or low.endswith(_NOT_TEMPLATE_SUFFIXES)
    ):
        return None
    return "cloudformation"


class _Rules:
    """The patterns of one ignore file, with git's precedence (pathspec's GitIgnoreSpec).

    pathspec compiles a regex per pattern and tries each on every path, and one generated
    .gitignore can hold hundreds of patterns. A pattern can only match a path that contains its
    literal text, so a cheap necessary test runs first (the path's components against plain
    names such as `node_modules` or `build/`, substrings for the rest); pathspec is built, once,
    only when that test lets a path through, which in practice is rare.
    """

    __slots__ = ("_cache", "_spec", "always", "lines", "names", "needles")

    def __init__(self, lines: Sequence[str], cache: dict[str, pathspec.GitIgnoreSpec | None]) -> None:
        self._cache = cache
        self._spec: pathspec.GitIgnoreSpec | None = None
        self.lines: list[str] = []
        self.always = False
        names: set[str] = set()
        needles: set[str] = set()
        for raw in lines:
            line = raw.rstrip("\r")
            kind, text = _literal(line)
            if kind == "skip":
                continue
            self.lines.append(line)
            if kind == "name":
                names.add(text)
            elif kind == "needle":
                needles.add(text)
            else:
                self.always = True
        self.names = frozenset(names)
        self.needles = tuple(sorted(needles))

    def __bool__(self) -> bool:
        return bool(self.lines)

    def _full(self) -> pathspec.GitIgnoreSpec:
        if self._spec is None:
            compiled: list[pathspec.GitIgnoreSpec] = []
            for line in self.lines:
                # Each distinct line is compiled once per scan: monorepos repeat their .gitignore.
                if line not in self._cache:
                    try:
                        self._cache[line] = pathspec.GitIgnoreSpec.from_lines([line])
                    except ValueError:
                        self._cache[line] = None  # git skips a pattern it cannot read
                one = self._cache[line]
                if one is not None:
                    compiled.append(one)
            self._spec = pathspec.GitIgnoreSpec([p for one in compiled for p in one.patterns])
        return self._spec

    def verdict(self, path: str) -> bool | None:
        """True: ignored, False: re-included by a `!` pattern, None: no pattern applies."""
        if not (
            self.always
            or (self.names and not self.names.isdisjoint(path.split("/")))
            or any(map(path.__contains__, self.needles))
        ):
            return None
        include = self._full().check_file(path).include
        return None if include is None else bool(include)


_GLOB = re.compile(r"\[[^\]]*\]?|[*?/\s]+")  # bracket sets, wildcards, separators, spaces


def _literal(line: str) -> tuple[str, str]:
    """What a path must contain for the gitignore `line` to match it: ("name", n) when some path
    component must equal n, ("needle", s) when the path must contain s, ("none", "") when no
    such text is known, ("skip", "") for blank lines and comments. Erring towards "none" only
    costs time, never correctness."""
    if not line.strip() or line.startswith("#"):
        return ("skip", "")
    text = line.strip().removeprefix("!")
    if "\\" in text:
        return ("none", "")  # escapes: not worth reasoning about
    bare = text.removeprefix("/").removesuffix("/")
    if bare and not any(c in bare for c in "*?[/ \t"):
        return ("name", bare)
    runs = [run for run in _GLOB.split(text) if run]
    return ("needle", max(runs, key=len)) if runs else ("none", "")


def _parents(path: str) -> list[str]:
    """ "a/b/c.txt" -> ["a", "a/b"]."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


class _Walker:
    def __init__(self, root: Path, limits: Limits, exclude: Sequence[str]) -> None:
        self.root = root
        self.limits = limits
        # Each distinct pattern line is compiled once: monorepos repeat the same .gitignore.
        self.pattern_cache: dict[str, pathspec.GitIgnoreSpec | None] = {}
        self.gitignores: dict[bytes, _Rules | None] = {}
        patterns = [p.strip().replace("\\", "/").removeprefix("./") for p in exclude]
        rules = _Rules([p for p in patterns if p], self.pattern_cache)
        self.exclude = rules if rules else None
        self.candidates: list[Candidate] = []
        self.errors: list[ScanError] = []
        self.files_seen = 0
        self._tracked: tuple[frozenset[str], frozenset[str]] | None = None

    # --- filters ------------------------------------------------------------------------------

    def ignored(self, rel: str, is_dir: bool, ignores: tuple[tuple[str, _Rules], ...]) -> bool:
        probe = rel + "/" if is_dir else rel  # a trailing slash lets `build/` patterns match folders
        if self.exclude is not None and self.exclude.verdict(probe):
            return True
        # Deeper .gitignore files override shallower ones; the first that has a say decides.
        for prefix, rules in reversed(ignores):
            verdict = rules.verdict(probe[len(prefix) :])
            if verdict is not None:
                return verdict and not self.tracked(rel, is_dir)
        return False

    def tracked(self, rel: str, is_dir: bool) -> bool:
        """Whether git tracks the file (or a file inside the folder): .gitignore hides only
        untracked files. The index is read once, on the first path a .gitignore hides."""
        if self._tracked is None:
            from faasguard.loaders.git_index import tracked_paths

            found = tracked_paths(self.root)
            self._tracked = (found, frozenset(d for p in found for d in _parents(p)))
        files, folders = self._tracked
        return rel in folders if is_dir else rel in files

    def load_gitignore(self, path: str) -> _Rules | None:
        try:
            data = read_bytes(Path(path), self.root, self.limits)
        except ReadFailure:
            return None  # an unreadable .gitignore hides nothing; git itself is silent here
        if data not in self.gitignores:
            rules = _Rules(data.decode("utf-8", errors="replace").splitlines(), self.pattern_cache)
            self.gitignores[data] = rules if rules else None
        return self.gitignores[data]

    # --- recording ----------------------------------------------------------------------------

    def error(self, rel: str, message: str, kind: str) -> None:
        self.errors.append(ScanError(path=rel, line=None, message=message, kind=kind))

    def add(self, kind: str, path: str, rel: str, app_root: str) -> None:
        self.candidates.append(
            Candidate(kind=kind, path=Path(path), rel=rel or ".", app_root=app_root or ".")
        )

    # --- the walk -----------------------------------------------------------------------------

    def walk(self) -> None:
        stack = [_Dir(str(self.root), "", (), None)]
        while stack:
            folder = stack.pop()
            subdirs = self.visit(folder)
            if subdirs is None:  # max_files reached
                return
            stack.extend(reversed(subdirs))  # visit in name order: the max_files cut is repeatable

    def visit(self, folder: _Dir) -> list[_Dir] | None:
        try:
            with os.scandir(folder.path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.error(folder.rel or ".", f"cannot list folder: {exc.strerror or exc}", "io")
            return []
        names = {e.name for e in entries}
        if folder.rel and "pyvenv.cfg" in names:
            return []  # a virtualenv, whatever it is called
        # `pip install --target` output (Lambda layers, vendored dependencies): its subfolders are
        # third-party packages, often thousands of files; the folder's own files are still seen.
        vendored = any(name.endswith(".dist-info") for name in names)
        ignores = folder.ignores
        if ".gitignore" in names and folder.cdk_root is None:
            spec = self.load_gitignore(os.path.join(folder.path, ".gitignore"))
            if spec is not None:
                ignores = (*ignores, (folder.rel + "/" if folder.rel else "", spec))
        folder_name = folder.rel.rpartition("/")[2]
        in_cdk = folder.cdk_root is not None
        has_tf = False
        chalice_sample = False
        subdirs: list[_Dir] = []
        for entry in entries:
            rel = f"{folder.rel}/{entry.name}" if folder.rel else entry.name
            try:
                is_link = entry.is_symlink()
                is_dir = not is_link and entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if vendored:
                    continue
                sub = self.subfolder(entry, rel, folder, ignores)
                if sub is not None:
                    subdirs.append(sub)
                continue
            if self.files_seen >= self.limits.max_files:
                self.error(
                    ".",
                    f"stopped after {self.limits.max_files} files (max_files bound); the rest was not read",
                    "bound",
                )
                return None
            self.files_seen += 1
            kind = _name_kind(entry.name, folder_name, in_cdk)
            if is_link and not self.link_ok(entry, rel, kind, ignores):
                continue
            if kind is None or self.ignored(rel, False, ignores):
                continue
            if not self.regular(entry, rel):
                continue
            if kind == "terraform":
                has_tf = True  # one candidate per folder: Terraform reads a folder as one module
            elif kind == "serverless-ts":
                self.add(kind, entry.path, rel, folder.rel)
            elif kind == "chalice":
                # A Chalice project is .chalice/config.json beside app.py (a sample of it only
                # when there is no config.json, and then the first sample by name).
                app_dir = os.path.dirname(folder.path)
                if entry.name.lower() != "config.json":
                    if os.path.isfile(os.path.join(folder.path, "config.json")) or chalice_sample:
                        continue
                    chalice_sample = True
                if os.path.isfile(os.path.join(app_dir, "app.py")):
                    self.add(kind, entry.path, rel, folder.rel.rpartition("/")[0])
            else:
                app_root = folder.cdk_root if kind == "cdk" else folder.rel
                self.inspect(kind, entry.path, rel, app_root or ".")
        if has_tf:
            self.add("terraform", folder.path, folder.rel, folder.rel)
        return subdirs

    def subfolder(
        self,
        entry: os.DirEntry[str],
        rel: str,
        parent: _Dir,
        ignores: tuple[tuple[str, _Rules], ...],
    ) -> _Dir | None:
        name = entry.name
        if name in SKIP_DIRS:
            return None
        if parent.cdk_root is not None:
            # Asset folders are copies of sources and bundles, not templates.
            if name.startswith("asset."):
                return None
            return None if self.ignored(rel, True, ()) else _Dir(entry.path, rel, (), parent.cdk_root)
        if name == "cdk.out":
            # cdk.out is gitignored in nearly every CDK project, yet the synthesized templates in it
            # are the only way to see a CDK app without running it: only user excludes apply.
            if self.ignored(rel, True, ()):
                return None
            return _Dir(entry.path, rel, (), parent.rel or ".")
        if self.ignored(rel, True, ignores):
            return None
        return _Dir(entry.path, rel, ignores, None)

    def link_ok(
        self,
        entry: os.DirEntry[str],
        rel: str,
        kind: str | None,
        ignores: tuple[tuple[str, _Rules], ...],
    ) -> bool:
        """Whether a symlink may be treated as the file it names. Linked folders are never
        followed (their targets inside the root are walked where they live)."""
        points_to_dir = os.path.isdir(entry.path)  # False on loops and dangling links
        if not is_inside(Path(entry.path), self.root):
            if (points_to_dir or kind is not None) and not self.ignored(rel, points_to_dir, ignores):
                what = "folder" if points_to_dir else "file"
                self.error(
                    rel, f"symbolic link to a {what} outside the scanned folder; not read", "outside-root"
                )
            return False
        return not points_to_dir

    def regular(self, entry: os.DirEntry[str], rel: str) -> bool:
        """Only regular files are candidates: opening a FIFO blocks forever, a device never ends."""
        try:
            if entry.is_file():  # follows a link; free for plain entries (the listing's d_type)
                return True
            os.stat(entry.path)
            problem = "not a regular file (FIFO, socket or device)"
        except OSError as exc:  # a dangling or looping link
            problem = f"cannot read file: {exc.strerror or exc}"
        if is_template_like(entry.name):
            self.error(rel, problem, "io")
        return False

    def inspect(self, kind: str, path: str, rel: str, app_root: str) -> None:
        """Read a would-be template and keep it if it is one (cloudformation, cdk, serverless)."""
        template_like = is_template_like(os.path.basename(path))  # true of every cdk/serverless name
        try:
            data = read_bytes(Path(path), self.root, self.limits)
        except ReadFailure as failure:
            if failure.kind == "bound":
                if template_like or _head_mentions_aws(path):
                    self.error(rel, failure.message, "bound")
            elif template_like:
                self.error(rel, failure.message, failure.kind)
            return
        if b"\x00" in data[:_BINARY_WINDOW]:
            if template_like:
                self.error(rel, "binary file (NUL bytes), not a text template", "parse")
            return
        if kind == "serverless" or (
            b"AWS::" in data and b"Resources" in data and _TEMPLATE_MARK.search(data) is not None
        ):
            self.add(kind, path, rel, app_root)
        elif template_like and not data.isascii():
            try:  # binary without NUL bytes, named as a template: say so rather than skip it silently
                decode_text(data)
            except ReadFailure as failure:
                self.error(rel, f"not a text template: {failure.message}", failure.kind)


def _head_mentions_aws(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return b"AWS::" in fh.read(_HEAD_BYTES)
    except OSError:
        return False


def discover(root: Path, limits: Limits = DEFAULT_LIMITS, exclude: Sequence[str] = ()) -> Discovery:
    """Candidates for the loaders under `root`, with the files that could not be considered.

    A file given as `root` is looked at on its own, relative to its folder.
    """
    try:
        real = Path(os.path.realpath(root))
        is_dir = real.is_dir()
        exists = is_dir or real.exists()
    except OSError as exc:
        return Discovery([], [ScanError(".", None, f"cannot open scan root: {exc.strerror or exc}", "io")], 0)
    if not exists:
        return Discovery([], [ScanError(".", None, "scan root does not exist", "io")], 0)
    if not is_dir:
        return _discover_file(real, limits)
    walker = _Walker(real, limits, exclude)
    walker.walk()
    walker.candidates.sort(key=lambda c: c.rel)
    walker.errors.sort(key=lambda e: (e.path, e.kind))
    return Discovery(walker.candidates, walker.errors, walker.files_seen)


def _discover_file(path: Path, limits: Limits) -> Discovery:
    # The folder becomes the root, so a template inside cdk.out is read as plain CloudFormation:
    # the CDK app around it is outside what the user asked to scan.
    walker = _Walker(path.parent, limits, ())
    name = path.name
    kind = _name_kind(name, "", in_cdk=False)
    if kind in ("cloudformation", "serverless"):
        walker.inspect(kind, str(path), name, ".")
    elif kind == "serverless-ts":
        walker.add(kind, str(path), name, ".")
    elif kind == "terraform":
        walker.add(kind, str(path.parent), ".", ".")
    if not walker.candidates and not walker.errors:
        walker.error(
            name, "not a recognised template (CloudFormation, SAM, CDK output, Serverless)", "unsupported"
        )
    return Discovery(walker.candidates, walker.errors, 1)


__all__ = ["SKIP_DIRS", "Candidate", "Discovery", "discover", "is_template_like"]
