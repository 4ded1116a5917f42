"""OSV records: what we keep of them, how their ranges are evaluated, how severities are derived.

The matching follows the OSV schema (https://ossf.github.io/osv-schema/):

- an `affected` entry applies to a package when its ecosystem matches and its name matches after
  the ecosystem's normalisation (PEP 503 for PyPI), never by prefix;
- a version is affected when it is listed in `versions`, or when a `SEMVER` / `ECOSYSTEM` range's
  events, sorted by version, leave it inside: `introduced` opens (`"0"` is below every version),
  `fixed` closes at that version, `last_affected` closes after it. `GIT` ranges are skipped;
- records with `withdrawn` are dropped when the database is built;
- records that name each other in `aliases` (a GHSA, its CVE and the PYSEC copy) are one finding;
- `MAL-` records (the OpenSSF malicious-packages feed) mark malicious packages.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from faasguard.analysis.deps.versions import ECOSYSTEMS, normalize, range_key, version_key

SEVERITIES = ("critical", "high", "medium", "low")
_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1}
# GitHub's advisory levels, as OSV carries them in database_specific.severity.
_DB_LEVELS = {"CRITICAL": "critical", "HIGH": "high", "MODERATE": "medium", "MEDIUM": "medium", "LOW": "low"}
SUMMARY_MAX = 300


def severity_rank(level: str | None) -> int:
    return _RANK.get(level or "", 0)


# --- CVSS ---------------------------------------------------------------------------------------


def _roundup(value: float) -> float:
    """CVSS 3.1's Roundup: the smallest one-decimal number >= value, without float surprises."""
    scaled = round(value * 100_000)
    if scaled % 10_000 == 0:
        return scaled / 100_000.0
    return (math.floor(scaled / 10_000) + 1) / 10.0


