"""The local vulnerability database: OSV records for PyPI and npm in one SQLite file.

Built by `faasguard db update` (from the OSV ecosystem exports) or `faasguard db import PATH`
(a local OSV zip export or a folder of OSV JSON files); read by scans. Two tables do the work:
`records` (one row per OSV id: summary, aliases, derived severity) and `affected` (one row per
record and package, indexed by ecosystem and normalised name, holding that package's ranges and
versions). A scan asks only for the packages it found, so matching 1,000 packages is 1,000 index
look-ups. A zip or folder given to `--osv-db` is loaded into an in-memory database the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from faasguard.analysis.deps.osv import Advisory, build_affected, parse_record
from faasguard.analysis.deps.versions import normalize

SCHEMA_VERSION = "1"
DB_NAME = "osv.sqlite"
# One OSV record is a few kilobytes; anything this large in an export is not one.
MAX_RECORD_BYTES = 4 * 1024 * 1024
# How long a database may go without `db update` before scans and `db status` call it stale.
STALE_DAYS = 7

Progress = Callable[[int, int | None, str], None]


class DatabaseError(Exception):
    """A database that cannot be opened, read or built; the message says what to do."""


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "faasguard"


def default_db_path() -> Path:
    return cache_dir() / DB_NAME


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE records (
    id TEXT PRIMARY KEY, modified TEXT, summary TEXT, aliases TEXT,
    severity TEXT, score REAL, vector TEXT, malicious INTEGER NOT NULL
);
CREATE TABLE affected (ecosystem TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL);
"""
_INDEX = "CREATE INDEX affected_package ON affected (ecosystem, name)"


@dataclass(slots=True)
class ImportStats:
    files: int = 0
    records: int = 0
    withdrawn: int = 0
    skipped: int = 0  # not OSV, unreadable, or about other ecosystems
    malicious: int = 0
    by_ecosystem: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


# --- inputs ---------------------------------------------------------------------------------


