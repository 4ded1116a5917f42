"""Security events: one JSON line each on standard output, which CloudWatch Logs ingests.

Every line has the same fields, in this order::

    {"faasguard_shield": 1, "time": "2026-01-31T12:00:00.123Z", "function_name": "orders",
     "function_version": "$LATEST", "request_id": "c0ffee...", "kind": "block", "family": "network",
     "mode": "block", "detail": {"op": "connect", "host": "evil.example", "ip": "203.0.113.9", "port": 443}}

``kind`` is ``alert`` (logged, the operation went on), ``block`` (refused), ``rejected`` (an input
refused by the handler wrapper), ``summary`` (the counters of one invocation) or ``installed``.
``detail`` names targets (host and port, path, command or library name, schema path) and never
carries a secret value, an argument list, source code or the payload.

The audit hook writes its lines itself (see ``_hook._emit``); this module writes the wrapper's.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Mapping
from json.encoder import encode_basestring_ascii

from . import _hook

TYPE_CHECKING = False  # typing is imported for the type checker only: it costs import time
if TYPE_CHECKING:
    from typing import Any

#: Standard output's descriptor: the lines are written to it directly, so that replacing
#: ``sys.stdout`` later does not silence them.
FD = 1

#: Environment variable names whose values are secrets, by any of these words.
SECRET_WORDS = ("SECRET", "TOKEN", "PASSWORD", "PASSWD", "PRIVATE", "API_KEY", "APIKEY", "CREDENTIAL", "AUTH")


def secret_values(environ: Mapping[str, str]) -> tuple[str, ...]:
    """Values no event line may contain: those of secret-named variables, 8 characters or longer,
    longest first (so that a secret containing another is redacted whole)."""
    found = {
        value
        for name, value in environ.items()
        if len(value) >= 8 and (name == "AWS_ACCESS_KEY_ID" or any(w in name.upper() for w in SECRET_WORDS))
    }
    return tuple(sorted(found, key=len, reverse=True))


SECRETS = secret_values(os.environ)
_ESCAPED_SECRETS = tuple(json.dumps(secret)[1:-1] for secret in SECRETS)

CONTEXT: dict[str, Any] = {
    "request_id": None,
    "function_name": os.environ.get("AWS_LAMBDA_FUNCTION_NAME") or None,
    "function_version": os.environ.get("AWS_LAMBDA_FUNCTION_VERSION") or None,
}


_STAMP: list[Any] = [0, ""]


def _timestamp(now: float) -> str:
    whole = int(now)
    if whole != _STAMP[0]:
        _STAMP[0], _STAMP[1] = whole, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))
    return f"{_STAMP[1]}.{int((now - whole) * 1000):03d}Z"


def emit(kind: str, family: str | None, mode: str | None, detail: dict[str, Any]) -> None:
    """Write one event line for the current invocation (same shape as the hook's, see ``_hook._line``)."""
    request_id = CONTEXT["request_id"]
    head = _head()
    line = (
        f'{head}"request_id":{_text(request_id)},"kind":"{kind}","family":{_text(family)},'
        f'"mode":{_text(mode)},"detail":{json.dumps(detail, separators=(",", ":"), default=str)}}}\n'
    )
    line = f'{{"faasguard_shield":1,"time":"{_timestamp(time.time())}",{line}'
    for escaped in _ESCAPED_SECRETS:
        if escaped in line:
            line = line.replace(escaped, "[redacted]")
    stdout = sys.stdout
    if stdout is not None:
        with contextlib.suppress(Exception):  # a closed or replaced stdout must not stop the event
            stdout.flush()  # keep the function's own buffered output before the event
    _hook._write_all(FD, line)


_HEAD: list[Any] = [None, None, ""]


def _head() -> str:
    """The function name and version fields, encoded once for as long as they stay the same."""
    name, version = CONTEXT["function_name"], CONTEXT["function_version"]
    if _HEAD[0] != name or _HEAD[1] != version:
        _HEAD[:] = [name, version, f'"function_name":{_text(name)},"function_version":{_text(version)},']
    return _HEAD[2]  # type: ignore[no-any-return]


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring_ascii(str(value))


def begin(request_id: str | None, function_name: str | None, function_version: str | None) -> None:
    """An invocation starts: its request id goes into every event, and its counters start at zero."""
    CONTEXT["request_id"] = request_id
    if function_name:
        CONTEXT["function_name"] = function_name
    if function_version:
        CONTEXT["function_version"] = function_version
    sys.audit("faasguard_shield.context", request_id, function_name, function_version)


def finish() -> tuple[dict[str, int], int, int]:
    """An invocation ends: the hook's counters for it (see :func:`hook_counters`), then reset."""
    box: list[Any] = []
    sys.audit("faasguard_shield.finish", box)
    return _counters(box)


def end() -> None:
    CONTEXT["request_id"] = None


def hook_counters() -> tuple[dict[str, int], int, int]:
    """The hook's counters for this invocation: ``{"network.block": 1, ...}``, lines written and
    lines suppressed."""
    box: list[Any] = []
    sys.audit("faasguard_shield.counters", box)
    return _counters(box)


def _counters(box: list[Any]) -> tuple[dict[str, int], int, int]:
    for item in box:
        if isinstance(item, tuple) and len(item) == 3:
            return item
    return {}, 0, 0
