"""`faasguard db update`: download the OSV ecosystem exports and build the local database.

The exports are the zip files OSV publishes per ecosystem (`<base>/PyPI/all.zip`,
`<base>/npm/all.zip`). They are streamed to a temporary folder beside the database, then
imported; the old database is replaced only when the new one is complete. The network is used
only when the user runs this command.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from faasguard.analysis.deps.store import DatabaseError, ImportStats, build, iter_zip

EXPORT_URL = "https://osv-vulnerabilities.storage.googleapis.com"
CHUNK = 1024 * 1024
TIMEOUT_S = 60.0

# (bytes done, bytes total or None, label)
DownloadProgress = Callable[[int, int | None, str], None]
Opener = Callable[[str], BinaryIO]


def export_base() -> str:
    return os.environ.get("FAASGUARD_OSV_EXPORT_URL", EXPORT_URL).rstrip("/")


def export_url(base: str, ecosystem: str) -> str:
    return f"{base.rstrip('/')}/{ecosystem}/all.zip"


def _open(url: str) -> BinaryIO:
    request = urllib.request.Request(url, headers={"User-Agent": "faasguard"})
    response: BinaryIO = urllib.request.urlopen(request, timeout=TIMEOUT_S)
    return response


def download(
    url: str, dest: Path, progress: DownloadProgress | None = None, opener: Opener | None = None
) -> int:
    """Stream url to dest; returns the number of bytes."""
    try:
        response = (opener or _open)(url)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DatabaseError(f"cannot download {url}: {exc}") from exc
    done = 0
    with response, open(dest, "wb") as out:
        length = (
            getattr(response, "headers", {}).get("Content-Length") if hasattr(response, "headers") else None
        )
        total = int(length) if length and str(length).isdigit() else None
        while True:
            try:
                chunk = response.read(CHUNK)
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                raise DatabaseError(f"download of {url} failed after {done} bytes: {exc}") from exc
            if not chunk:
                break
            out.write(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total, url)
    return done


def update(
    target: Path,
    ecosystems: Sequence[str] = ("PyPI", "npm"),
    base: str | None = None,
    download_progress: DownloadProgress | None = None,
    import_progress: Callable[[int, int | None, str], None] | None = None,
    opener: Opener | None = None,
) -> ImportStats:
    base = base or export_base()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".osv-download-", dir=target.parent))
    try:
        zips: list[tuple[str, Path]] = []
        for ecosystem in ecosystems:
            url = export_url(base, ecosystem)
            path = tmp / f"{ecosystem}.zip"
            download(url, path, download_progress, opener)
            zips.append((url, path))
        totals: list[int | None] = []
        for _, path in zips:
            import zipfile

            try:
                with zipfile.ZipFile(path) as archive:
                    totals.append(sum(1 for i in archive.infolist() if i.filename.endswith(".json")))
            except zipfile.BadZipFile as exc:
                raise DatabaseError(f"{path.name} from {base} is not a zip archive") from exc
        _, stats = build(target, [(url, iter_zip(path)) for url, path in zips], import_progress, totals)
        return stats
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
