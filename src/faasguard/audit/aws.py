"""Talking to AWS as a good citizen: one session, cached clients, standard retries, paginators, and
every failed call turned into an `errors` entry while the audit goes on.

Every client is made by `AwsContext.client(service, region)` with botocore's standard retry mode
(the attempt count comes from the usual settings: `AWS_MAX_ATTEMPTS`, `max_attempts` in the
profile). Endpoints are botocore's own business: `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`
and the `endpoint_url` settings of the config file apply unchanged, which is also how the tests
point the audit at a local server.

Calls go through `Calls.call(client.operation, ...)` and `Calls.items(client.get_paginator("op"),
...)`, written so in the source: `faasguard.audit.policy` reads that source to derive the IAM
policy the audit needs, so an operation reached any other way would be missing from it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from faasguard import __version__
from faasguard.findings import ScanError

if TYPE_CHECKING:
    import boto3  # type: ignore[import-untyped]

# Error codes that mean "the caller may not": reported, never fatal.
ACCESS_DENIED = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "UnauthorizedException",
        "AuthorizationError",
        "AuthorizationErrorException",
        "NotAuthorized",
        "NotAuthorizedException",
        "Forbidden",
        "ForbiddenException",
        "403",
    }
)
# Error codes botocore's standard retry mode treats as throttling (botocore.retries.standard).
THROTTLED = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
        "429",
    }
)


class AuditError(Exception):
    """The audit cannot run (no region, no credentials, an unknown rule id): the CLI exits 2."""


@dataclass
class CallStats:
    """What the audit asked of AWS; reported in the summary of every audit report."""

    calls: int = 0  # requests that got an answer (pages count one each)
    retried: int = 0  # extra attempts botocore made, mostly after throttling
    throttled: int = 0  # operations that stayed throttled after every retry
    denied: int = 0  # operations refused with AccessDenied or the like
    failed: int = 0  # other failures (unsupported operations, network errors)

    def as_dict(self) -> dict[str, int]:
        return {
            "api_calls": self.calls,
            "retried_attempts": self.retried,
            "throttled": self.throttled,
            "access_denied": self.denied,
            "failed": self.failed,
        }


@dataclass
class Calls:
    """Runs API calls for the collectors; thread-safe; failures become `errors` entries."""

    errors: list[ScanError] = field(default_factory=list)
    stats: CallStats = field(default_factory=CallStats)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _unsupported: dict[str, list[str]] = field(default_factory=dict)

    def call(
        self, method: Callable[..., Any], where: str, absent: tuple[str, ...] = (), **kwargs: Any
    ) -> dict[str, Any] | None:
        """One operation's answer; {} when the thing is `absent` (an answer too); None when the call
        failed (recorded in `errors`): the caller then knows nothing, which is not "nothing there"."""
        try:
            response: dict[str, Any] = method(**kwargs)
        except Exception as exc:
            return {} if self._failed(exc, _label_of_method(method), where, absent) else None
        self._answered(response)
        return response

    def items(
        self, paginator: Any, where: str, key: str, absent: tuple[str, ...] = (), **kwargs: Any
    ) -> list[Any] | None:
        """The `key` list of every page; [] when `absent`; None when a page failed (recorded)."""
        out: list[Any] = []
        try:
            for page in paginator.paginate(**kwargs):
                self._answered(page)
                out.extend(page.get(key) or [])
        except Exception as exc:
            return [] if self._failed(exc, _label_of_paginator(paginator), where, absent) else None
        return out

    def _answered(self, response: object) -> None:
        with self._lock:
            self.stats.calls += 1
            self.stats.retried += _retries(response)

    def _failed(self, exc: Exception, label: str, where: str, absent: tuple[str, ...]) -> bool:
        """Record a failed call; True when it only said the thing is absent."""
        from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

        if not isinstance(exc, ClientError):
            if isinstance(exc, BotoCoreError):
                self._error(where, f"{label}: {_one_line(str(exc))}: skipped", "io")
            else:  # a bug in a collector must not end the audit
                self._error(where, f"{label}: internal error {exc!r}: skipped", "internal")
            return False
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        meta = exc.response.get("ResponseMetadata", {})
        status = meta.get("HTTPStatusCode") if isinstance(meta, dict) else None
        retries = _retries(exc.response)
        self._answered(exc.response)
        if code in absent:
            return True
        message = _one_line(str(error.get("Message", "")))
        if code in ACCESS_DENIED:
            self._error(where, f"{label}: access denied ({code}): skipped", "access-denied")
        elif code in THROTTLED:
            self._error(
                where, f"{label}: still throttled after {retries + 1} attempts ({code}): skipped", "throttled"
            )
        elif status in (404, 405, 501) and (not code or code.isdigit()):
            # The endpoint does not know the operation (a local emulator): said once, by `finish`.
            with self._lock:
                self._unsupported.setdefault(label, []).append(where)
                self.stats.failed += 1
        elif not code or code.isdigit():  # no AWS error: the body is the server's, not worth quoting
            self._error(where, f"{label}: HTTP {status or code}: skipped", "api")
        else:
            detail = f" ({message})" if message else ""
            self._error(where, f"{label}: {code}{detail}: skipped", "api")
        return False

    def finish(self) -> None:
        """One entry per operation the endpoint does not support, at the first resource it was
        asked about (in name order, so the report is the same from run to run)."""
        with self._lock:
            unsupported, self._unsupported = self._unsupported, {}
            for label, wheres in sorted(unsupported.items()):
                more = f" ({len(wheres)} calls)" if len(wheres) > 1 else ""
                self.errors.append(
                    ScanError(
                        min(wheres),
                        None,
                        f"{label}: not supported by the endpoint{more}: skipped",
                        "unsupported",
                    )
                )

    def internal_error(self, where: str, message: str) -> None:
        self._error(where, message, "internal")

    def _error(self, where: str, message: str, kind: str) -> None:
        with self._lock:
            self.errors.append(ScanError(where, None, message, kind))
            if kind == "access-denied":
                self.stats.denied += 1
            elif kind == "throttled":
                self.stats.throttled += 1
            else:
                self.stats.failed += 1


def _retries(response: object) -> int:
    meta = response.get("ResponseMetadata") if isinstance(response, dict) else None
    retries = meta.get("RetryAttempts", 0) if isinstance(meta, dict) else 0
    return retries if isinstance(retries, int) else 0


def _label_of_method(method: Callable[..., Any]) -> str:
    """'lambda GetPolicy' for `lambda_client.get_policy`."""
    name = getattr(method, "__name__", "?")
    meta = getattr(getattr(method, "__self__", None), "meta", None)
    mapping = getattr(meta, "method_to_api_mapping", None)
    service = getattr(getattr(meta, "service_model", None), "service_name", "")
    operation = mapping.get(name, name) if isinstance(mapping, dict) else name
    return f"{service} {operation}".strip()


def _label_of_paginator(paginator: Any) -> str:
    model = getattr(paginator, "_model", None)
    service = getattr(getattr(model, "service_model", None), "service_name", "")
    return f"{service} {getattr(model, 'name', '?')}".strip()


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


class AwsContext:
    """One boto3 session for the audit; clients made once per (service, region), under a lock."""

    def __init__(
        self,
        profile: str | None = None,
        workers: int = 8,
        session: boto3.Session | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
    ) -> None:
        import boto3
        from botocore.config import Config  # type: ignore[import-untyped]

        self.session = session or boto3.Session(profile_name=profile)
        self.calls = Calls()
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self._config = Config(
            retries={"mode": "standard"},
            max_pool_connections=max(10, workers),
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            user_agent_extra=f"faasguard-audit/{__version__}",
        )

    @property
    def default_region(self) -> str | None:
        region = self.session.region_name
        return region if isinstance(region, str) and region else None

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        with self._lock:  # a boto3 Session is not thread-safe; the clients it makes are
            found = self._clients.get(key)
            if found is None:
                found = self.session.client(service, region_name=region, config=self._config)
                self._clients[key] = found
            return found
