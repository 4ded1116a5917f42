"""The shield's exceptions."""

from __future__ import annotations

TYPE_CHECKING = False  # typing is imported for the type checker only: it costs import time
if TYPE_CHECKING:
    from typing import Any


class ShieldViolation(PermissionError):
    """An operation refused by the installed policy (a family in ``block`` mode).

    It derives from :class:`PermissionError` so code that already copes with "not permitted"
    (``tempfile`` probing folders, libraries falling back when a write fails) keeps working. The
    handler wrapper turns it into a safe error response. ``family`` is one of ``process``,
    ``network``, ``files``, ``code`` or ``tamper``; ``detail`` is the same dictionary as the
    security event's (target host and port, path, command name; never secret values).
    """

    def __init__(self, message: str, family: str = "", detail: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.family = family
        self.detail: dict[str, Any] = dict(detail) if detail else {}


class InputRejected(ValueError):
    """An event rejected by :func:`faasguard_shield.guard` for a non-HTTP trigger.

    ``reason`` is ``too_large``, ``invalid_json``, ``unsupported_media_type`` or ``schema``;
    ``errors`` lists ``{"path": ..., "message": ...}`` without the rejected values.
    """

    def __init__(self, reason: str, message: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.errors: list[dict[str, str]] = list(errors or [])


class PolicyError(ValueError):
    """A policy that cannot be understood: unknown key, bad mode, malformed allow-list entry."""


class SchemaError(ValueError):
    """A JSON schema the validator cannot use (invalid, or a keyword it does not implement)."""
