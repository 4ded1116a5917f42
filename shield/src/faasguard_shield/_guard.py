"""The handler wrapper: size limits, validation, event shapes, safe errors, one summary per invocation."""

from __future__ import annotations

import contextvars
import functools
import json
import time
from collections.abc import Callable, Mapping

from . import _events
from ._errors import InputRejected, ShieldViolation
from ._install import install
from ._policy import Policy
from ._schema import Problem, Validator, make_validator
from ._shapes import HTTP_TRIGGERS, HttpRequest, body_size, detect, message_bodies, normalize

TYPE_CHECKING = False  # typing is imported for the type checker only: it costs import time
if TYPE_CHECKING:
    from typing import Any

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
_REASONS = {
    400: "Bad Request",
    403: "Forbidden",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
}
_STATUS = {"too_large": 413, "invalid_json": 400, "unsupported_media_type": 415, "schema": 400}
_MESSAGES = {
    "too_large": "Request too large",
    "invalid_json": "Request body is not valid JSON",
    "unsupported_media_type": "Request body must be JSON",
    "schema": "Request failed validation",
}


class Invocation:
    """What the wrapper learnt about the current invocation (see :func:`current`)."""

    __slots__ = ("_event", "_request", "payloads", "request_id", "trigger")

    def __init__(self, request_id: str | None, trigger: str, payloads: tuple[Any, ...], event: Any) -> None:
        self.request_id = request_id
        self.trigger = trigger
        #: The validated payloads: the decoded HTTP body, each record's decoded body (SQS, SNS) or
        #: record (S3), or the event itself; pydantic model instances when the schema is a model.
        self.payloads = payloads
        self._event = event
        self._request: HttpRequest | bool | None = False

    @property
    def request(self) -> HttpRequest | None:
        """The normalised HTTP request (method, path, lower-cased headers, query, body), or None."""
        if self._request is False:
            self._request = normalize(self._event).http
        return self._request  # type: ignore[return-value]

    def __repr__(self) -> str:
        fields = f"request_id={self.request_id!r}, trigger={self.trigger!r}, payloads={self.payloads!r}"
        return f"Invocation({fields})"


_CURRENT: contextvars.ContextVar[Invocation | None] = contextvars.ContextVar(
    "faasguard_shield_invocation", default=None
)


def current() -> Invocation | None:
    """The invocation being handled by a :func:`guard`-wrapped handler, else None."""
    return _CURRENT.get()


class _Settings:
    __slots__ = ("blocked_status", "max_body_bytes", "max_event_bytes", "target", "validator")

    def __init__(
        self,
        validator: Validator | None,
        max_body_bytes: int | None,
        max_event_bytes: int | None,
        target: str,
        blocked_status: int,
    ) -> None:
        self.validator = validator
        self.max_body_bytes = max_body_bytes
        self.max_event_bytes = max_event_bytes
        self.target = target
        self.blocked_status = blocked_status


class _Rejection:
    __slots__ = ("limit", "problems", "reason", "record", "size")

    def __init__(
        self,
        reason: str,
        problems: list[Problem],
        record: int | None = None,
        size: int | None = None,
        limit: int | None = None,
    ) -> None:
        self.reason = reason
        self.problems = problems
        self.record = record
        self.size = size
        self.limit = limit


