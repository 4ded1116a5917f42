"""`--with-code`: fetch each function's deployment package into a temporary folder and lay it out
like a checkout (`<region>/<function>/...`), so the code analyses read it as they read a repository.

Only on request: nothing else in the audit reads code. The package is downloaded from the
pre-signed URL that GetFunction returns (https only, or http to a loopback address for local
emulators), within bounds on its size, and extracted without trusting its member names: absolute
paths, `..`, links and oversized or too many members are refused (the whole package is then
skipped and reported), so a hostile package cannot write outside its folder.
"""

from __future__ import annotations

import io
import ipaddress
import stat
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from faasguard.audit.aws import AwsContext
from faasguard.audit.build import LiveApp
from faasguard.loaders.handlers import resolve_handler_file

Fetch = Callable[[str], bytes]


@dataclass(frozen=True, slots=True)
class CodeLimits:
    max_download_bytes: int = 100 * 1024 * 1024  # Lambda's zip limit via S3 is 250 MB unzipped
    max_unzipped_bytes: int = 300 * 1024 * 1024
    max_members: int = 50_000
    timeout_s: float = 60.0


DEFAULT_CODE_LIMITS = CodeLimits()


class PackageError(Exception):
    pass


def fetch_code(
    ctx: AwsContext,
    lives: list[LiveApp],
    root: Path,
    workers: int,
    fetch: Fetch | None = None,
    limits: CodeLimits = DEFAULT_CODE_LIMITS,
) -> list[LiveApp]:
    """The live applications with `code_uri` / `handler_file` set for each function fetched."""
    download = fetch or (lambda url: _download(url, limits))
    jobs = [
        (live, fn)
        for live in lives
        for fn in live.app.functions
        if fn.package_type == "Zip" and isinstance(fn.name, str)
    ]

    def one(live: LiveApp, name: str) -> str | None:
        lam = ctx.client("lambda", live.region)
        arn = next(f.source.path for f in live.app.functions if f.id == name)
        found = ctx.calls.call(lam.get_function, arn, FunctionName=name)
        url = ((found or {}).get("Code") or {}).get("Location")
        if not isinstance(url, str):
            return None
        rel = f"{live.region}/{name}"
        try:
            _extract(download(url), root / rel, limits)
        except (PackageError, OSError, zipfile.BadZipFile, ValueError) as exc:
            ctx.calls.internal_error(arn, f"deployment package not scanned: {exc}")
            return None
        return rel

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="faasguard-code") as pool:
        futures = {(live.app.root, fn.id): pool.submit(one, live, fn.id) for live, fn in jobs}
    ctx.calls.finish()
    out = []
    for live in lives:
        functions = []
        for fn in live.app.functions:
            future = futures.get((live.app.root, fn.id))
            rel = future.result() if future is not None else None
            if rel is None:
                functions.append(fn)
                continue
            handler = resolve_handler_file(root, rel, fn.handler, fn.runtime)
            functions.append(replace(fn, code_uri=rel, handler_file=handler))
        live.app = replace(live.app, functions=tuple(functions))
        out.append(live)
    return out


def _allowed(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def _download(url: str, limits: CodeLimits) -> bytes:
    if not _allowed(url):
        raise PackageError("the package URL is neither https nor a local address")
    request = urllib.request.Request(url, headers={"User-Agent": "faasguard-audit"})
    with urllib.request.urlopen(request, timeout=limits.timeout_s) as response:  # the URL was checked above
        data: bytes = response.read(limits.max_download_bytes + 1)
    if len(data) > limits.max_download_bytes:
        raise PackageError(f"the package is larger than {limits.max_download_bytes} bytes")
    return data


def _extract(data: bytes, dest: Path, limits: CodeLimits) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if len(members) > limits.max_members:
            raise PackageError(f"the package has more than {limits.max_members} files")
        total = 0
        planned: list[tuple[zipfile.ZipInfo, Path]] = []
        for info in members:
            name = PurePosixPath(info.filename.replace("\\", "/"))
            if name.is_absolute() or ".." in name.parts or (name.parts and ":" in name.parts[0]):
                raise PackageError(f"unsafe member name {info.filename!r}")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise PackageError(f"the package holds a link ({info.filename!r})")
            if info.is_dir():
                continue
            total += info.file_size
            if total > limits.max_unzipped_bytes:
                raise PackageError(f"the package unpacks to more than {limits.max_unzipped_bytes} bytes")
            planned.append((info, dest.joinpath(*name.parts)))
        for info, target in planned:
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, open(target, "wb") as out:
                remaining = info.file_size
                while True:
                    chunk = src.read(min(1 << 20, remaining + 1))
                    if not chunk:
                        break
                    remaining -= len(chunk)
                    if remaining < 0:  # the header understated the size
                        raise PackageError(f"{info.filename!r} is larger than its header says")
                    out.write(chunk)
