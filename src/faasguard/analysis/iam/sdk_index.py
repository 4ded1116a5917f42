"""The few facts the needs analysis reads from botocore's and boto3's models, per service, cached.

sdk_map needs, per service: its operation names with their snake_case method names and HTTP
verbs, its signing name, its waiters (name -> operation) and boto3's resource model. botocore
parses whole models for that (ec2's is 4 MB of JSON, most of it `shapes` and documentation), so:

- A model is found through botocore's own loader (same search paths, API version and sdk-extras
  merge), but a service model's file is decoded only as far as the keys read: its `metadata` and
  `operations` come before its `shapes`, so the bulk is neither decompressed nor parsed.
- The facts are kept as one small JSON file per service and model under
  `$XDG_CACHE_HOME/faasguard/sdk-models/<format, botocore and boto3 versions>/` (or
  `~/.cache/...`), written atomically with a SHA-256 of their data: an entry that does not read
  back exactly is ignored and rebuilt. `FAASGUARD_NO_CACHE=1` (or `=sdk-models`) neither reads
  nor writes it. Nor is it used when models may come from elsewhere than the installed packages
  (`AWS_DATA_PATH`, `~/.aws/models`, a `data_path` in the AWS config file), which the versions
  would not name.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

from faasguard.caches import cache_off

_FORMAT = "sdk-index-1"  # bump when what an entry holds or how it is built changes
_SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")  # botocore's service names; others go uncached
_SERVICE_KEYS = frozenset({"metadata", "operations"})

Operation = tuple[str, str, str]  # ("PutItem", "put_item", "POST"), in the model's order
Waiter = tuple[str, str, str | None]  # ("BucketExists", "bucket_exists", "HeadBucket")


@dataclass(frozen=True, slots=True)
class ServiceFacts:
    prefix: str  # the signing name (else the endpoint prefix, else the service name)
    operations: tuple[Operation, ...]


def service_facts(service: str) -> ServiceFacts | None:
    """What sdk_map reads from a service's service-2 model (None: botocore has none)."""
    data = _through_cache("service-2", service, _build_service, _is_service_entry)
    if data is None:
        return None
    ops = tuple((str(op), str(snake), str(verb)) for op, snake, verb in data["operations"])
    return ServiceFacts(str(data["prefix"]), ops)


def waiters(service: str) -> tuple[Waiter, ...]:
    """A service's waiters in its waiters-2 model's order (none when it has no such model)."""
    data = _through_cache("waiters-2", service, _build_waiters, _is_waiters_entry)
    return tuple((str(name), str(snake), None if op is None else str(op)) for name, snake, op in data)


def resource_model(service: str) -> dict[str, Any] | None:
    """boto3's resources-1 model of a service, whole (None: boto3 has none)."""
    data: dict[str, Any] | None = _through_cache(
        "resources-1", service, _build_resources, lambda d: d is None or isinstance(d, dict)
    )
    return data


# --- building from the installed models -------------------------------------------------------------


def _build_service(service: str) -> tuple[Any, bool]:
    """(facts or None, whether they may be cached)."""
    from botocore import xform_name  # type: ignore[import-untyped]
    from botocore.exceptions import DataNotFoundError, UnknownServiceError  # type: ignore[import-untyped]

    try:
        model = _lean_loader().load_service_model(service, "service-2")
    except (UnknownServiceError, DataNotFoundError):
        return None, True
    except Exception:  # the partial reading met something unexpected: botocore's full one decides
        try:
            model = _plain_loader().load_service_model(service, "service-2")
        except Exception:
            return None, False
    meta = model.get("metadata", {})
    ops = [
        [op, xform_name(op), str(spec.get("http", {}).get("method", "GET")).upper()]
        for op, spec in model.get("operations", {}).items()
    ]
    prefix = str(meta.get("signingName") or meta.get("endpointPrefix") or service)
    return {"prefix": prefix, "operations": ops}, True


