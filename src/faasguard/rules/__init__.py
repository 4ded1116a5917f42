"""Rules, one module per category. Importing this package does not import the rule modules."""

from __future__ import annotations

import importlib

RULE_MODULES = (
    "faasguard.rules.broken_auth",
    "faasguard.rules.over_privilege",
    "faasguard.rules.logging_monitoring",
    "faasguard.rules.vulnerable_dependency",
    "faasguard.rules.dependencies",
    "faasguard.rules.denial_of_wallet",
    "faasguard.rules.shadow_api",
    "faasguard.rules.sensitive_data",
    "faasguard.rules.insecure_transport",
    "faasguard.rules.event_injection",
    "faasguard.rules.code_checks",
    "faasguard.rules.serverless_config",
    "faasguard.rules.attack_paths",
    "faasguard.rules.least_privilege",
)

_loaded = False


def load_all() -> None:
    global _loaded
    if _loaded:
        return
    for name in RULE_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    _loaded = True
