"""`faasguard db update / import / status`, `scan --osv-db / --online`: against local HTTP servers
on 127.0.0.1 (never the network) and a cache folder under tmp_path."""

from __future__ import annotations

import json
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from faasguard import cli
from faasguard.analysis.deps.online import OnlineSource
from faasguard.analysis.deps.store import Store, default_db_path

ROOT = Path(__file__).resolve().parents[2]

REQUESTS = {
    "id": "GHSA-x84v-xcm2-53pg",
    "modified": "2024-06-01T00:00:00Z",
    "aliases": ["CVE-2018-18074"],
    "summary": "Insufficiently Protected Credentials in Requests",
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "requests"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.20.0"}]}],
        }
    ],
}
SERIALIZE = {
    "id": "GHSA-q4v7-4rhw-9hqm",
    "modified": "2024-06-01T00:00:00Z",
    "aliases": ["CVE-2017-5941"],
    "summary": "Code Execution through IIFE in node-serialize",
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
    "affected": [
        {
            "package": {"ecosystem": "npm", "name": "node-serialize"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"last_affected": "0.0.4"}]}],
        }
    ],
}
WITHDRAWN = {**REQUESTS, "id": "PYSEC-0000-1", "aliases": [], "withdrawn": "2024-01-01T00:00:00Z"}


