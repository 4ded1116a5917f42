"""The embedded store: every log record lands in one DuckDB table, `events`, of a small stable schema.

Access logs in JSON lines are read by DuckDB directly (`read_json`, gzip included): no row passes
through Python, which is what makes a week of logs load in seconds. Other layouts are parsed line by
line (`parse.py`), staged as JSON lines in a temporary folder and loaded the same way.

The schema (`SCHEMA`) is the contract the detections are written against; the same columns as a
Parquet table on S3 let the same SQL run on Athena or Trino (see the README).
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from faasguard.watch.parse import ACCESS_KEYS, ACCESS_MARKERS, ALL_ACCESS_KEYS, Parsed, parse_line

SCHEMA: tuple[tuple[str, str], ...] = (
    ("rid", "BIGINT"),  # a row id, unique in the store
    ("time", "TIMESTAMP"),  # UTC
    ("kind", "VARCHAR"),  # access | shield | cloudtrail
    ("ip", "VARCHAR"),  # source address
    ("principal", "VARCHAR"),  # authorizer principal, API key id, user; CloudTrail: the role name
    ("api", "VARCHAR"),  # API id; CloudTrail: the event source
    ("stage", "VARCHAR"),
    ("method", "VARCHAR"),
    ("route", "VARCHAR"),  # the route template as logged (routeKey / resourcePath), without method
    ("path", "VARCHAR"),  # the requested path, with "?query" when logged
    ("status", "INTEGER"),
    ("latency_ms", "DOUBLE"),  # integration latency: close to the billed duration
    ("bytes", "BIGINT"),
    ("function", "VARCHAR"),  # shield: function_name; CloudTrail: the role session (function) name
    ("request_id", "VARCHAR"),
    ("payload", "VARCHAR"),  # request body, where logged
    ("user_agent", "VARCHAR"),
    ("shield_kind", "VARCHAR"),  # block | alert | rejected | summary | installed
    ("shield_family", "VARCHAR"),  # process | network | files | code | tamper | input
    ("shield_op", "VARCHAR"),
    ("shield_target", "VARCHAR"),
    ("action", "VARCHAR"),  # CloudTrail: "<iam prefix>:<eventName>"
    ("error_code", "VARCHAR"),  # CloudTrail errorCode
    ("origin", "VARCHAR"),  # the file or log group the record came from
    ("line", "BIGINT"),  # its line in that file (CloudWatch: its position in the log group's events)
)
COLUMNS = tuple(name for name, _ in SCHEMA)
FAST_SAMPLE_LINES = 1000


@dataclass
class Ingested:
    files: int = 0
    records: int = 0
    # Normalised access fields that some access log had (the rest were not logged).
    access_fields: set[str] = field(default_factory=set)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (origin, message)


class Store:
    """A DuckDB database holding `events`; in memory unless a file path is given."""

    def __init__(self, path: Path | None = None) -> None:
        import duckdb

        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.db = duckdb.connect(str(path) if path is not None else ":memory:")
        self.db.execute("SET TimeZone = 'UTC'")
        # Detections say regexp_like (Trino / Athena); DuckDB spells it regexp_matches.
        self.db.execute("CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)")
        cols = ", ".join(f"{n} {t}" for n, t in SCHEMA)
        self.db.execute(f"CREATE OR REPLACE TABLE events ({cols})")
        self.ingested = Ingested()
        self._staging = tempfile.TemporaryDirectory(prefix="faasguard-watch-")
        self._next_rid = 0

    def close(self) -> None:
        self.db.close()
        self._staging.cleanup()

    def count(self) -> int:
        row = self.db.execute("SELECT count(*) FROM events").fetchone()
        return int(row[0]) if row else 0

    # -- local files -------------------------------------------------------------------------

    def ingest_paths(self, paths: Iterable[Path]) -> None:
        for path in paths:
            files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
            for file in files:
                self.ingest_file(file, _label(file))

    def ingest_file(self, file: Path, origin: str) -> None:
        self.ingested.files += 1
        try:
            keys = _fast_path_keys(file)
            if keys is not None:
                self._load_access(str(file), keys, origin, line_expr="row_number() OVER ()")
                return
            with _open(file) as fh:
                self.ingest_lines(((i, line) for i, line in enumerate(fh, 1)), origin, whole=file)
        except (OSError, UnicodeDecodeError, EOFError) as exc:
            self.ingested.errors.append((origin, f"cannot read: {exc}"))

    # -- parsed lines (files the fast path does not take, CloudWatch events) --------------------

    def ingest_lines(self, lines: Iterable[tuple[int, str]], origin: str, whole: Path | None = None) -> None:
        """Parse numbered lines and load what they hold; `whole` is re-read as one JSON document
        when no line parses (a pretty-printed CloudTrail file)."""
        staged = Path(self._staging.name)
        n = len(list(staged.iterdir()))
        access_file = staged / f"access-{n}.jsonl"
        other_file = staged / f"other-{n}.jsonl"
        access_keys: set[str] = set()
        found = 0
        with access_file.open("w", encoding="utf-8") as acc, other_file.open("w", encoding="utf-8") as oth:
            for number, text in lines:
                for parsed in parse_line(text):
                    found += 1
                    _stage(parsed, number, acc, oth, access_keys)
            if found == 0 and whole is not None:
                try:
                    with _open(whole) as fh:
                        doc = json.load(fh)
                except ValueError:
                    doc = None
                if isinstance(doc, dict):
                    from faasguard.watch.parse import parse_object

                    for parsed in parse_object(doc):
                        found += 1
                        _stage(parsed, 1, acc, oth, access_keys)
        if found == 0:
            self.ingested.errors.append((origin, "no log record this tool reads was found"))
        if access_keys:
            self._load_access(str(access_file), access_keys, origin, line_expr="TRY_CAST(_line AS BIGINT)")
        if other_file.stat().st_size:
            self._load_other(str(other_file), origin)

    def _load_access(self, source: str, keys: set[str], origin: str, line_expr: str) -> None:
        present = {k for k in keys if k in ALL_ACCESS_KEYS}
        read = sorted(present | ({"_line"} if "_line" in line_expr else set()))
        columns = "{" + ", ".join(f"'{k}': 'VARCHAR'" for k in read) + "}"
        relation = (
            f"read_json({_q(source)}, format = 'newline_delimited', columns = {columns}, "
            "ignore_errors = true, maximum_object_size = 16777216)"
        )
        for name, candidates in ACCESS_KEYS.items():
            if any(c in present for c in candidates):
                self.ingested.access_fields.add(name)
        select = access_select(present, line_expr)
        before = self.count()
        self.db.execute(
            f"INSERT INTO events BY NAME SELECT {self._next_rid} + row_number() OVER () AS rid, * "
            f"FROM (SELECT {select}, {_q(origin)} AS origin FROM {relation}) AS raw"
        )
        self._after_insert(before)

    def _load_other(self, source: str, origin: str) -> None:
        types = dict(SCHEMA)
        wanted = [c for c in COLUMNS if c not in ("rid", "origin")]
        columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in wanted) + "}"
        casts = ", ".join(
            f"TRY_CAST({c} AS TIMESTAMPTZ)::TIMESTAMP AS {c}"
            if c == "time"
            else f"TRY_CAST({c} AS {types[c]}) AS {c}"
            for c in wanted
        )
        before = self.count()
        self.db.execute(
            f"INSERT INTO events BY NAME SELECT {self._next_rid} + row_number() OVER () AS rid, * FROM ("
            f"SELECT {casts}, {_q(origin)} AS origin FROM read_json({_q(source)}, "
            f"format = 'newline_delimited', columns = {columns})) AS raw"
        )
        self._after_insert(before)

    def _after_insert(self, before: int) -> None:
        added = self.count() - before
        self.ingested.records += added
        self._next_rid += added


def access_select(present: set[str], line_expr: str) -> str:
    """SQL turning raw $context keys (all VARCHAR) into the schema's columns, in SCHEMA order."""

    def pick(field_name: str) -> str:
        found = [f"NULLIF(NULLIF(trim(\"{k}\"), '-'), '')" for k in ACCESS_KEYS[field_name] if k in present]
        if not found:
            return "CAST(NULL AS VARCHAR)"
        return found[0] if len(found) == 1 else f"coalesce({', '.join(found)})"

    t = pick("time")
    time = (
        f"coalesce(CASE WHEN regexp_full_match({t}, '\\d{{9,}}(\\.\\d+)?') THEN "
        f"make_timestamp(CAST(CASE WHEN TRY_CAST({t} AS DOUBLE) > 100000000000 "
        f"THEN TRY_CAST({t} AS DOUBLE) * 1000 ELSE TRY_CAST({t} AS DOUBLE) * 1000000 END AS BIGINT)) END, "
        f"try_strptime({t}, '%d/%b/%Y:%H:%M:%S %z')::TIMESTAMP, TRY_CAST({t} AS TIMESTAMPTZ)::TIMESTAMP)"
    )
    route_raw = pick("route")
    method_raw = pick("method")
    spaced = f"strpos({route_raw}, ' ') > 0"
    method = f"upper(coalesce({method_raw}, CASE WHEN {spaced} THEN split_part({route_raw}, ' ', 1) END))"
    route = f"CASE WHEN {spaced} THEN substr({route_raw}, strpos({route_raw}, ' ') + 1) ELSE {route_raw} END"
    query = pick("query")
    raw_path = pick("path")
    path = f"CASE WHEN {query} IS NULL THEN {raw_path} ELSE coalesce({raw_path}, '') || '?' || {query} END"
    parts = {
        "time": time,
        "kind": "'access'",
        "ip": pick("ip"),
        "principal": pick("principal"),
        "api": pick("api"),
        "stage": pick("stage"),
        "method": method,
        "route": route,
        "path": path,
        "status": f"TRY_CAST({pick('status')} AS INTEGER)",
        "latency_ms": f"TRY_CAST({pick('latency_ms')} AS DOUBLE)",
        "bytes": f"TRY_CAST({pick('bytes')} AS BIGINT)",
        "function": "CAST(NULL AS VARCHAR)",
        "request_id": pick("request_id"),
        "payload": pick("payload"),
        "user_agent": pick("user_agent"),
        "line": line_expr,
    }
    out = []
    for name, _ in SCHEMA:
        if name in ("rid", "origin"):
            continue
        out.append(f"{parts.get(name, 'CAST(NULL AS VARCHAR)')} AS {name}")
    return ", ".join(out)


