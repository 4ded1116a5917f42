"""`--changed-since REF`: which applications the files changed since a git ref touch.

Runs `git` on the user's repository (the tool, not the scanned code): a read-only query.
"""

from __future__ import annotations

import posixpath
import subprocess
from pathlib import Path

from faasguard.model import Application


class ChangesError(Exception):
    pass


def _git(root: Path, *args: str) -> list[str]:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ChangesError(f"git could not be run: {exc}") from None
    if done.returncode != 0:
        raise ChangesError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return [line for line in done.stdout.splitlines() if line]


def changed_files(root: Path, ref: str) -> set[str]:
    """Files (relative to `root`, POSIX) changed since `ref`, including uncommitted and untracked ones."""
    if ref.startswith("-"):
        raise ChangesError(f"not a git ref: {ref}")
    changed = set(_git(root, "diff", "--name-only", "--relative", ref, "--"))
    changed.update(_git(root, "ls-files", "--others", "--exclude-standard"))
    return changed


def touched(app: Application, changed: set[str]) -> bool:
    """An application is touched by a change to its templates, its functions' code folders, or a
    file in its own folder (samconfig.toml, a manifest)."""
    if any(f in changed for f in app.files):
        return True
    folders = {f.code_uri for f in app.functions if isinstance(f.code_uri, str)}
    for path in changed:
        parent = posixpath.dirname(path) or "."
        if parent == app.root:
            return True
        if any(path == folder or path.startswith(folder.rstrip("/") + "/") for folder in folders):
            return True
    return False