def guard(
    handler: Any = None,
    *,
    schema: Any = None,
    max_body_bytes: int | None = DEFAULT_MAX_BODY_BYTES,
    max_event_bytes: int | None = None,
    policy: Policy | Mapping[str, Any] | None = None,
    validate: str = "auto",
    engine: str = "auto",
    blocked_status: int = 500,
) -> Any:
    """Wrap a Lambda handler ``handler(event, context)``.

    * ``schema``: a JSON schema (dict) or a pydantic model class. With ``validate="auto"`` it is
      checked against the decoded JSON body for HTTP triggers, each record's decoded body for SQS
      and SNS, each record for S3, and the event itself otherwise; ``validate="event"`` always
      checks the whole event.
    * ``max_body_bytes``: limit on the HTTP body or each SQS / SNS message (None: no limit);
      ``max_event_bytes``: limit on the whole event serialised as JSON (off by default).
    * ``policy``: installs the shield with it (see :func:`install`); without it the wrapper relies
      on an :func:`install` call elsewhere, or on none.
    * A rejected input gets a 400-style response for HTTP triggers (413 too large, 415 not JSON,
      400 invalid JSON or schema) and raises :class:`InputRejected` for other triggers; the handler
      is not called. An operation blocked by the policy while the handler runs becomes a
      ``blocked_status`` response without details (HTTP) or a :class:`ShieldViolation` without
      details (other triggers).
    * Every invocation ends with one ``summary`` event line; every event carries its request id.
    """
    if validate not in ("auto", "event"):
        raise ValueError("validate is 'auto' or 'event'")
    if policy is not None:
        install(policy)
    settings = _Settings(
        validator=make_validator(schema, engine) if schema is not None else None,
        max_body_bytes=max_body_bytes,
        max_event_bytes=max_event_bytes,
        target=validate,
        blocked_status=blocked_status,
    )

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(event: Any, context: Any = None) -> Any:
            return _invoke(function, event, context, settings)

        return wrapper

    return decorate(handler) if handler is not None else decorate


def _invoke(handler: Callable[..., Any], event: Any, context: Any, settings: _Settings) -> Any:
    started = time.perf_counter()
    request_id = _attr(context, "aws_request_id")
    _events.begin(request_id, _attr(context, "function_name"), _attr(context, "function_version"))
    token = None
    outcome = "error"
    rejected = 0
    trigger = "direct"
    try:
        trigger = detect(event)
        is_http = trigger in HTTP_TRIGGERS
        payloads, rejection = _check(trigger, event, settings)
        if rejection is not None:
            outcome = "rejected"
            rejected = 1
            _events.emit("rejected", "input", "block", _rejection_detail(rejection, trigger))
            body: dict[str, Any] = {"message": _MESSAGES[rejection.reason]}
            errors = [{"path": p["path"], "message": p["message"]} for p in rejection.problems]
            if errors:
                body["errors"] = errors
            if is_http:
                return _response(trigger, event, _STATUS[rejection.reason], body)
            raise InputRejected(rejection.reason, _MESSAGES[rejection.reason], errors)
        token = _CURRENT.set(Invocation(request_id, trigger, payloads, event))
        try:
            result = handler(event, context)
        except Exception as exc:
            violation = _violation_in(exc)
            if violation is None and not _blocked_now():
                raise
            outcome = "blocked"
            family = violation.family if violation is not None else ""
            if is_http:
                status = settings.blocked_status
                return _response(trigger, event, status, {"message": _REASONS.get(status, "Error")})
            raise ShieldViolation(
                "faasguard shield refused an operation of this invocation (see its security event)", family
            ) from None
        outcome = "ok"
        return result
    finally:
        counts, _written, suppressed = _events.finish()
        detail: dict[str, Any] = {
            "outcome": outcome,
            "trigger": trigger,
            "alert": 0,
            "block": 0,
            "rejected": rejected,
            "suppressed": suppressed,
            "by_family": {},
            "duration_ms": round((time.perf_counter() - started) * 1000, 3),
        }
        if counts:
            detail["alert"] = sum(n for key, n in counts.items() if key.endswith(".alert"))
            detail["block"] = sum(n for key, n in counts.items() if key.endswith(".block"))
            detail["by_family"] = dict(sorted(counts.items()))
        _events.emit("summary", None, None, detail)
        _events.end()
        if token is not None:
            _CURRENT.reset(token)


def _attr(context: Any, name: str) -> str | None:
    value = getattr(context, name, None)
    return value if isinstance(value, str) else None


def _violation_in(exc: BaseException) -> ShieldViolation | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ShieldViolation):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _blocked_now() -> bool:
    counts, _, _ = _events.hook_counters()
    return any(key.endswith(".block") and n for key, n in counts.items())


