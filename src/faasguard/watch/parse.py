"""Line-level parsing for the logs the DuckDB fast path does not read directly.

Access logs in JSON lines are read by DuckDB itself (`store.py`). Everything else goes through
here one line at a time: the CloudWatch export layout (`<ISO time> <message>`), CloudWatch event
wrappers (`{"timestamp":…, "message":…}`, `aws logs filter-log-events` output), Lambda log lines
carrying shield events, CloudTrail (`{"Records": […]}` files or one record per line) and the
common log format. Each line yields at most one `Parsed` row.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# API Gateway $context names people log, per normalised field, first present wins.
ACCESS_KEYS: dict[str, tuple[str, ...]] = {
    "time": ("requestTimeEpoch", "requestTime", "timestamp", "time"),
    "ip": ("ip", "sourceIp", "clientIp", "remoteAddr"),
    "principal": (
        "principalId",
        "authorizerPrincipalId",
        "apiKeyId",
        "apiKey",
        "user",
        "userArn",
        "caller",
        "sub",
    ),
    "api": ("apiId",),
    "stage": ("stage",),
    "method": ("httpMethod", "method"),
    "route": ("routeKey", "resourcePath", "resource"),
    "path": ("path", "requestPath", "uri"),
    "query": ("queryString", "querystring", "query"),
    "status": ("status", "statusCode"),
    "latency_ms": ("integrationLatency", "responseLatency", "latency"),
    "bytes": ("responseLength",),
    "request_id": ("requestId",),
    "payload": ("body", "requestBody"),
    "user_agent": ("userAgent",),
}
ALL_ACCESS_KEYS = frozenset(k for keys in ACCESS_KEYS.values() for k in keys)
# Keys that make a JSON object an access-log record (not just any JSON someone printed).
ACCESS_MARKERS = frozenset(
    ("requestId", "httpMethod", "routeKey", "resourcePath", "status", "sourceIp", "ip", "requestTime")
)

_CLF = re.compile(
    r'^(?P<ip>\S+) \S+ (?P<user>\S+) \[(?P<time>[^\]]+)\] "(?P<method>[A-Z]+) (?P<target>\S+)[^"]*" '
    r"(?P<status>\d{3}) (?P<bytes>\S+)"
)
_EXPORT = re.compile(r"^(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?)\s+(?P<message>.*)$", re.S)

# CloudTrail eventSource prefixes whose IAM service prefix differs.
IAM_PREFIX = {"monitoring": "cloudwatch", "email": "ses", "runtime.sagemaker": "sagemaker", "api.ecr": "ecr"}


@dataclass(frozen=True, slots=True)
class Parsed:
    kind: str  # access (raw $context keys) | shield | cloudtrail (normalised rows)
    row: Mapping[str, object]


def parse_line(text: str) -> Iterator[Parsed]:
    """Every record in one line of a log file (a CloudTrail file line may hold many)."""
    text = text.strip()
    if not text:
        return
    fallback_time: str | None = None
    m = _EXPORT.match(text)
    if m is not None:  # CloudWatch export: "2024-05-01T10:00:00.000Z {...}"
        fallback_time, text = m["time"], m["message"].strip()
    if text.startswith("{"):
        try:
            obj = json.loads(text)
        except ValueError:
            obj = None
        if isinstance(obj, dict):
            yield from parse_object(obj, fallback_time)
            return
    if "faasguard_shield" in text:  # Lambda text format: "<time>\t<request id>\tINFO\t{...}"
        start = text.find("{")
        try:
            obj = json.loads(text[start:]) if start >= 0 else None
        except ValueError:
            obj = None
        if isinstance(obj, dict):
            yield from parse_object(obj, fallback_time)
            return
    clf = _CLF.match(text)
    if clf is not None:
        path, _, query = clf["target"].partition("?")
        row: dict[str, object] = {
            "ip": clf["ip"],
            "requestTime": clf["time"],
            "httpMethod": clf["method"],
            "path": path,
            "status": clf["status"],
            "responseLength": clf["bytes"],
        }
        if clf["user"] != "-":
            row["user"] = clf["user"]
        if query:
            row["queryString"] = query
        yield Parsed("access", row)


def parse_object(obj: Mapping[str, Any], fallback_time: str | None = None) -> Iterator[Parsed]:
    records = obj.get("Records")
    if isinstance(records, list):
        for rec in records:
            if isinstance(rec, dict):
                yield from parse_object(rec)
        return
    events = obj.get("events")
    if isinstance(events, list):  # `aws logs filter-log-events` output
        for ev in events:
            if isinstance(ev, dict):
                yield from parse_object(ev)
        return
    message = obj.get("message")
    if isinstance(message, str) and ("timestamp" in obj or "logStreamName" in obj):
        stamp = obj.get("timestamp")
        when = _iso_ms(stamp) if isinstance(stamp, int | float) else fallback_time
        for parsed in parse_line(message):
            if parsed.kind != "access" and parsed.row.get("time") is None and when is not None:
                parsed = Parsed(parsed.kind, {**parsed.row, "time": when})
            yield parsed
        return
    if obj.get("faasguard_shield") is not None:
        yield Parsed("shield", shield_row(obj, fallback_time))
    elif "eventSource" in obj and "eventName" in obj:
        yield Parsed("cloudtrail", cloudtrail_row(obj))
    elif ACCESS_MARKERS.intersection(obj):
        yield Parsed("access", {k: v for k, v in obj.items() if k in ALL_ACCESS_KEYS})


def shield_row(obj: Mapping[str, Any], fallback_time: str | None) -> dict[str, object]:
    detail = obj.get("detail") if isinstance(obj.get("detail"), dict) else {}
    assert isinstance(detail, dict)
    target = None
    for key in ("host", "path", "command", "program", "target", "library", "caller", "reason"):
        if detail.get(key) not in (None, ""):
            target = str(detail[key])
            break
    if target is not None and detail.get("port") is not None and "host" in detail:
        target = f"{target}:{detail['port']}"
    return {
        "time": _str(obj.get("time")) or fallback_time,
        "function": _str(obj.get("function_name")),
        "request_id": _str(obj.get("request_id")),
        "shield_kind": _str(obj.get("kind")),
        "shield_family": _str(obj.get("family")),
        "shield_op": _str(detail.get("op")),
        "shield_target": target,
    }


def cloudtrail_row(obj: Mapping[str, Any]) -> dict[str, object]:
    ident = obj.get("userIdentity") if isinstance(obj.get("userIdentity"), dict) else {}
    assert isinstance(ident, dict)
    role: str | None = None
    session: str | None = None
    if ident.get("type") == "AssumedRole":
        issuer = (ident.get("sessionContext") or {}).get("sessionIssuer") or {}
        role = _str(issuer.get("userName"))
        arn = _str(ident.get("arn")) or ""
        if arn.count("/") >= 2:  # arn:aws:sts::123:assumed-role/<role>/<session: the function name>
            _, role_from_arn, session = arn.split("/", 2)
            role = role or role_from_arn
    source = (_str(obj.get("eventSource")) or "").removesuffix(".amazonaws.com")
    prefix = IAM_PREFIX.get(source, source)
    return {
        "time": _str(obj.get("eventTime")),
        "ip": _str(obj.get("sourceIPAddress")),
        "principal": role,
        "function": session,
        "api": _str(obj.get("eventSource")),
        "action": f"{prefix}:{obj.get('eventName')}",
        "error_code": _str(obj.get("errorCode")),
        "request_id": _str(obj.get("requestID")),
    }


def _str(value: object) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def _iso_ms(stamp: float) -> str:
    return datetime.fromtimestamp(stamp / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
