"""Library entry point: `scan(path, options) -> ScanResult`. The CLI is a thin layer over it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from faasguard.findings import ScanResult, Severity
from faasguard.limits import DEFAULT_LIMITS, Limits
from faasguard.settings import DEFAULT_SETTINGS, Settings


@dataclass(frozen=True)
class ScanOptions:
    limits: Limits = DEFAULT_LIMITS
    settings: Settings = DEFAULT_SETTINGS
    # Template parameter values given by the user (--parameter KEY=VALUE); they win over defaults.
    parameters: Mapping[str, str] = field(default_factory=dict)
    # samconfig.toml environment whose parameter_overrides apply (--config-env).
    config_env: str = "default"
    # Serverless Framework / Chalice stage (--stage) and Serverless ${param:...} values (--param).
    stage: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    # Terraform variable files (--var-file) and values (--var KEY=VALUE).
    var_files: tuple[str, ...] = ()
    variables: Mapping[str, str] = field(default_factory=dict)
    # Only these rule ids (empty: all) / never these.
    select: frozenset[str] = frozenset()
    skip: frozenset[str] = frozenset()
    severity_overrides: Mapping[str, Severity] = field(default_factory=dict)
    # Extra glob patterns (relative to the root) to leave out of discovery.
    exclude: tuple[str, ...] = ()
    # Read [tool.faasguard] / .faasguard.toml files (off: only these options count).
    use_config: bool = True
    # Hide findings whose fingerprints are in this baseline file (--baseline).
    baseline: Path | None = None
    # Scan only applications touched by files changed since this git ref (--changed-since).
    changed_since: str | None = None
    # Progress callback: (done, total, current path) - used by the CLI for long scans.
    progress: Callable[[int, int, str], None] | None = None
    # Vulnerability data for dependencies (--osv-db): a faasguard database, an OSV zip export or a
    # folder of OSV JSON files. None: no lookups (the CLI passes the cache database by default,
    # and reports in `errors` when there is none).
    osv_db: Path | None = None
    # Ask the OSV API instead (--online), only for packages from the public registries.
    online: bool = False
    # Keep the applications and the analyses' facts in ScanResult.models / .facts (the HTML
    # report's per-function pages need them; off by default to free them after the scan).
    keep_models: bool = False
    # Processes that load applications: 1 loads them in this process (the library never forks
    # unless asked); 0 forks a few workers when a scan has many candidates (the CLI's choice);
    # N asks for N. FAASGUARD_WORKERS overrides it; see loaders/pool.py.
    workers: int = 1


def scan(path: str | Path, options: ScanOptions | None = None) -> ScanResult:
    from faasguard.engine import run_scan

    return run_scan(Path(path), options or ScanOptions())
