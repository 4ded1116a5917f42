"""Map a function's handler string to the source file that defines it (read-only: existence checks)."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from faasguard.loaders.reader import is_inside

_NODE_EXTS = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")


def language_of(runtime: object, handler: object) -> str | None:
    if isinstance(runtime, str):
        if runtime.startswith("python"):
            return "python"
        if runtime.startswith("nodejs"):
            return "node"
        return None
    return None


def _exists(root: Path, rel: str) -> bool:
    p = root / rel
    return os.path.isfile(p) and is_inside(p, root)


def handler_candidates(code_dir: str, handler: str, language: str | None) -> list[str]:
    """Possible files (relative to the scan root) for `handler` inside `code_dir`."""
    module, _, _symbol = handler.rpartition(".")
    if not module:
        return []
    out: list[str] = []
    if language in ("python", None):
        out.append(posixpath.normpath(posixpath.join(code_dir, module.replace(".", "/") + ".py")))
        out.append(posixpath.normpath(posixpath.join(code_dir, module.replace(".", "/"), "__init__.py")))
    if language in ("node", None):
        out.extend(posixpath.normpath(posixpath.join(code_dir, module + ext)) for ext in _NODE_EXTS)
        out.extend(posixpath.normpath(posixpath.join(code_dir, module, "index" + ext)) for ext in _NODE_EXTS)
    return [c for c in out if not c.startswith("../") and c != ".."]


def resolve_handler_file(
    root: Path, code_dir: str | None, handler: object, runtime: object, entry_points: list[str] | None = None
) -> str | None:
    """The handler's source file relative to the scan root, or None when it is not in the checkout."""
    if code_dir is None or not isinstance(handler, str):
        return None
    language = language_of(runtime, handler)
    if language is None and isinstance(runtime, str):
        return None  # Java, .NET, Go, Ruby, custom runtimes: no handler-to-file mapping
    if os.path.isfile(root / code_dir):  # CodeUri names the single source file itself
        module = handler.rpartition(".")[0]
        stem = posixpath.splitext(posixpath.basename(code_dir))[0]
        return code_dir if module == stem and is_inside(root / code_dir, root) else None
    for entry in entry_points or []:  # esbuild-built TypeScript names its entry file
        cand = posixpath.normpath(posixpath.join(code_dir, entry))
        if _exists(root, cand):
            return cand
    for cand in handler_candidates(code_dir, handler, language):
        if _exists(root, cand):
            return cand
    return None