def _stage(parsed: Parsed, number: int, acc: IO[str], oth: IO[str], access_keys: set[str]) -> None:
    if parsed.kind == "access":
        row = {
            k: (v if isinstance(v, str) else json.dumps(v)) for k, v in parsed.row.items() if v is not None
        }
        access_keys.update(row)
        row["_line"] = str(number)
        acc.write(json.dumps(row) + "\n")
    else:
        out: dict[str, Any] = {k: (None if v is None else str(v)) for k, v in parsed.row.items()}
        out["kind"] = parsed.kind
        out["line"] = str(number)
        oth.write(json.dumps(out) + "\n")


def _fast_path_keys(file: Path) -> set[str] | None:
    """The keys of an access log in plain JSON lines (DuckDB reads it directly), else None."""
    keys: set[str] = set()
    with _open(file) as fh:
        for i, line in enumerate(fh):
            if i >= FAST_SAMPLE_LINES:
                break
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                return None
            if not isinstance(obj, dict) or not ACCESS_MARKERS.intersection(obj):
                return None
            if "faasguard_shield" in obj or "eventSource" in obj or "Records" in obj or "message" in obj:
                return None
            keys.update(obj)
    return keys or None


def _open(file: Path) -> IO[str]:
    with file.open("rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(file, "rt", encoding="utf-8", errors="replace")
    return file.open("r", encoding="utf-8", errors="replace")


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _label(file: Path) -> str:
    rel = os.path.relpath(file.resolve())
    return str(file).replace(os.sep, "/") if rel.startswith("..") else rel.replace(os.sep, "/")


def numbered(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    return ((i, line) for i, line in enumerate(lines, 1))
