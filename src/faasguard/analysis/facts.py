"""A per-scan memo of analysis results, shared by the rules that need the same facts.

An analysis is a pure function of (application, scan root); the first rule that asks computes it,
the others reuse it. Keyed by the application's identity: applications are frozen and live for
the whole scan.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

from faasguard.model import Application

T = TypeVar("T")


class Facts:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._memo: dict[tuple[str, int], object] = {}

    def get(self, name: str, app: Application, compute: Callable[[Application, Path], T]) -> T:
        key = (name, id(app))
        if key not in self._memo:
            self._memo[key] = compute(app, self.root)
        return cast(T, self._memo[key])