def _build_waiters(service: str) -> tuple[Any, bool]:
    from botocore import xform_name
    from botocore.exceptions import DataNotFoundError, UnknownServiceError

    try:
        model = _lean_loader().load_service_model(service, "waiters-2")
    except (UnknownServiceError, DataNotFoundError):  # a service without waiters
        return [], True
    except Exception:
        return [], False
    out = []
    for name, spec in model.get("waiters", {}).items():
        op = spec.get("operation")
        out.append([name, xform_name(name), str(op) if op else None])
    return out, True


def _build_resources(service: str) -> tuple[Any, bool]:
    try:
        loader = _boto3_loader()
        if service not in loader.list_available_services("resources-1"):
            return None, True
        model: dict[str, Any] = loader.load_service_model(service, "resources-1")
    except Exception:  # boto3 is missing or its data unreadable
        return None, False
    return model, True


@cache
def _plain_loader() -> Any:
    import botocore.loaders  # type: ignore[import-untyped]

    return botocore.loaders.create_loader()


@cache
def _boto3_loader() -> Any:
    from boto3.session import Session  # type: ignore[import-untyped]

    return Session()._loader


@cache
def _lean_loader() -> Any:
    """botocore's loader, reading a service-2 file only up to its metadata and operations."""
    import botocore.loaders

    class LeanFileLoader(botocore.loaders.JSONFileLoader):  # type: ignore[misc]
        def _load_file(self, full_path: str, open_method: Callable[..., IO[bytes]]) -> Any:
            if not os.path.basename(full_path).startswith("service-2.json"):
                return super()._load_file(full_path, open_method)
            if not os.path.isfile(full_path):
                return None
            with open_method(full_path, "rb") as fp:
                return read_keys(fp, _SERVICE_KEYS)

    return botocore.loaders.Loader(file_loader=LeanFileLoader())


