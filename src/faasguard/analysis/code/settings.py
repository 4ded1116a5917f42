"""Thresholds of the code-quality checks: `Settings.code` (defined with the other settings)."""

from __future__ import annotations

from faasguard.settings import CodeSettings

DEFAULT_CODE_SETTINGS = CodeSettings()


def code_settings(settings: object) -> CodeSettings:
    """The code settings carried by the scan settings (`Settings.code`), or the defaults."""
    found = getattr(settings, "code", None)
    return found if isinstance(found, CodeSettings) else DEFAULT_CODE_SETTINGS