def _metrics(vector: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in vector.split("/"):
        key, sep, value = part.partition(":")
        if sep:
            out[key] = value
    return out


def cvss3_score(vector: str) -> float | None:
    """The CVSS v3.0/v3.1 base score of a vector string (None when it is not one)."""
    m = _metrics(vector)
    try:
        scope_changed = m["S"] == "C"
        av = {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2}[m["AV"]]
        ac = {"L": 0.77, "H": 0.44}[m["AC"]]
        pr = {"N": 0.85, "L": 0.68 if scope_changed else 0.62, "H": 0.5 if scope_changed else 0.27}[m["PR"]]
        ui = {"N": 0.85, "R": 0.62}[m["UI"]]
        cia = [{"H": 0.56, "L": 0.22, "N": 0.0}[m[k]] for k in ("C", "I", "A")]
    except KeyError:
        return None
    iss = 1 - (1 - cia[0]) * (1 - cia[1]) * (1 - cia[2])
    impact = 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 if scope_changed else 6.42 * iss
    if impact <= 0:
        return 0.0
    exploitability = 8.22 * av * ac * pr * ui
    total = 1.08 * (impact + exploitability) if scope_changed else impact + exploitability
    return _roundup(min(total, 10.0))


def cvss2_score(vector: str) -> float | None:
    m = _metrics(vector.removeprefix("(").removesuffix(")"))
    try:
        av = {"L": 0.395, "A": 0.646, "N": 1.0}[m["AV"]]
        ac = {"H": 0.35, "M": 0.61, "L": 0.71}[m["AC"]]
        au = {"M": 0.45, "S": 0.56, "N": 0.704}[m["Au"]]
        cia = [{"N": 0.0, "P": 0.275, "C": 0.660}[m[k]] for k in ("C", "I", "A")]
    except KeyError:
        return None
    impact = 10.41 * (1 - (1 - cia[0]) * (1 - cia[1]) * (1 - cia[2]))
    exploitability = 20 * av * ac * au
    f = 0.0 if impact == 0 else 1.176
    return round((0.6 * impact + 0.4 * exploitability - 1.5) * f, 1)


def level_of(score: float, v2: bool = False) -> str | None:
    if v2:
        return "high" if score >= 7.0 else "medium" if score >= 4.0 else "low"
    if score >= 9.0:
        return "critical"
    if score >= 7.0:
        return "high"
    if score >= 4.0:
        return "medium"
    return "low" if score > 0 else None


def record_severity(record: dict[str, Any]) -> tuple[str | None, float | None, str | None]:
    """(level, score, vector): a CVSS v3 vector first, then the database's own level, then CVSS v2.

    CVSS v4 vectors are kept as the vector but not scored (their scoring needs the full
    macro-vector table); the database's level (GitHub's, for GHSA records) is used with them.
    """
    vectors: dict[str, str] = {}
    for entry in _list(record.get("severity")):
        if isinstance(entry, dict) and isinstance(entry.get("score"), str):
            vectors.setdefault(str(entry.get("type")), entry["score"])
    for affected in _list(record.get("affected")):
        if isinstance(affected, dict):
            for entry in _list(affected.get("severity")):
                if isinstance(entry, dict) and isinstance(entry.get("score"), str):
                    vectors.setdefault(str(entry.get("type")), entry["score"])
    v3 = vectors.get("CVSS_V3")
    if v3:
        score = cvss3_score(v3)
        if score is not None and level_of(score):
            return level_of(score), score, v3
    db_level = _db_level(record)
    vector = vectors.get("CVSS_V4") or v3
    if db_level:
        return db_level, None, vector
    v2 = vectors.get("CVSS_V2")
    if v2:
        score = cvss2_score(v2)
        if score is not None:
            return level_of(score, v2=True), score, v2
    return None, None, vector


def _db_level(record: dict[str, Any]) -> str | None:
    places = [record.get("database_specific")]
    for affected in _list(record.get("affected")):
        if isinstance(affected, dict):
            places += [affected.get("database_specific"), affected.get("ecosystem_specific")]
    for place in places:
        if isinstance(place, dict) and isinstance(place.get("severity"), str):
            level = _DB_LEVELS.get(place["severity"].strip().upper())
            if level:
                return level
    return None


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


# --- records as stored --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordRow:
    id: str
    modified: str
    summary: str
    aliases: tuple[str, ...]
    severity: str | None
    score: float | None
    vector: str | None
    malicious: bool


@dataclass(frozen=True, slots=True)
class AffectedRow:
    ecosystem: str
    name: str  # normalised
    data: str  # JSON: {"r": [[type, [[event, version], ...]], ...], "v": [versions]}


def is_malicious(record_id: str, aliases: Iterable[str] = ()) -> bool:
    return record_id.startswith("MAL-") or any(a.startswith("MAL-") for a in aliases)


def parse_record(record: object) -> tuple[RecordRow, list[AffectedRow]] | None:
    """What the database keeps of one OSV record; None when it is not one, is withdrawn, or
    names no PyPI / npm package."""
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        return None
    if record.get("withdrawn"):
        return None
    rows: dict[tuple[str, str], dict[str, list[Any]]] = {}
    for affected in _list(record.get("affected")):
        if not isinstance(affected, dict) or not isinstance(affected.get("package"), dict):
            continue
        package = affected["package"]
        ecosystem, name = package.get("ecosystem"), package.get("name")
        if ecosystem not in ECOSYSTEMS or not isinstance(name, str) or not name.strip():
            continue
        slot = rows.setdefault((ecosystem, normalize(ecosystem, name)), {"r": [], "v": []})
        for rng in _list(affected.get("ranges")):
            if not isinstance(rng, dict) or rng.get("type") not in ("SEMVER", "ECOSYSTEM"):
                continue
            events = []
            for event in _list(rng.get("events")):
                if isinstance(event, dict):
                    for kind in ("introduced", "fixed", "last_affected"):
                        if isinstance(event.get(kind), str):
                            events.append([kind, event[kind]])
            if events:
                slot["r"].append([rng["type"], events])
        slot["v"].extend(v for v in _list(affected.get("versions")) if isinstance(v, str))
    if not rows:
        return None
    aliases = tuple(a for a in _list(record.get("aliases")) if isinstance(a, str))
    summary = record.get("summary") if isinstance(record.get("summary"), str) else ""
    if not summary and isinstance(record.get("details"), str):
        summary = record["details"].strip().split("\n", 1)[0]
    summary = " ".join(str(summary).split())[:SUMMARY_MAX]
    level, score, vector = record_severity(record)
    row = RecordRow(
        id=record["id"],
        modified=str(record.get("modified") or ""),
        summary=summary,
        aliases=aliases,
        severity=level,
        score=score,
        vector=vector,
        malicious=is_malicious(record["id"], aliases),
    )
    affected_rows = [
        AffectedRow(eco, name, json.dumps(data, separators=(",", ":"))) for (eco, name), data in rows.items()
    ]
    return row, affected_rows


# --- evaluation ---------------------------------------------------------------------------------

# An event as evaluated: (key, kind, version text); key None stands for "0", below everything.
Event = tuple[Any, str, str]


@dataclass(frozen=True, slots=True)
class Range:
    events: tuple[Event, ...]  # sorted by version


@dataclass(frozen=True, slots=True)
class Affected:
    ranges: tuple[Range, ...]
    versions: frozenset[str]
    version_keys: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Advisory:
    """One OSV record as it applies to one package."""

    id: str
    aliases: tuple[str, ...]
    summary: str
    severity: str | None
    score: float | None
    vector: str | None
    malicious: bool
    modified: str
    affected: tuple[Affected, ...] = ()
    origin: str = ""  # the database, folder or service it came from


def _sort_key(event: Event) -> tuple[int, Any]:
    return (0, 0) if event[0] is None else (1, event[0])


def build_affected(ecosystem: str, data: dict[str, Any]) -> Affected:
    ranges: list[Range] = []
    for rtype, raw_events in data.get("r", []):
        events: list[Event] = []
        broken = False
        for kind, text in raw_events:
            if kind == "introduced" and text == "0":
                events.append((None, kind, text))
                continue
            key = range_key(rtype, ecosystem, text)
            if key is None:
                broken = True  # a range we cannot order is skipped whole (the list may still say)
                break
            events.append((key, kind, text))
        if not broken and events:
            try:
                ranges.append(Range(tuple(sorted(events, key=_sort_key))))
            except TypeError:  # keys of two schemes in one range
                continue
    versions = frozenset(data.get("v", []))
    keys = tuple(k for k in (version_key(ecosystem, v) for v in versions) if k is not None)
    return Affected(tuple(ranges), versions, keys)


def in_range(key: Any, rng: Range) -> bool:
    """OSV's evaluation: walk the sorted events; introduced opens, fixed / last_affected close."""
    affected = False
    for ekey, kind, _ in rng.events:
        if kind == "introduced":
            if ekey is None or key >= ekey:
                affected = True
        elif kind == "fixed":
            if key >= ekey:
                affected = False
        elif kind == "last_affected" and key > ekey:
            affected = False
    return affected


def is_affected(ecosystem: str, version: str, advisory: Advisory) -> bool:
    key = version_key(ecosystem, version)
    for aff in advisory.affected:
        if version in aff.versions or (key is not None and key in aff.version_keys):
            return True
        if key is None:
            continue
        for rng in aff.ranges:
            try:
                if in_range(key, rng):
                    return True
            except TypeError:
                continue
    return False


def fixed_after(ecosystem: str, version: str, advisory: Advisory) -> str | None:
    """The lowest `fixed` version above this one in the ranges that affect it."""
    key = version_key(ecosystem, version)
    if key is None:
        return None
    best: tuple[Any, str] | None = None
    for aff in advisory.affected:
        for rng in aff.ranges:
            try:
                if not in_range(key, rng):
                    continue
                for ekey, kind, text in rng.events:
                    if kind == "fixed" and ekey > key and (best is None or ekey < best[0]):
                        best = (ekey, text)
            except TypeError:
                continue
    return best[1] if best else None


def fixed_versions(ecosystem: str, advisory: Advisory) -> list[str]:
    out: list[tuple[Any, str]] = []
    for aff in advisory.affected:
        for rng in aff.ranges:
            out += [(k, t) for k, kind, t in rng.events if kind == "fixed" and k is not None]
    with contextlib.suppress(TypeError):  # keys of two schemes cannot be ordered
        out.sort(key=lambda kt: kt[0])
    return [t for _, t in out]


def listed_versions(advisory: Advisory) -> set[str]:
    """Versions the advisory names: its `versions` lists and its range boundaries that are
    themselves affected (introduced, last_affected)."""
    out: set[str] = set()
    for aff in advisory.affected:
        out |= aff.versions
        for rng in aff.ranges:
            out |= {
                t for k, kind, t in rng.events if kind in ("introduced", "last_affected") and k is not None
            }
    return out


# --- aliases ------------------------------------------------------------------------------------

_PREFERENCE = ("MAL-", "GHSA-", "CVE-", "PYSEC-")


def _preference(ident: str) -> tuple[int, str]:
    for i, prefix in enumerate(_PREFERENCE):
        if ident.startswith(prefix):
            return (i, ident)
    return (len(_PREFERENCE), ident)


@dataclass(slots=True)
class Group:
    """Records that describe one vulnerability (linked through their ids and aliases)."""

    advisories: list[Advisory] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        every = {a.id for a in self.advisories} | {x for a in self.advisories for x in a.aliases}
        return sorted(every, key=_preference)

    @property
    def primary(self) -> str:
        return self.ids[0]

    @property
    def malicious(self) -> bool:
        return any(a.malicious for a in self.advisories)

    @property
    def summary(self) -> str:
        for advisory in sorted(self.advisories, key=lambda a: _preference(a.id)):
            if advisory.summary:
                return advisory.summary
        return ""

    @property
    def severity(self) -> str | None:
        levels = [a.severity for a in self.advisories if a.severity]
        return max(levels, key=severity_rank) if levels else None

    @property
    def best(self) -> Advisory:
        """The record whose severity is reported (highest, then the preferred id)."""
        return max(self.advisories, key=lambda a: (severity_rank(a.severity), -_preference(a.id)[0]))


def group_aliases(advisories: Sequence[Advisory]) -> list[Group]:
    """Union of records that share an id or alias; one record per id (the first wins)."""
    unique: dict[str, Advisory] = {}
    for adv in advisories:
        unique.setdefault(adv.id, adv)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for adv in unique.values():
        for alias in adv.aliases:
            a, b = find(adv.id), find(alias)
            if a != b:
                parent[a] = b
    groups: dict[str, Group] = {}
    for adv in unique.values():
        groups.setdefault(find(adv.id), Group()).advisories.append(adv)
    return sorted(groups.values(), key=lambda g: g.primary)


_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


def valid_id(ident: str) -> bool:
    return bool(_ID.match(ident))