# --- reading part of a JSON object ---------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def read_keys(fp: IO[bytes], wanted: frozenset[str]) -> dict[str, Any]:
    """The members `wanted` of the JSON object a file holds, reading no further than they go.

    As json.loads would give them, for files whose keys are unique (botocore's models are).
    ValueError when the file is not such an object.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    text = ""
    size = 1 << 16
    while True:
        chunk = fp.read(size)
        done = not chunk
        text += decoder.decode(chunk, final=done)
        got = _members(text, wanted, done)
        if got is not None:
            return got
        size *= 2  # each attempt parses again from the start: doubling keeps that linear


def _skip(text: str, i: int) -> int:
    """The index of the first non-blank character at or after i (JSON's blanks)."""
    m = _WS.match(text, i)
    return m.end() if m is not None else i


def _members(text: str, wanted: frozenset[str], complete: bool) -> dict[str, Any] | None:
    """The wanted members from a prefix of a JSON document (None: the prefix is too short)."""
    out: dict[str, Any] = {}
    try:
        i = _skip(text, 0)
        if text[i] != "{":
            raise ValueError("not a JSON object")
        i = _skip(text, i + 1)
        if text[i] == "}":
            return out
        while True:
            if text[i] != '"':
                raise ValueError(f"a key expected at {i}")
            key, i = _DECODER.raw_decode(text, i)
            i = _skip(text, i)
            if text[i] != ":":
                raise ValueError(f"':' expected at {i}")
            value, i = _DECODER.raw_decode(text, _skip(text, i + 1))
            i = _skip(text, i)
            # A value is taken only once what follows it is read: a number cut short parses too.
            if text[i] not in ",}":
                raise ValueError(f"',' or '}}' expected at {i}")
            out[key] = value
            if text[i] == "}" or wanted <= out.keys():
                return out
            i = _skip(text, i + 1)
    except (ValueError, IndexError):
        if complete:
            raise ValueError("not a JSON object with those keys") from None
        return None


# --- the cache on disk ----------------------------------------------------------------------------------


def cache_folder() -> Path | None:
    """Where this installation's entries go (None: no cache)."""
    if cache_off("sdk-models") or _models_elsewhere():
        return None
    versions = _versions()
    if versions is None:
        return None
    base = os.environ.get("XDG_CACHE_HOME")
    try:
        root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    except RuntimeError:  # no home directory
        return None
    return root / "faasguard" / "sdk-models" / f"{_FORMAT}-{versions}"


def _models_elsewhere() -> bool:
    """Whether botocore or boto3 may read models from outside the installed packages."""
    if os.environ.get("AWS_DATA_PATH"):
        return True
    home = os.path.expanduser("~")
    if os.path.isdir(os.path.join(home, ".aws", "models")):
        return True
    config = os.path.expanduser(os.environ.get("AWS_CONFIG_FILE") or os.path.join(home, ".aws", "config"))
    try:
        with open(config, encoding="utf-8", errors="replace") as fh:
            return "data_path" in fh.read()
    except OSError:
        return False


@cache
def _versions() -> str | None:
    """ "botocore-1.44.8-boto3-1.44.8", without importing boto3 (that costs more than a warm scan)."""
    try:
        import botocore

        boto3 = _boto3_version()
        text = f"botocore-{botocore.__version__}-boto3-{boto3}"
    except Exception:
        return None
    return re.sub(r"[^A-Za-z0-9._+-]", "_", text)


def _boto3_version() -> str:
    loaded = sys.modules.get("boto3")
    if loaded is not None:
        return str(loaded.__version__)
    import importlib.util

    spec = importlib.util.find_spec("boto3")
    if spec is None or spec.origin is None:
        return "none"
    source = Path(spec.origin).read_text(encoding="utf-8")
    m = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)['\"]", source, re.MULTILINE)
    if m is not None:
        return m.group(1)
    from importlib.metadata import version

    return version("boto3")


_MISS = object()


def _through_cache(
    kind: str, service: str, build: Callable[[str], tuple[Any, bool]], valid: Callable[[Any], bool]
) -> Any:
    folder = cache_folder() if _SAFE_NAME.fullmatch(service) else None
    if folder is None:
        return build(service)[0]
    path = folder / f"{service}.{kind}.json"
    header = {"format": _FORMAT, "key": folder.name, "service": service, "kind": kind}
    got = _read(path, header, valid)
    if got is not _MISS:
        return got
    data, keep = build(service)
    if keep:
        _write(path, header, data)
    return data


def _read(path: Path, header: dict[str, str], valid: Callable[[Any], bool]) -> Any:
    """An entry's data, or _MISS when it is absent or does not read back exactly."""
    try:
        raw = path.read_bytes()
        head, sep, body = raw.partition(b"\n")
        meta = json.loads(head)
        if not sep or meta != {**header, "sha256": hashlib.sha256(body).hexdigest()}:
            return _MISS
        data = json.loads(body)
    except (OSError, ValueError):
        return _MISS
    return data if valid(data) else _MISS


def _write(path: Path, header: dict[str, str], data: Any) -> None:
    tmp: str | None = None
    try:
        body = json.dumps(data, separators=(",", ":")).encode("utf-8")
        head = json.dumps({**header, "sha256": hashlib.sha256(body).hexdigest()}).encode("utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(head + b"\n" + body)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old entry or the new one
    except (OSError, ValueError, TypeError):
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _is_str_triple(row: Any, last_optional: bool = False) -> bool:
    return (
        isinstance(row, list)
        and len(row) == 3
        and isinstance(row[0], str)
        and isinstance(row[1], str)
        and (isinstance(row[2], str) or (last_optional and row[2] is None))
    )


def _is_service_entry(data: Any) -> bool:
    if data is None:
        return True
    return (
        isinstance(data, dict)
        and set(data) == {"prefix", "operations"}
        and isinstance(data["prefix"], str)
        and isinstance(data["operations"], list)
        and all(_is_str_triple(row) for row in data["operations"])
    )


def _is_waiters_entry(data: Any) -> bool:
    return isinstance(data, list) and all(_is_str_triple(row, last_optional=True) for row in data)
