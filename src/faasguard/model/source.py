"""Where a model element came from, and values that cannot be known statically."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A place in a scanned file: path relative to the scan root (POSIX), 1-based lines."""

    path: str
    line: int
    end_line: int | None = None

    def at(self, line: int | None, end_line: int | None = None) -> SourceRef:
        """The same file at another line (or this ref when the line is unknown)."""
        if line is None:
            return self
        return SourceRef(self.path, line, end_line if end_line is not None else line)


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value the loader could not resolve without deploying (ImportValue, SSM, ...).

    Rules treat it as "cannot say", never as a default.
    """

    reason: str
    source: SourceRef | None = None

    def __str__(self) -> str:
        return f"<unknown: {self.reason}>"


def is_unknown(value: object) -> bool:
    return isinstance(value, Unknown)