def iter_zip(path: Path) -> Iterator[tuple[str, bytes | None]]:
    """(member name, bytes) for each JSON member; bytes None for a member too large to be one."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise DatabaseError(f"{path}: not a readable zip archive ({exc})") from exc
    with archive:
        for info in archive.infolist():
            if info.is_dir() or not info.filename.endswith(".json"):
                continue
            if info.file_size > MAX_RECORD_BYTES:
                yield info.filename, None
                continue
            with archive.open(info) as fh:
                data = fh.read(MAX_RECORD_BYTES + 1)
            yield info.filename, data if len(data) <= MAX_RECORD_BYTES else None


def iter_folder(
    path: Path, read: Callable[[Path], bytes] | None = None, max_files: int | None = None
) -> Iterator[tuple[str, bytes | None]]:
    """(relative name, bytes) of every *.json file under a folder; symlinks are not followed.

    `read` replaces plain reading (scans read a project's own advisories through the bounded
    reader); `max_files` stops the walk."""
    stack = [path]
    count = 0
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                continue
            if entry.is_dir():
                stack.append(Path(entry.path))
            elif entry.name.endswith(".json") and entry.is_file():
                count += 1
                if max_files is not None and count > max_files:
                    return
                rel = os.path.relpath(entry.path, path)
                try:
                    if entry.stat().st_size > MAX_RECORD_BYTES:
                        yield rel, None
                        continue
                    yield rel, read(Path(entry.path)) if read is not None else Path(entry.path).read_bytes()
                except Exception:  # unreadable, or refused by the bounded reader
                    yield rel, None


def iter_source(path: Path) -> Iterator[tuple[str, bytes | None]]:
    if path.is_dir():
        return iter_folder(path)
    if zipfile.is_zipfile(path):
        return iter_zip(path)
    if path.suffix == ".json":
        return iter([(path.name, path.read_bytes())])
    raise DatabaseError(f"{path}: expected an OSV zip export, a folder of OSV JSON files or a .json file")


def _records(name: str, data: bytes) -> list[object]:
    doc = json.loads(data)
    # An OSV file holds one record; API answers ({"vulns": [...]}) and lists are accepted too.
    if isinstance(doc, dict) and isinstance(doc.get("vulns"), list):
        return list(doc["vulns"])
    if isinstance(doc, list):
        return doc
    return [doc]


# --- building -------------------------------------------------------------------------------


class _Writer:
    BATCH = 5000

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.seen: dict[str, str] = {}  # id -> modified
        self.records: list[tuple[Any, ...]] = []
        self.affected: list[tuple[str, str, str, str]] = []
        self.replace: list[str] = []
        self.ecosystems: dict[str, set[str]] = {}

    def add(self, record: object, stats: ImportStats) -> None:
        if isinstance(record, dict) and record.get("withdrawn"):
            stats.withdrawn += 1
            return
        parsed = parse_record(record)
        if parsed is None:
            stats.skipped += 1
            return
        row, rows = parsed
        previous = self.seen.get(row.id)
        if previous is not None:
            if previous >= row.modified:
                return  # the same record seen twice: keep the newer
            self.replace.append(row.id)
        else:
            stats.records += 1
            stats.malicious += int(row.malicious)
        self.seen[row.id] = row.modified
        for affected in rows:
            self.ecosystems.setdefault(affected.ecosystem, set()).add(row.id)
        self.records.append(
            (
                row.id,
                row.modified,
                row.summary,
                json.dumps(list(row.aliases)),
                row.severity,
                row.score,
                row.vector,
                int(row.malicious),
            )
        )
        self.affected += [(a.ecosystem, a.name, row.id, a.data) for a in rows]
        if len(self.records) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if self.replace:
            self.conn.executemany("DELETE FROM affected WHERE id = ?", [(i,) for i in self.replace])
            self.replace.clear()
        self.conn.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?)", self.records)
        self.conn.executemany("INSERT INTO affected VALUES (?, ?, ?, ?)", self.affected)
        self.records.clear()
        self.affected.clear()


def build(
    target: Path | None,
    sources: list[tuple[str, Iterator[tuple[str, bytes | None]]]],
    progress: Progress | None = None,
    totals: list[int | None] | None = None,
) -> tuple[sqlite3.Connection | None, ImportStats]:
    """Build a database from OSV inputs: (label, (name, bytes) iterator) pairs.

    With a target path the database is written beside it and moved into place when complete
    (a failed import leaves the old one untouched) and None is returned for the connection;
    without one, the in-memory connection is returned.
    """
    stats = ImportStats()
    tmp: Path | None = None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        conn = sqlite3.connect(tmp)
    else:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(_SCHEMA)
        writer = _Writer(conn)
        labels = []
        for i, (label, items) in enumerate(sources):
            labels.append(label)
            total = totals[i] if totals and i < len(totals) else None
            done = 0
            for name, data in items:
                done += 1
                stats.files += 1
                if progress is not None and (done % 500 == 0 or done == total):
                    progress(done, total, label)
                if data is None:
                    stats.skipped += 1
                    stats.errors.append(f"{name}: too large to be an OSV record")
                    continue
                try:
                    records = _records(name, data)
                except (ValueError, UnicodeDecodeError) as exc:
                    stats.skipped += 1
                    if len(stats.errors) < 100:
                        stats.errors.append(f"{name}: not JSON ({exc})")
                    continue
                for record in records:
                    writer.add(record, stats)
            if progress is not None:
                progress(done, total or done, label)
        writer.flush()
        conn.execute(_INDEX)
        stats.by_ecosystem = {eco: len(ids) for eco, ids in sorted(writer.ecosystems.items())}
        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        meta = {
            "schema": SCHEMA_VERSION,
            "built": now,
            "sources": json.dumps(labels),
            "records": str(stats.records),
            "malicious": str(stats.malicious),
            "withdrawn": str(stats.withdrawn),
            "by_ecosystem": json.dumps(stats.by_ecosystem),
        }
        conn.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
        conn.commit()
    except BaseException:
        conn.close()
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
    if target is None:
        return conn, stats
    conn.close()
    assert tmp is not None
    os.replace(tmp, target)
    return None, stats


def import_path(target: Path, path: Path, progress: Progress | None = None) -> ImportStats:
    """`faasguard db import`: build the database at target from a local zip, folder or file."""
    if not path.exists():
        raise DatabaseError(f"{path}: no such file or folder")
    _, stats = build(target, [(str(path), iter_source(path))], progress)
    return stats


# --- reading --------------------------------------------------------------------------------


def _is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


class Store:
    """A read-only view of a database; `lookup` answers one package."""

    def __init__(self, conn: sqlite3.Connection, label: str) -> None:
        self.conn = conn
        self.label = label
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], list[Advisory]] = {}
        try:
            self.meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"{label}: not a faasguard OSV database ({exc})") from exc
        if self.meta.get("schema") != SCHEMA_VERSION:
            raise DatabaseError(
                f"{label}: database format {self.meta.get('schema')!r} is not {SCHEMA_VERSION!r}; "
                "rebuild it with `faasguard db update` or `faasguard db import PATH`"
            )

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open a database file, or load a zip export / folder of OSV JSON files into memory."""
        if not path.exists():
            raise DatabaseError(f"{path}: no such file or folder")
        if path.is_file() and _is_sqlite(path):
            try:
                conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            except sqlite3.Error as exc:
                raise DatabaseError(f"{path}: cannot open ({exc})") from exc
            return cls(conn, str(path))
        memory, _ = build(None, [(str(path), iter_source(path))])
        assert memory is not None
        return cls(memory, str(path))

    def lookup(self, ecosystem: str, name: str) -> list[Advisory]:
        key = (ecosystem, normalize(ecosystem, name))
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        with self._lock:
            rows = self.conn.execute(
                "SELECT r.id, r.modified, r.summary, r.aliases, r.severity, r.score, r.vector, r.malicious,"
                " a.data FROM affected a JOIN records r ON r.id = a.id"
                " WHERE a.ecosystem = ? AND a.name = ? ORDER BY r.id",
                key,
            ).fetchall()
        out: list[Advisory] = []
        by_id: dict[str, int] = {}
        for rid, modified, summary, aliases, severity, score, vector, malicious, data in rows:
            affected = build_affected(ecosystem, json.loads(data))
            if rid in by_id:  # one record naming the package twice
                prev = out[by_id[rid]]
                out[by_id[rid]] = Advisory(**{**_fields(prev), "affected": (*prev.affected, affected)})
                continue
            by_id[rid] = len(out)
            out.append(
                Advisory(
                    id=rid,
                    aliases=tuple(json.loads(aliases or "[]")),
                    summary=summary or "",
                    severity=severity,
                    score=score,
                    vector=vector,
                    malicious=bool(malicious),
                    modified=modified or "",
                    affected=(affected,),
                    origin=self.label,
                )
            )
        self._cache[key] = out
        return out

    def status(self) -> dict[str, Any]:
        built = self.meta.get("built", "")
        age_days: float | None = None
        try:
            age = dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(built)
            age_days = round(age.total_seconds() / 86400, 1)
        except ValueError:
            pass
        return {
            "path": self.label,
            "built": built,
            "age_days": age_days,
            "stale": age_days is None or age_days > STALE_DAYS,
            "sources": json.loads(self.meta.get("sources", "[]")),
            "records": int(self.meta.get("records", "0")),
            "malicious": int(self.meta.get("malicious", "0")),
            "withdrawn_skipped": int(self.meta.get("withdrawn", "0")),
            "by_ecosystem": json.loads(self.meta.get("by_ecosystem", "{}")),
        }

    def close(self) -> None:
        self.conn.close()


def _fields(adv: Advisory) -> dict[str, Any]:
    return {name: getattr(adv, name) for name in Advisory.__slots__}


# Zip exports and folders given to --osv-db are loaded once per process and content version.
_OPENED: dict[tuple[str, int, int], Store] = {}
_OPENED_LOCK = threading.Lock()


def _signature(path: Path) -> tuple[str, int, int]:
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        latest, count = info.st_mtime_ns, 0
        for folder, _dirs, files in os.walk(path):
            count += len(files)
            latest = max(latest, os.stat(folder).st_mtime_ns)
            for name in files:
                try:
                    latest = max(latest, os.stat(os.path.join(folder, name)).st_mtime_ns)
                except OSError:
                    continue
        return (str(path.resolve()), latest, count)
    return (str(path.resolve()), info.st_mtime_ns, info.st_size)


def open_cached(path: Path) -> Store:
    sig = _signature(path)
    with _OPENED_LOCK:
        store = _OPENED.get(sig)
        if store is None:
            store = Store.open(path)
            if len(_OPENED) > 16:
                _OPENED.clear()
            _OPENED[sig] = store
        return store
