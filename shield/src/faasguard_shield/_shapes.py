"""The common Lambda event shapes, recognised and normalised.

HTTP triggers (API Gateway REST / v1 payload, HTTP API / v2 payload, Function URL, ALB) become one
:class:`HttpRequest`; record batches (SQS, SNS, S3) become :class:`Message` items; anything else
is a ``direct`` event (a direct invoke, EventBridge, Step Functions...).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping

from ._record import Record

TYPE_CHECKING = False  # typing is imported for the type checker only: it costs import time
if TYPE_CHECKING:
    from typing import Any, TypeGuard

HTTP_TRIGGERS = ("apigw-rest", "apigw-http", "function-url", "alb")
TRIGGERS = (*HTTP_TRIGGERS, "sqs", "sns", "s3", "direct")


class HttpRequest(Record):
    """An HTTP request, whichever trigger brought it: headers are lower-cased, multi-value headers
    and query parameters joined with commas, the body as Lambda delivers it."""

    __slots__ = ("body", "headers", "is_base64", "method", "multi_value", "path", "query", "source_ip")
    method: str
    path: str
    headers: dict[str, str]
    query: dict[str, str]
    body: str | None
    is_base64: bool
    source_ip: str | None
    multi_value: bool

    def __init__(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        query: dict[str, str],
        body: str | None,
        is_base64: bool,
        source_ip: str | None,
        multi_value: bool = False,
    ) -> None:
        self._set(
            method=method,
            path=path,
            headers=headers,
            query=query,
            body=body,
            is_base64=is_base64,
            source_ip=source_ip,
            multi_value=multi_value,
        )

    def __hash__(self) -> int:
        return hash((self.method, self.path, self.body))

    @property
    def content_type(self) -> str | None:
        value = self.headers.get("content-type")
        return value.split(";", 1)[0].strip().lower() if value else None

    def body_size(self) -> int:
        """Size of the decoded body in bytes, without decoding it."""
        return body_size(self.body, self.is_base64)

    def body_bytes(self) -> bytes:
        """The decoded body; ValueError when it is not valid base64."""
        if not self.body:
            return b""
        if self.is_base64:
            try:
                return base64.b64decode(self.body, validate=True)
            except (binascii.Error, ValueError):
                raise ValueError("the body is not valid base64") from None
        return self.body.encode("utf-8", "surrogatepass")


def body_size(body: str | None, is_base64: bool) -> int:
    """Size in bytes of a body as Lambda delivers it (text, or base64 text), without decoding it."""
    if not body:
        return 0
    if is_base64:
        text = body.strip()
        return max(0, len(text) * 3 // 4 - text[-2:].count("="))
    if body.isascii():
        return len(body)
    return len(body.encode("utf-8", "surrogatepass"))


def message_bodies(trigger: str, event: Any) -> list[str | None]:
    """The message body of each SQS / SNS record (None for other records)."""
    out: list[str | None] = []
    for record in event.get("Records") or ():
        if not _is_map(record):
            out.append(None)
            continue
        if trigger == "sns":
            sns = record.get("Sns")
            body = sns.get("Message") if _is_map(sns) else None
        else:
            body = record.get("body") if trigger == "sqs" else None
        out.append(body if isinstance(body, str) else None)
    return out


class Message(Record):
    """One record of a batch: its id and, for SQS and SNS, its message body."""

    __slots__ = ("body", "id", "record")
    id: str | None
    body: str | None
    record: Mapping[str, Any]

    def __init__(self, id: str | None, body: str | None, record: Mapping[str, Any]) -> None:
        self._set(id=id, body=body, record=record)

    def __hash__(self) -> int:
        return hash((self.id, self.body))


class Normalized(Record):
    """The trigger of an event and its HTTP request or its records."""

    __slots__ = ("http", "messages", "trigger")
    trigger: str
    http: HttpRequest | None
    messages: tuple[Message, ...]

    def __init__(
        self, trigger: str, http: HttpRequest | None = None, messages: tuple[Message, ...] = ()
    ) -> None:
        self._set(trigger=trigger, http=http, messages=tuple(messages))

    @property
    def is_http(self) -> bool:
        return self.trigger in HTTP_TRIGGERS


def _is_map(value: Any) -> TypeGuard[Mapping[str, Any]]:
    return type(value) is dict or (value is not None and isinstance(value, Mapping))


def detect(event: Any) -> str:
    """The trigger an event came from: one of :data:`TRIGGERS`."""
    if not _is_map(event):
        return "direct"
    context = event.get("requestContext")
    if _is_map(context):
        if _is_map(context.get("elb")):
            return "alb"
        if event.get("version") == "2.0" and _is_map(context.get("http")):
            domain = context.get("domainName")
            if isinstance(domain, str) and ".lambda-url." in domain:
                return "function-url"
            return "apigw-http"
        if "httpMethod" in event:
            return "apigw-rest"
    elif "httpMethod" in event and "path" in event:
        return "apigw-rest"
    records = event.get("Records")
    if isinstance(records, list) and records and _is_map(records[0]):
        source = records[0].get("eventSource") or records[0].get("EventSource")
        if source == "aws:sqs":
            return "sqs"
        if source == "aws:sns":
            return "sns"
        if source == "aws:s3":
            return "s3"
    return "direct"


def normalize(event: Any) -> Normalized:
    """The trigger and its request or records, read from the event without changing it."""
    trigger = detect(event)
    if trigger in HTTP_TRIGGERS:
        return Normalized(trigger, http=_http(trigger, event))
    if trigger in ("sqs", "sns", "s3"):
        return Normalized(trigger, messages=tuple(_message(trigger, r) for r in event["Records"]))
    return Normalized(trigger)


def _text_map(value: Any) -> dict[str, str]:
    if not _is_map(value):
        return {}
    return {str(k): str(v) for k, v in value.items() if v is not None}


def _multi_map(value: Any) -> dict[str, str]:
    if not _is_map(value):
        return {}
    out = {}
    for key, items in value.items():
        if isinstance(items, list):
            out[str(key)] = ",".join(str(item) for item in items)
    return out


def _http(trigger: str, event: Mapping[str, Any]) -> HttpRequest:
    context = event.get("requestContext")
    context = context if _is_map(context) else {}
    multi = _is_map(event.get("multiValueHeaders"))
    headers = {**_multi_map(event.get("multiValueHeaders")), **_text_map(event.get("headers"))}
    headers = {key.lower(): value for key, value in headers.items()}
    query = {
        **_multi_map(event.get("multiValueQueryStringParameters")),
        **_text_map(event.get("queryStringParameters")),
    }
    if trigger in ("apigw-http", "function-url"):
        http = context.get("http")
        http = http if _is_map(http) else {}
        method = str(http.get("method") or "")
        path = str(event.get("rawPath") or http.get("path") or "")
        source_ip = http.get("sourceIp")
    else:
        method = str(event.get("httpMethod") or "")
        path = str(event.get("path") or "")
        identity = context.get("identity")
        source_ip = identity.get("sourceIp") if _is_map(identity) else None
        if trigger == "alb" and not source_ip:
            forwarded = headers.get("x-forwarded-for", "")
            source_ip = forwarded.split(",")[0].strip() or None
    body = event.get("body")
    return HttpRequest(
        method=method.upper(),
        path=path,
        headers=headers,
        query=query,
        body=body if isinstance(body, str) else None,
        is_base64=bool(event.get("isBase64Encoded")),
        source_ip=source_ip if isinstance(source_ip, str) else None,
        multi_value=multi and trigger == "alb",
    )


def _message(trigger: str, record: Any) -> Message:
    if not isinstance(record, Mapping):
        return Message(None, None, {})
    if trigger == "sqs":
        body = record.get("body")
        return Message(_str(record.get("messageId")), body if isinstance(body, str) else None, record)
    if trigger == "sns":
        sns = record.get("Sns")
        sns = sns if isinstance(sns, Mapping) else {}
        body = sns.get("Message")
        return Message(_str(sns.get("MessageId")), body if isinstance(body, str) else None, record)
    return Message(None, None, record)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
