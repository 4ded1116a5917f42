"""A per-scan memo of analysis results, shared by the rules that need the same facts.

An analysis is a pure function of (application, scan root); the first rule that asks computes it,
the others reuse it. Keyed by the application's identity: applications are frozen and live for
the whole scan.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from faasguard.findings import ScanError
from faasguard.model import Application

if TYPE_CHECKING:
    from faasguard.api import ScanOptions

T = TypeVar("T")


class Facts:
    def __init__(self, root: Path, options: ScanOptions | None = None) -> None:
        self.root = root
        # The scan's options (data sources such as --osv-db / --online); None outside a scan.
        self.options = options
        # Problems an analysis met (an unreadable manifest, no vulnerability data...): the engine
        # adds them to the scan's `errors`. Append with `error()` to keep them unique.
        self.errors: list[ScanError] = []
        # What an analysis chose not to look at, said without a finding or an error (an API spec
        # paired with no API): the engine adds them to the result's `notes`.
        self.notes: list[ScanError] = []
        self._memo: dict[tuple[str, int], object] = {}

    def error(self, error: ScanError) -> None:
        if error not in self.errors:
            self.errors.append(error)

    def note(self, note: ScanError) -> None:
        if note not in self.notes:
            self.notes.append(note)

    def forget(self, app: Application) -> None:
        """Drop what was computed for `app` once its rules have run: a scan of hundreds of
        applications then holds one application's analyses at a time, not all of them."""
        key = id(app)
        for name, ident in [k for k in self._memo if k[1] == key]:
            del self._memo[(name, ident)]

    def get(self, name: str, app: Application, compute: Callable[[Application, Path], T]) -> T:
        key = (name, id(app))
        if key not in self._memo:
            self._memo[key] = compute(app, self.root)
        return cast(T, self._memo[key])
