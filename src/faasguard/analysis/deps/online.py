"""`--online`: ask the OSV API (https://api.osv.dev) about packages from the public registries.

Only (ecosystem, name) pairs of packages resolved from pypi.org / registry.npmjs.org are sent;
a package from a private index, git, a URL or a path never leaves the machine. The API's
`querybatch` answers which records name each package; the records are then fetched whole and
evaluated locally exactly like the offline database's, so both modes agree.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any

from faasguard.analysis.deps.osv import Advisory, build_affected, parse_record
from faasguard.analysis.deps.versions import normalize

API_URL = "https://api.osv.dev"
BATCH = 1000  # the API's limit of queries per querybatch call
TIMEOUT_S = 30.0
MAX_PAGES = 10

Fetch = Callable[[str, bytes | None], bytes]


class OnlineError(Exception):
    pass


def api_url() -> str:
    return os.environ.get("FAASGUARD_OSV_API_URL", API_URL).rstrip("/")


def _http(url: str, body: bytes | None) -> bytes:
    # The network modules load only when a request is made: an offline scan never needs them.
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        url,
        data=body,
        headers={"Content-Type": "application/json", "User-Agent": "faasguard"},
        method="POST" if body is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            data: bytes = response.read(64 * 1024 * 1024)
            return data
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise OnlineError(f"OSV API request failed ({url}): {exc}") from exc


class OnlineSource:
    """Records from the OSV API, fetched once per package and record for the whole scan."""

    label = "OSV API"

    def __init__(self, base: str | None = None, fetch: Fetch | None = None) -> None:
        self.base = base or api_url()
        self.fetch = fetch or _http
        self._ids: dict[tuple[str, str], list[str]] = {}
        self._records: dict[str, dict[str, Any] | None] = {}
        self.sent: list[tuple[str, str]] = []  # every (ecosystem, name) asked about, for audits

    def prefetch(self, packages: Iterable[tuple[str, str]]) -> None:
        wanted = sorted({(e, normalize(e, n)) for e, n in packages} - set(self._ids))
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            self._query(chunk)
        missing = sorted({i for ids in self._ids.values() for i in ids} - set(self._records))
        if missing:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=8) as pool:
                for ident, record in zip(missing, pool.map(self._record, missing), strict=True):
                    self._records[ident] = record

    def _query(self, chunk: list[tuple[str, str]]) -> None:
        self.sent += chunk
        queries: list[dict[str, Any]] = [{"package": {"ecosystem": e, "name": n}} for e, n in chunk]
        pending = list(range(len(chunk)))
        for key in chunk:
            self._ids[key] = []
        for _ in range(MAX_PAGES):
            if not pending:
                break
            body = json.dumps({"queries": [queries[i] for i in pending]}).encode()
            answer = json.loads(self.fetch(f"{self.base}/v1/querybatch", body))
            results = answer.get("results", []) if isinstance(answer, dict) else []
            nxt = []
            for i, result in zip(pending, results, strict=False):
                if not isinstance(result, dict):
                    continue
                self._ids[chunk[i]] += [
                    str(v["id"]) for v in result.get("vulns", []) if isinstance(v, dict) and "id" in v
                ]
                token = result.get("next_page_token")
                if token:
                    queries[i] = {**queries[i], "page_token": token}
                    nxt.append(i)
            pending = nxt

    def _record(self, ident: str) -> dict[str, Any] | None:
        from urllib.parse import quote

        data = json.loads(self.fetch(f"{self.base}/v1/vulns/{quote(ident, safe='')}", None))
        return data if isinstance(data, dict) else None

    def lookup(self, ecosystem: str, name: str) -> list[Advisory]:
        key = (ecosystem, normalize(ecosystem, name))
        if key not in self._ids:
            self.prefetch([key])
        out = []
        for ident in self._ids.get(key, []):
            record = self._records.get(ident)
            parsed = parse_record(record) if record is not None else None
            if parsed is None:
                continue  # withdrawn, or not about this ecosystem
            row, rows = parsed
            affected = tuple(
                build_affected(ecosystem, json.loads(r.data)) for r in rows if (r.ecosystem, r.name) == key
            )
            if affected:
                out.append(
                    Advisory(
                        row.id,
                        row.aliases,
                        row.summary,
                        row.severity,
                        row.score,
                        row.vector,
                        row.malicious,
                        row.modified,
                        affected,
                        self.label,
                    )
                )
        return out