def _zip(path: Path, records: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        for rec in records:
            zf.writestr(f"{rec['id']}.json", json.dumps(rec))
    return path


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return default_db_path()


class _Server:
    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def export_server(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """Serves <ecosystem>/all.zip like OSV's export bucket; records the paths asked for."""
    _zip(tmp_path / "bucket" / "PyPI" / "all.zip", [REQUESTS, WITHDRAWN])
    _zip(tmp_path / "bucket" / "npm" / "all.zip", [SERIALIZE])
    bucket = tmp_path / "bucket"
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            target = bucket / self.path.lstrip("/")
            if not target.is_file():
                self.send_error(404)
                return
            data = target.read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = _Server(Handler)
    yield server.url, seen
    server.close()


def test_db_update_downloads_exports_and_status_reports(
    cache: Path, export_server: tuple[str, list[str]]
) -> None:
    url, seen = export_server
    runner = CliRunner()
    res = runner.invoke(cli.main, ["db", "update", "--mirror", url, "--no-progress"])
    assert res.exit_code == 0, res.output
    assert sorted(seen) == ["/PyPI/all.zip", "/npm/all.zip"]
    assert "2 advisories (PyPI 1, npm 1; 0 malicious packages), 1 withdrawn skipped" in res.output
    store = Store.open(cache)
    assert [a.id for a in store.lookup("PyPI", "Requests")] == ["GHSA-x84v-xcm2-53pg"]
    store.close()
    status = runner.invoke(cli.main, ["db", "status", "--json"])
    info = json.loads(status.output)
    assert status.exit_code == 0 and info["records"] == 2 and info["by_ecosystem"] == {"PyPI": 1, "npm": 1}
    assert info["stale"] is False and info["sources"] == [f"{url}/PyPI/all.zip", f"{url}/npm/all.zip"]
    # scans use the cache database by default
    scan = runner.invoke(
        cli.main,
        ["scan", str(ROOT / "examples"), "--format", "json", "--select", "FG-DEP-002", "--no-config"],
    )
    doc = json.loads(scan.output)
    assert [(f["location"]["path"], f["location"]["line"]) for f in doc["findings"]] == [
        ("src/orders/requirements.txt", 1),
        ("src/reports/package.json", 7),
    ]
    assert doc["errors"] == []


def test_db_update_failure_keeps_the_old_database(
    cache: Path, tmp_path: Path, export_server: tuple[str, list[str]]
) -> None:
    runner = CliRunner()
    assert (
        runner.invoke(cli.main, ["db", "import", str(_zip(tmp_path / "a.zip", [SERIALIZE]))]).exit_code == 0
    )
    res = runner.invoke(
        cli.main, ["db", "update", "--mirror", export_server[0] + "/missing", "--no-progress"]
    )
    assert res.exit_code == 1 and "cannot download" in res.output
    store = Store.open(cache)
    assert store.status()["records"] == 1
    store.close()
    assert not [p for p in cache.parent.iterdir() if p.name != cache.name]  # no temporary leftovers


def test_db_import_folder_and_zip(cache: Path, tmp_path: Path) -> None:
    folder = tmp_path / "osv"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(REQUESTS))
    (folder / "nested").mkdir()
    (folder / "nested" / "b.json").write_text(json.dumps(SERIALIZE))
    (folder / "junk.json").write_text("{not json")
    runner = CliRunner()
    res = runner.invoke(cli.main, ["db", "import", str(folder)])
    assert res.exit_code == 0 and "2 advisories" in res.output and "1 files skipped" in res.output
    other = tmp_path / "other.sqlite"
    res = runner.invoke(
        cli.main, ["db", "import", str(_zip(tmp_path / "x.zip", [REQUESTS])), "--path", str(other)]
    )
    assert res.exit_code == 0 and Store.open(other).status()["records"] == 1
    empty = runner.invoke(
        cli.main, ["db", "import", str(_zip(tmp_path / "e.zip", [])), "--path", str(tmp_path / "e.sqlite")]
    )
    assert empty.exit_code == 1 and "empty" in empty.output


def test_db_status_without_database(cache: Path) -> None:
    res = CliRunner().invoke(cli.main, ["db", "status"])
    assert res.exit_code == 1 and "faasguard db update" in res.output


def test_scan_without_any_data_says_so_in_errors(cache: Path) -> None:
    res = CliRunner().invoke(
        cli.main,
        ["scan", str(ROOT / "examples"), "--format", "json", "--select", "FG-DEP-002", "--no-config"],
    )
    doc = json.loads(res.output)
    assert doc["findings"] == []
    assert len(doc["errors"]) == 1 and "faasguard db update" in doc["errors"][0]["message"]
    assert str(cache) in doc["errors"][0]["message"]


def test_osv_db_and_online_are_exclusive(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        cli.main, ["scan", str(ROOT / "examples"), "--osv-db", str(tmp_path), "--online"]
    )
    assert res.exit_code == 2


@pytest.fixture
def osv_api() -> Iterator[tuple[str, list[Any]]]:
    """A stand-in for api.osv.dev: /v1/querybatch and /v1/vulns/{id}."""
    records = {r["id"]: r for r in (REQUESTS, SERIALIZE)}
    asked: list[Any] = []

    class Handler(BaseHTTPRequestHandler):
        def _send(self, doc: object) -> None:
            data = json.dumps(doc).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            asked.extend(q["package"] for q in body["queries"])
            results = []
            for q in body["queries"]:
                hits = [
                    {"id": r["id"], "modified": r["modified"]}
                    for r in records.values()
                    if r["affected"][0]["package"]
                    == {"ecosystem": q["package"]["ecosystem"], "name": q["package"]["name"]}
                ]
                results.append({"vulns": hits} if hits else {})
            self._send({"results": results})

        def do_GET(self) -> None:
            ident = self.path.rsplit("/", 1)[-1]
            if ident not in records:
                self.send_error(404)
                return
            self._send(records[ident])

        def log_message(self, *args: Any) -> None:
            pass

    server = _Server(Handler)
    yield server.url, asked
    server.close()


def test_online_asks_only_about_public_packages(
    tmp_path: Path, osv_api: tuple[str, list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, asked = osv_api
    monkeypatch.setenv("FAASGUARD_OSV_API_URL", url)
    root = tmp_path / "app"
    (root / "src").mkdir(parents=True)
    (root / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {CodeUri: src/, Handler: app.handler, Runtime: python3.12}\n"
    )
    (root / "src" / "app.py").write_text("def handler(e, c):\n    return 1\n")
    (root / "src" / "requirements.txt").write_text(
        "requests==2.19.1\n"
        "acme-internal @ git+https://github.com/acme/acme-internal.git@v1\n"
        "-e ./libs/acme-shared#egg=acme-shared\n"
    )
    res = CliRunner().invoke(
        cli.main, ["scan", str(root), "--online", "--format", "json", "--select", "FG-DEP-002", "--no-config"]
    )
    doc = json.loads(res.output)
    assert [f["extra"]["advisory"] for f in doc["findings"]] == ["GHSA-x84v-xcm2-53pg"]
    assert doc["findings"][0]["extra"]["source"] == ["OSV API"]
    assert asked == [{"ecosystem": "PyPI", "name": "requests"}]  # private names never sent


def test_online_private_index_sends_nothing(tmp_path: Path) -> None:
    sent: list[bytes] = []

    def fetch(url: str, body: bytes | None) -> bytes:
        sent.append(body or b"")
        return b'{"results": []}'

    source = OnlineSource("http://127.0.0.1:9", fetch)
    source.prefetch([])
    assert sent == []
    source.prefetch([("npm", "lodash")])
    assert json.loads(sent[0]) == {"queries": [{"package": {"ecosystem": "npm", "name": "lodash"}}]}
    assert source.lookup("npm", "lodash") == []


def test_online_failure_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAASGUARD_OSV_API_URL", "http://127.0.0.1:9")  # nothing listens there
    res = CliRunner().invoke(
        cli.main,
        [
            "scan",
            str(ROOT / "examples"),
            "--online",
            "--format",
            "json",
            "--select",
            "FG-DEP-002",
            "--no-config",
        ],
    )
    doc = json.loads(res.output)
    assert doc["findings"] == [] and "not checked online" in doc["errors"][0]["message"]


def test_online_respects_private_registries_of_npmrc(
    tmp_path: Path, osv_api: tuple[str, list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, asked = osv_api
    monkeypatch.setenv("FAASGUARD_OSV_API_URL", url)
    root = tmp_path / "app"
    (root / "src").mkdir(parents=True)
    (root / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {CodeUri: src/, Handler: index.handler, Runtime: nodejs20.x}\n"
    )
    (root / ".npmrc").write_text("@acme:registry=https://npm.acme.internal/\n")
    (root / "src" / "index.js").write_text("exports.handler = async () => 1;\n")
    (root / "src" / "package.json").write_text(
        '{"dependencies": {"node-serialize": "0.0.4", "@acme/billing": "1.0.0"}}'
    )
    (root / "src" / "pnpm-lock.yaml").write_text(
        "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n"
        "      '@acme/billing':\n        specifier: 1.0.0\n        version: 1.0.0\n"
        "      node-serialize:\n        specifier: 0.0.4\n        version: 0.0.4\n\n"
        "packages:\n\n  '@acme/billing@1.0.0':\n    resolution: {integrity: sha512-AAAA}\n\n"
        "  node-serialize@0.0.4:\n    resolution: {integrity: sha512-BBBB}\n\n"
        "snapshots:\n\n  '@acme/billing@1.0.0': {}\n\n  node-serialize@0.0.4: {}\n"
    )
    res = CliRunner().invoke(
        cli.main, ["scan", str(root), "--online", "--format", "json", "--select", "FG-DEP-002", "--no-config"]
    )
    doc = json.loads(res.output)
    assert [(f["location"]["path"], f["location"]["line"]) for f in doc["findings"]] == [
        ("src/pnpm-lock.yaml", 19)
    ]
    assert asked == [{"ecosystem": "npm", "name": "node-serialize"}]  # the @acme scope is private


def test_scan_osv_db_folder_from_the_command_line(tmp_path: Path) -> None:
    folder = tmp_path / "osv"
    folder.mkdir()
    for rec in (REQUESTS, SERIALIZE):
        (folder / f"{rec['id']}.json").write_text(json.dumps(rec))
    res = CliRunner().invoke(
        cli.main,
        [
            *("scan", str(ROOT / "examples"), "--osv-db", str(folder), "--format", "json"),
            *("--no-config", "--select", "FG-DEP-002", "--fail-on", "critical"),
        ],
    )
    doc = json.loads(res.output)
    assert [(f["location"]["path"], f["location"]["line"], f["severity"]) for f in doc["findings"]] == [
        ("src/orders/requirements.txt", 1, "critical"),
        ("src/reports/package.json", 7, "high"),
    ]
    assert res.exit_code == 1 and doc["errors"] == []