def _response(trigger: str, event: Any, status: int, payload: dict[str, Any]) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    response: dict[str, Any] = {
        "statusCode": status,
        "headers": headers,
        "body": json.dumps(payload, separators=(",", ":")),
        "isBase64Encoded": False,
    }
    if trigger == "alb":
        response["statusDescription"] = f"{status} {_REASONS.get(status, 'Error')}"
        if isinstance(event.get("multiValueHeaders"), Mapping):  # the target group's multi-value mode
            response["multiValueHeaders"] = {key: [value] for key, value in headers.items()}
            del response["headers"]
    return response


def _rejection_detail(rejection: _Rejection, trigger: str) -> dict[str, Any]:
    detail: dict[str, Any] = {"reason": rejection.reason, "trigger": trigger}
    if rejection.record is not None:
        detail["record"] = rejection.record
    if rejection.size is not None:
        detail["size"] = rejection.size
        detail["limit"] = rejection.limit
    if rejection.problems:
        detail["errors"] = [{"path": p["path"], "keyword": p["keyword"]} for p in rejection.problems]
    return detail


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _parse(raw: bytes | str | None) -> tuple[Any, _Rejection | None]:
    if raw is None or raw in (b"", ""):
        return None, _Rejection("invalid_json", [{"path": "$", "keyword": "json", "message": "empty body"}])
    try:
        return json.loads(raw, parse_constant=_reject_constant), None
    except (ValueError, RecursionError):
        return None, _Rejection("invalid_json", [])


def _json_type(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


def _check(trigger: str, event: Any, settings: _Settings) -> tuple[tuple[Any, ...], _Rejection | None]:
    limit = settings.max_body_bytes
    if settings.max_event_bytes is not None:
        size = len(
            json.dumps(event, ensure_ascii=False, separators=(",", ":"), default=str).encode(
                "utf-8", "surrogatepass"
            )
        )
        if size > settings.max_event_bytes:
            return (), _Rejection("too_large", [], size=size, limit=settings.max_event_bytes)
    validator = settings.validator
    if trigger in HTTP_TRIGGERS:
        body = event.get("body")
        size = body_size(body if isinstance(body, str) else None, bool(event.get("isBase64Encoded")))
        if limit is not None and size > limit:
            return (), _Rejection("too_large", [], size=size, limit=limit)
        if validator is None:
            return (), None
        if settings.target == "event":
            return _validate(validator, event, None)
        request = normalize(event).http
        assert request is not None
        content_type = request.content_type
        if content_type is not None and not _json_type(content_type):
            return (), _Rejection("unsupported_media_type", [])
        try:
            raw = request.body_bytes()
        except ValueError:
            return (), _Rejection("invalid_json", [])
        data, problem = _parse(raw)
        if problem is not None:
            return (), problem
        return _validate(validator, data, None)
    if trigger in ("sqs", "sns", "s3"):
        bodies = message_bodies(trigger, event)
        if limit is not None:
            for index, text in enumerate(bodies):
                if text is not None:
                    size = body_size(text, False)
                    if size > limit:
                        return (), _Rejection("too_large", [], record=index, size=size, limit=limit)
        if validator is None:
            return (), None
        if settings.target == "event":
            return _validate(validator, event, None)
        payloads: list[Any] = []
        for index, text in enumerate(bodies):
            item: Any
            if trigger == "s3":
                item = event["Records"][index]
            else:
                item, problem = _parse(text)
                if problem is not None:
                    problem.record = index
                    return (), problem
            values, rejection = _validate(validator, item, index)
            if rejection is not None:
                return (), rejection
            payloads.extend(values)
        return tuple(payloads), None
    if validator is None:
        return (), None
    return _validate(validator, event, None)


def _validate(
    validator: Validator, data: Any, record: int | None
) -> tuple[tuple[Any, ...], _Rejection | None]:
    value, problems = validator.check(data)
    if problems:
        return (), _Rejection("schema", problems, record=record)
    return (value,), None
