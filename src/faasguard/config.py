"""Project configuration: `[tool.faasguard]` in pyproject.toml, or `.faasguard.toml`.

Files are found upward from each application's folder to the scan root, so a monorepo can set
rules per folder: the nearest file wins key by key. Keys:

    select = ["FG-AUTH-001"]          # only these rules (default: all)
    skip = ["FG-LOG-001"]             # never these
    severity = {FG-LOG-003 = "high"}  # severity overrides
    exclude = ["legacy/**"]           # paths left out of discovery (root config only)
    rules_version = "0.1"             # only rules introduced up to this faasguard version
    budget_usd_per_day = 50           # denial-of-wallet severity threshold
    account_concurrency = 1000        # the account's Lambda concurrency quota
    limits = {max_file_bytes = 5242880}
    [[tool.faasguard.ignore]]         # suppressions: a reason is required
    id = "FG-IAM-005"
    path = "services/legacy/**"       # optional glob; resource = "SharedRole" optional
    reason = "shared role is reviewed"
    until = 2027-01-31                # optional: stops suppressing after this day
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from faasguard.findings import Severity
from faasguard.limits import Limits


class ConfigError(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True, slots=True)
class ConfigIgnore:
    rule: str
    reason: str | None
    source: str  # the config file
    path: str | None = None
    resource: str | None = None
    until: str | None = None


@dataclass(frozen=True, slots=True)
class Config:
    select: frozenset[str] | None = None
    skip: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    rules_version: str | None = None
    budget_usd_per_day: float | None = None
    account_concurrency: int | None = None
    limits: dict[str, float] = field(default_factory=dict)
    ignores: tuple[ConfigIgnore, ...] = ()
    files: tuple[str, ...] = ()  # the config files that made this, outermost first

    def apply_limits(self, base: Limits) -> Limits:
        known = {f.name: f.type for f in fields(Limits)}
        values: dict[str, Any] = {}
        for key, value in self.limits.items():
            if key in known:
                values[key] = float(value) if key == "parse_seconds" else int(value)
        return replace(base, **values) if values else base


EMPTY = Config()

_KEYS = {
    "select",
    "skip",
    "severity",
    "exclude",
    "rules_version",
    "budget_usd_per_day",
    "account_concurrency",
    "limits",
    "ignore",
}


def _table(path: Path) -> dict[str, Any] | None:
    """The faasguard table of one file, or None when the file has none."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), f"invalid TOML: {exc}") from None
    tool = data.get("tool")
    table: object = tool.get("faasguard") if isinstance(tool, dict) else None
    if table is None and path.name != "pyproject.toml":
        table = data  # .faasguard.toml may hold the keys at the top level
    return table if isinstance(table, dict) else None


def _ids(value: object, path: str, key: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(path, f"`{key}` must be a list of rule ids")
    return frozenset(v.upper() for v in value)


def _merge(base: Config, table: dict[str, Any], path: str) -> Config:
    unknown = set(table) - _KEYS
    if unknown:
        raise ConfigError(path, f"unknown key(s): {', '.join(sorted(unknown))}")
    out = base
    if "select" in table:
        out = replace(out, select=_ids(table["select"], path, "select"))
    if "skip" in table:
        out = replace(out, skip=_ids(table["skip"], path, "skip"))
    if "severity" in table:
        sev = dict(out.severity)
        if not isinstance(table["severity"], dict):
            raise ConfigError(path, "`severity` must be a table of rule id = severity")
        for rid, level in table["severity"].items():
            try:
                sev[str(rid).upper()] = Severity(str(level).lower())
            except ValueError:
                raise ConfigError(path, f"unknown severity {level!r} for {rid}") from None
        out = replace(out, severity=sev)
    if "exclude" in table:
        excl = table["exclude"]
        if not isinstance(excl, list):
            raise ConfigError(path, "`exclude` must be a list of globs")
        out = replace(out, exclude=tuple(str(e) for e in excl))
    for key in ("rules_version",):
        if key in table:
            out = replace(out, rules_version=str(table[key]))
    if "budget_usd_per_day" in table:
        out = replace(out, budget_usd_per_day=float(table["budget_usd_per_day"]))
    if "account_concurrency" in table:
        out = replace(out, account_concurrency=int(table["account_concurrency"]))
    if "limits" in table:
        if not isinstance(table["limits"], dict):
            raise ConfigError(path, "`limits` must be a table")
        unknown_limits = set(table["limits"]) - set(Limits.names())
        if unknown_limits:
            raise ConfigError(path, f"unknown limit(s): {', '.join(sorted(unknown_limits))}")
        out = replace(out, limits={**out.limits, **table["limits"]})
    if "ignore" in table:
        out = replace(out, ignores=out.ignores + tuple(_ignores(table["ignore"], path)))
    return replace(out, files=(*out.files, path))


def _ignores(entries: object, path: str) -> list[ConfigIgnore]:
    if not isinstance(entries, list):
        raise ConfigError(path, "`ignore` must be an array of tables")
    out = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise ConfigError(path, "each `ignore` entry needs an `id`")
        until = entry.get("until")
        reason = entry.get("reason")
        out.append(
            ConfigIgnore(
                rule=entry["id"].upper() if entry["id"] != "*" else "*",
                reason=reason if isinstance(reason, str) and reason.strip() else None,
                source=path,
                path=str(entry["path"]) if "path" in entry else None,
                resource=str(entry["resource"]) if "resource" in entry else None,
                until=until.isoformat() if isinstance(until, dt.date) else (str(until) if until else None),
            )
        )
    return out


def _files_in(folder: Path) -> list[Path]:
    return [p for p in (folder / "pyproject.toml", folder / ".faasguard.toml") if p.is_file()]


@lru_cache(maxsize=1024)
def _config_for(folder: Path, root: Path) -> Config:
    parent = EMPTY if folder == root or root not in folder.parents else _config_for(folder.parent, root)
    config = parent
    for file in _files_in(folder):
        rel = file.relative_to(root).as_posix() if root in file.parents else str(file)
        try:
            table = _table(file)
        except ConfigError as exc:
            raise ConfigError(rel, exc.message) from None
        if table is not None:
            config = _merge(config, table, rel)
    return config


def config_for(app_folder: Path, root: Path) -> Config:
    """The merged configuration that applies to an application folder (nearest file wins)."""
    return _config_for(app_folder.resolve(), root.resolve())


def clear_cache() -> None:
    _config_for.cache_clear()
