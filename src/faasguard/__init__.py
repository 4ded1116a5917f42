"""faasguard: a security scanner for serverless applications."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from faasguard.api import ScanOptions, scan

__all__ = ["ScanOptions", "__version__", "scan"]


def __getattr__(name: str) -> Any:
    # Lazy: `faasguard --version` and `import faasguard` stay instant.
    if name in ("scan", "ScanOptions"):
        from faasguard import api

        return getattr(api, name)
    raise AttributeError(name)
