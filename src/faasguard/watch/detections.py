"""Detections over logs: each a rule class whose check is one named SQL query.

The queries read `events` (the schema in `store.py`), the IaC tables (`context.py`), `params` (one
row: the window and thresholds) and `injection_patterns`, and use only SQL that DuckDB and Trino /
Athena both run (DuckDB gets Trino's `regexp_like` as a macro). Like the audit's drift rules they
run only in `faasguard watch`, so they keep their own registry (`WatchRule.watch_registry`), out of
`faasguard scan`'s rule set and its fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from faasguard.analysis.cost import money
from faasguard.findings import Category, Severity
from faasguard.model import Application
from faasguard.rules.base import Rule, RuleMeta, Violation

# Shared relation: access records in the window, with the documented route each one matched.
ACCESS_VIEW = """
CREATE OR REPLACE TABLE access AS
SELECT e.*, m.rkey
FROM events e
CROSS JOIN params p
LEFT JOIN (
    SELECT a.rid, min(r.rkey) AS rkey
    FROM events a
    JOIN routes r
      ON (r.method = 'ANY' OR r.method = a.method)
     AND (a.route = r.path
          OR ((a.route IS NULL OR a.route = '$default')
              AND regexp_like(split_part(a.path, '?', 1), r.regex)))
    WHERE a.kind = 'access'
    GROUP BY a.rid
) m ON m.rid = e.rid
WHERE e.kind = 'access' AND (p.since IS NULL OR e.time >= p.since)
"""

# Known payload shapes, first match wins (lower-cased, URL-decoded path, query and body).
INJECTION_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "ssrf",
        r"169\.254\.169\.254|fd00:ec2::254|metadata\.google\.internal|(file|gopher|dict)://"
        r"|://(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])",
    ),
    ("path-traversal", r"\.\./|\.\.\\|/etc/(passwd|shadow)|/proc/self/|c:\\windows"),
    (
        "sql",
        r"'\s*(or|and)\s+'?\w+'?\s*=\s*'?\w+|union(\s+all)?\s+select|;\s*drop\s+table"
        r"|waitfor\s+delay|benchmark\s*\(|pg_sleep\s*\(|'\s*--",
    ),
    ("command", r"(;|\||&&|\$\(|`)\s*(cat|ls|id|whoami|uname|wget|curl|nc|bash|sh|powershell|ping|sleep)\b"),
)


def _injection_case(text: str) -> str:
    """CASE over constant patterns (an engine compiles each once; a joined pattern column would
    be compiled per row)."""
    whens = " ".join(
        f"WHEN regexp_like({text}, '{pattern.replace(chr(39), chr(39) * 2)}') THEN '{kind}'"
        for kind, pattern in INJECTION_PATTERNS
    )
    return f"CASE {whens} END"


@dataclass(frozen=True, slots=True)
class Hit:
    """One row of a detection, turned into words."""

    key: str  # stable identity for the fingerprint (no counts)
    message: str
    resource: str
    origin: str
    line: int
    app: str = "."
    severity: Severity | None = None
    iac: tuple[str, int, str] | None = None  # (path, line, message) in the IaC
    extra: Mapping[str, object] = field(default_factory=dict)


class WatchRule(Rule):
    """A detection over logs; registered in `watch_registry`, not `Rule.registry`."""

    watch_registry: ClassVar[dict[str, type[WatchRule]]] = {}
    name: ClassVar[str]
    kind: ClassVar[str] = "access"  # which records it reads
    needs: ClassVar[tuple[str, ...]] = ()  # access-log fields it cannot do without
    needs_against: ClassVar[bool] = False
    sql: ClassVar[str]

    def __init_subclass__(cls, **kwargs: object) -> None:
        meta = cls.__dict__.get("meta")
        if meta is None:
            return
        known = WatchRule.watch_registry.get(meta.id)
        if meta.id in Rule.registry or (known is not None and known is not cls):
            raise ValueError(f"duplicate rule id {meta.id}: {cls.__name__}")
        WatchRule.watch_registry[meta.id] = cls

    def hit(self, row: Mapping[str, object]) -> Hit:
        raise NotImplementedError

    def check(self, app: Application) -> Iterator[Violation]:  # pragma: no cover - not a model rule
        return iter(())


def watch_rules() -> dict[str, type[WatchRule]]:
    return dict(sorted(WatchRule.watch_registry.items()))


def _i(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0


def _f(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _usd(value: float) -> str:
    return money(value) if value >= 1 else f"${value:.4f}"


def _t(value: object) -> str:
    return value.isoformat(sep=" ", timespec="seconds") if hasattr(value, "isoformat") else str(value)


class RequestFlood(WatchRule):
    """## What it does
    Finds a source address, API key or principal that sent at least `--flood-per-minute`
    requests (default 300) in some minute of the window, and prices what its requests cost:
    Lambda and API Gateway request fees plus the logged integration latency billed at the
    function's memory size (from `--against`; 128 MB and an HTTP API when no IaC is given). The
    message sets that beside the function's priced exposure (`faasguard scan`'s cost model).

    ## Why is this bad?
    A flood from one source is denial of wallet in progress: every request is billed, and a
    public function without throttles pays for all of them.

    ## Example
    `203.0.113.7` sends 1,000 requests a minute to `GET /orders/{id}`.

    ## Use instead
    Throttle the stage or route, add a usage plan per API key, a WAF rate-based rule, and a
    reserved-concurrency ceiling on the function.

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
    """

    name = "request-flood"
    needs = ("time",)
    meta = RuleMeta(
        id="FG-WATCH-001",
        category=Category.DENIAL_OF_WALLET,
        severity=Severity.MEDIUM,
        title="Request flood from one source",
        cwe=(770,),
    )
    sql = """
WITH a AS (
    SELECT x.time, x.ip, x.principal, x.latency_ms, x.origin, x.line, r.app, r.function,
           coalesce(r.req_price, p.default_req_price)
             + coalesce(x.latency_ms, p.default_ms) * coalesce(r.ms_price, p.default_ms_price) AS usd
    FROM access x CROSS JOIN params p LEFT JOIN routes r ON r.rkey = x.rkey
),
src AS (
    SELECT 'address' AS by_kind, ip AS who, a.* FROM a WHERE ip IS NOT NULL
    UNION ALL
    SELECT 'principal' AS by_kind, principal AS who, a.* FROM a WHERE principal IS NOT NULL
),
per_minute AS (
    SELECT by_kind, who, date_trunc('minute', time) AS minute, count(*) AS n
    FROM src GROUP BY by_kind, who, date_trunc('minute', time)
),
peaks AS (
    SELECT by_kind, who, max(n) AS peak FROM per_minute GROUP BY by_kind, who
)
SELECT s.by_kind, s.who, count(*) AS requests, k.peak, min(s.time) AS first, max(s.time) AS last,
       sum(s.usd) AS usd, min(s.origin) AS origin, min(s.line) AS line,
       count(DISTINCT s.function) AS functions, min(s.function) AS function, min(s.app) AS app,
       max(f.exposure_usd_per_day) AS exposure_usd_per_day, max(f.exposure) AS exposure
FROM src s
JOIN peaks k ON k.by_kind = s.by_kind AND k.who = s.who
CROSS JOIN params p
LEFT JOIN functions f ON f.app = s.app AND f.function = s.function
WHERE k.peak >= p.flood_per_minute
GROUP BY s.by_kind, s.who, k.peak
ORDER BY s.by_kind, s.who
"""

    def hit(self, row: Mapping[str, object]) -> Hit:
        fn = row["function"]
        target = (
            f" to {fn}"
            + (f" and {_i(row['functions']) - 1} other function(s)" if _i(row["functions"]) > 1 else "")
            if fn
            else ""
        )
        exposure = f"; {fn}'s priced exposure is {row['exposure']}" if row["exposure"] else ""
        usd = _f(row["usd"])
        budget = self.settings.budget_usd_per_day
        peak = _i(row["peak"])
        per_day = peak * 60 * 24 * usd / max(_i(row["requests"]), 1)
        severity = Severity.HIGH if budget is not None and per_day >= budget else None
        return Hit(
            key=f"{row['by_kind']} {row['who']}",
            message=(
                f"{row['by_kind']} {row['who']} sent {_i(row['requests']):,} requests{target} between "
                f"{_t(row['first'])} and {_t(row['last'])} UTC (peak {peak:,} per minute), "
                f"{_usd(usd)} spent in the window; at its peak rate that is {_usd(per_day)} per day{exposure}"
            ),
            resource=str(fn or row["who"]),
            origin=str(row["origin"]),
            line=_i(row["line"]),
            app=str(row["app"] or "."),
            severity=severity,
            extra={
                "source": row["who"],
                "source_kind": row["by_kind"],
                "requests": _i(row["requests"]),
                "peak_per_minute": peak,
                "usd_spent": round(usd, 6),
                "usd_per_day_at_peak": round(per_day, 2),
                "exposure_usd_per_day": row["exposure_usd_per_day"],
            },
        )


class ErrorSpike(WatchRule):
    """## What it does
    Finds, per route, a minute with at least `--spike-min` (default 20) throttles (429), other
    client errors (4xx) or server errors (5xx) that is also at least three times that route's
    average for the same class over the other minutes of the window with traffic.

    ## Why is this bad?
    A burst of 401/403 is credential stuffing or authorization probing; 429 is a flood hitting
    the throttle (and legitimate callers being turned away); 5xx is a failing integration, often
    the first sign of an injection or a resource exhausted by a flood.

    ## Example
    `POST /login` answers 60 `401` in one minute after a quiet hour.

    ## Use instead
    Alarm on the API's 4XXError, 5XXError and throttle metrics, and find the sources behind the
    burst (FG-WATCH-001, FG-WATCH-003).

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
    """

    name = "error-spike"
    needs = ("time", "status")
    meta = RuleMeta(
        id="FG-WATCH-002",
        category=Category.LOGGING_MONITORING,
        severity=Severity.MEDIUM,
        title="Spike of errors or throttles",
        cwe=(778,),
    )
    sql = """
WITH a AS (
    SELECT coalesce(x.method, '-') || ' ' || coalesce(x.route, split_part(x.path, '?', 1), '-') AS target,
           date_trunc('minute', x.time) AS minute, x.status, x.origin, x.line
    FROM access x
),
per_minute AS (
    SELECT target, minute, min(origin) AS origin, min(line) AS line,
           sum(CASE WHEN status = 429 THEN 1 ELSE 0 END) AS n_throttle,
           sum(CASE WHEN status >= 400 AND status < 500 AND status <> 429 THEN 1 ELSE 0 END) AS n_client,
           sum(CASE WHEN status >= 500 THEN 1 ELSE 0 END) AS n_server
    FROM a GROUP BY target, minute
),
classes AS (
    SELECT target, minute, origin, line, 'throttles (429)' AS class, n_throttle AS n FROM per_minute
    UNION ALL SELECT target, minute, origin, line, 'client errors (4xx)', n_client FROM per_minute
    UNION ALL SELECT target, minute, origin, line, 'server errors (5xx)', n_server FROM per_minute
),
base AS (
    SELECT target, class, sum(n) AS total, count(*) AS minutes FROM classes GROUP BY target, class
)
SELECT c.target, c.class, count(*) AS spike_minutes, sum(c.n) AS errors, max(c.n) AS peak,
       min(c.minute) AS first, max(c.minute) AS last, min(c.origin) AS origin, min(c.line) AS line,
       max(CAST(b.total - c.n AS DOUBLE) / CASE WHEN b.minutes > 1 THEN b.minutes - 1 ELSE 1 END) AS baseline
FROM classes c
JOIN base b ON b.target = c.target AND b.class = c.class
CROSS JOIN params p
WHERE c.n >= p.spike_min
  AND c.n >= p.spike_factor
      * (CAST(b.total - c.n AS DOUBLE) / CASE WHEN b.minutes > 1 THEN b.minutes - 1 ELSE 1 END)
GROUP BY c.target, c.class
ORDER BY c.target, c.class
"""

    def hit(self, row: Mapping[str, object]) -> Hit:
        return Hit(
            key=f"{row['target']} {row['class']}",
            message=(
                f"{row['target']}: {_i(row['errors']):,} {row['class']} "
                f"in {_i(row['spike_minutes'])} minute(s) "
                f"from {_t(row['first'])} UTC (peak {_i(row['peak']):,} per minute against a baseline of "
                f"{_f(row['baseline']):.1f})"
            ),
            resource=str(row["target"]),
            origin=str(row["origin"]),
            line=_i(row["line"]),
            extra={"class": row["class"], "errors": _i(row["errors"]), "peak_per_minute": _i(row["peak"])},
        )


class InjectionAttempt(WatchRule):
    """## What it does
    Finds requests whose path, query string or logged body carries a known attack payload:
    server-side request forgery targets (the instance metadata address `169.254.169.254`,
    `file://`, loopback URLs), path traversal (`../`, `/etc/passwd`), SQL injection (`' OR 1=1`,
    `UNION SELECT`) and OS command injection (`; cat`, `$(…)`). One finding per source address
    and payload kind; high when one of those requests got a 2xx or 3xx answer.

    ## Why is this bad?
    Someone is probing the function's input handling; an answered probe may have worked. The
    shield's events (FG-WATCH-006) and the code scan's taint findings say whether it could.

    ## Example
    `GET /files?name=../../etc/passwd` answered `200`.

    ## Use instead
    Validate input at the edge (a request schema, a WAF managed rule set) and in the handler;
    fix the sink the code scan reports.

    ## References
    - https://owasp.org/www-community/attacks/
    """

    name = "injection-attempt"
    needs = ("path",)
    meta = RuleMeta(
        id="FG-WATCH-003",
        category=Category.EVENT_INJECTION,
        severity=Severity.MEDIUM,
        title="Injection attempts in requests",
        cwe=(74,),
    )
    sql = (
        """
WITH a AS (
    SELECT x.*,
           lower(url_decode(replace(coalesce(x.path, '') || ' ' || coalesce(x.payload, ''), '+', ' ')))
             AS text
    FROM access x
),
k AS (
    SELECT a.*, """
        + _injection_case("a.text")
        + """ AS payload_kind
    FROM a
)
SELECT coalesce(ip, '-') AS ip, payload_kind AS kind, count(*) AS attempts,
       sum(CASE WHEN status >= 200 AND status < 400 THEN 1 ELSE 0 END) AS answered,
       min(time) AS first, max(time) AS last, min(path) AS sample,
       count(DISTINCT coalesce(route, split_part(path, '?', 1))) AS targets,
       min(origin) AS origin, min(line) AS line
FROM k
WHERE payload_kind IS NOT NULL
GROUP BY coalesce(ip, '-'), payload_kind
ORDER BY 1, 2
"""
    )

    def hit(self, row: Mapping[str, object]) -> Hit:
        answered = _i(row["answered"])
        tail = f", {answered} answered 2xx/3xx" if answered else ", none answered 2xx/3xx"
        return Hit(
            key=f"{row['ip']} {row['kind']}",
            message=(
                f"{row['ip']} sent {_i(row['attempts'])} {row['kind']} payload(s) to {_i(row['targets'])} "
                f"path(s) between {_t(row['first'])} and {_t(row['last'])} UTC{tail}; e.g. {row['sample']}"
            ),
            resource=str(row["ip"]),
            origin=str(row["origin"]),
            line=_i(row["line"]),
            severity=Severity.HIGH if answered else None,
            extra={
                "kind": row["kind"],
                "attempts": _i(row["attempts"]),
                "answered": answered,
                "sample": row["sample"],
            },
        )


class ShadowRouteInTraffic(WatchRule):
    """## What it does
    With `--against PATH`, finds methods and routes that requests reached (any answer but 403
    and 404, which the gateway gives for routes it does not have) although no IaC under PATH
    defines them. A logged route template (`routeKey`, `resourcePath`) is compared with the IaC's
    templates; when only the path was logged, it is matched against them.

    ## Why is this bad?
    Traffic proves the route is served: it was deployed outside the reviewed IaC (a console
    change, a forgotten stage) and usually lacks the authorizer and throttles the others have.

    ## Example
    `GET /debug` answers 200 while `template.yaml` knows only `/orders` routes.

    ## Use instead
    Describe the route in the IaC with its auth, or delete it; `faasguard audit --against` lists
    what the account serves beyond the IaC.

    ## References
    - https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
    """

    name = "shadow-route"
    needs = ("method",)
    needs_against = True
    meta = RuleMeta(
        id="FG-WATCH-004",
        category=Category.SHADOW_API,
        severity=Severity.MEDIUM,
        title="Undocumented route served in traffic",
        cwe=(1059,),
    )
    sql = """
SELECT x.method, coalesce(x.route, split_part(x.path, '?', 1)) AS target, count(*) AS requests,
       count(DISTINCT x.ip) AS sources,
       sum(CASE WHEN x.status >= 200 AND x.status < 300 THEN 1 ELSE 0 END) AS succeeded,
       min(x.time) AS first, max(x.time) AS last, min(x.origin) AS origin, min(x.line) AS line
FROM access x
WHERE x.rkey IS NULL AND x.method IS NOT NULL AND x.method <> 'OPTIONS'
  AND coalesce(x.route, x.path) IS NOT NULL
  AND (x.status IS NULL OR x.status NOT IN (403, 404))
GROUP BY x.method, coalesce(x.route, split_part(x.path, '?', 1))
ORDER BY 2, 1
"""

    def hit(self, row: Mapping[str, object]) -> Hit:
        return Hit(
            key=f"{row['method']} {row['target']}",
            message=(
                f"{row['method']} {row['target']} is defined by no IaC but answered {_i(row['requests'])} "
                f"request(s) ({_i(row['succeeded'])} with 2xx) from {_i(row['sources'])} source(s) between "
                f"{_t(row['first'])} and {_t(row['last'])} UTC"
            ),
            resource=f"{row['method']} {row['target']}",
            origin=str(row["origin"]),
            line=_i(row["line"]),
            extra={"requests": _i(row["requests"]), "succeeded": _i(row["succeeded"])},
        )


class UnauthenticatedSuccess(WatchRule):
    """## What it does
    With `--against PATH`, finds 2xx answers on routes the IaC protects (IAM, Cognito, JWT or
    Lambda authorizer) whose log record has no principal: no authorizer principal, API key or
    user. Needs a principal field in the access log format (`$context.authorizer.principalId`,
    `$context.identity.apiKeyId`, `$context.identity.user`…).

    ## Why is this bad?
    The deployed route does not enforce what the IaC says: the authorizer was removed or
    changed by hand, or a stage serves an older, open deployment.

    ## Example
    `GET /orders/{id}` has a JWT authorizer in `template.yaml`, yet answers 200 to requests with
    no principal.

    ## Use instead
    Redeploy the API from the IaC and compare it with `faasguard audit --against`.

    ## References
    - https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
    """

    name = "unauthenticated-success"
    needs = ("principal", "status")
    needs_against = True
    meta = RuleMeta(
        id="FG-WATCH-005",
        category=Category.BROKEN_AUTHENTICATION,
        severity=Severity.HIGH,
        title="Success without a principal on a protected route",
        cwe=(306,),
    )
    sql = """
SELECT r.app, r.method, r.path, r.auth, r.function, r.file, r.line AS iac_line, count(*) AS requests,
       count(DISTINCT x.ip) AS sources, min(x.time) AS first, max(x.time) AS last,
       min(x.origin) AS origin, min(x.line) AS line
FROM access x
JOIN routes r ON r.rkey = x.rkey
WHERE r.auth NOT IN ('none', 'unknown') AND x.principal IS NULL AND x.status >= 200 AND x.status < 300
GROUP BY r.app, r.method, r.path, r.auth, r.function, r.file, r.line
ORDER BY r.path, r.method
"""

    def hit(self, row: Mapping[str, object]) -> Hit:
        label = f"{row['method']} {row['path']}"
        return Hit(
            key=label,
            message=(
                f"{label} requires {row['auth']} auth in the IaC, yet answered {_i(row['requests'])} "
                f"request(s) with 2xx and no principal from {_i(row['sources'])} source(s) between "
                f"{_t(row['first'])} and {_t(row['last'])} UTC"
            ),
            resource=str(row["function"] or label),
            origin=str(row["origin"]),
            line=_i(row["line"]),
            app=str(row["app"]),
            iac=(str(row["file"]), _i(row["iac_line"]), "the route and its auth in the IaC"),
            extra={"requests": _i(row["requests"]), "auth": row["auth"]},
        )


class ShieldEvents(WatchRule):
    """## What it does
    Groups the shield's `block` and `alert` security events by function, kind and family
    (process, network, files, code, tamper), with the operations and a target they named. An
    alert is high: the operation ran. A block is medium: it was stopped, but something in the
    function tried it.

    ## Why is this bad?
    A function that spawns a shell, connects to an unexpected host or writes outside `/tmp` is
    doing what its code was not written to do: injected input or a compromised dependency.

    ## Example
    `orders` tried to connect to `exfil.example:443` 3 times (blocked).

    ## Use instead
    Find the request ids in the logs, fix the input handling or the dependency, and keep the
    shield in `block` mode for that family.

    ## References
    - shield/README.md, "Security events"
    """

    name = "shield-events"
    kind = "shield"
    meta = RuleMeta(
        id="FG-WATCH-006",
        category=Category.EVENT_INJECTION,
        severity=Severity.MEDIUM,
        title="Shield blocks and alerts",
        cwe=(94,),
    )
    sql = """
SELECT coalesce(e.function, '-') AS function, e.shield_kind, coalesce(e.shield_family, '-') AS family,
       count(*) AS events, count(DISTINCT e.request_id) AS requests,
       count(DISTINCT e.shield_op) AS ops, min(e.shield_op) AS op, min(e.shield_target) AS target,
       min(e.time) AS first, max(e.time) AS last, min(e.origin) AS origin, min(e.line) AS line
FROM events e CROSS JOIN params p
WHERE e.kind = 'shield' AND e.shield_kind IN ('block', 'alert') AND (p.since IS NULL OR e.time >= p.since)
GROUP BY coalesce(e.function, '-'), e.shield_kind, coalesce(e.shield_family, '-')
ORDER BY 1, 2, 3
"""

    def hit(self, row: Mapping[str, object]) -> Hit:
        verb = "blocked" if row["shield_kind"] == "block" else "allowed, alert only"
        return Hit(
            key=f"{row['function']} {row['shield_kind']} {row['family']}",
            message=(
                f"{row['function']}: {_i(row['events'])} {row['family']} {row['shield_kind']} event(s) in "
                f"{_i(row['requests'])} invocation(s) ({verb}) "
                f"between {_t(row['first'])} and {_t(row['last'])} "
                f"UTC; e.g. {row['op']} {row['target']}"
            ),
            resource=str(row["function"]),
            origin=str(row["origin"]),
            line=_i(row["line"]),
            severity=Severity.HIGH if row["shield_kind"] == "alert" else None,
            extra={"kind": row["shield_kind"], "family": row["family"], "events": _i(row["events"])},
        )


class IamBeyondGrants(WatchRule):
    """## What it does
    With `--against PATH`, finds CloudTrail calls made by a function's role (the assumed-role
    session whose issuer is the role: its name, or a generated name holding the role's logical
    id) for actions that the role's Allow statements in the IaC do not grant, wildcards expanded.
    Until the least-privilege analysis lands, the comparison is with what the IaC grants, not
    with what the code needs; roles with managed policies this check does not know, or
    statements that could not be resolved, give medium findings.

    ## Why is this bad?
    A function calling APIs its role was never given (even when denied) is running code it
    was not deployed with, or its credentials were taken: the classic sign of a compromised
    function (credentials read from the environment or the metadata endpoint).

    ## Example
    `OrdersFunction`'s role calls `iam:ListUsers` and `s3:ListBuckets`; its template grants only
    `dynamodb:GetItem`.

    ## Use instead
    Rotate the role's sessions (revoke older sessions), look for the injection that led there,
    and keep the role to the actions the code needs.

    ## References
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
    """

    name = "iam-beyond-grants"
    kind = "cloudtrail"
    needs_against = True
    meta = RuleMeta(
        id="FG-WATCH-007",
        category=Category.OVER_PRIVILEGE,
        severity=Severity.HIGH,
        title="IAM activity beyond the role's grants",
        cwe=(250,),
    )
    sql = """
WITH ct AS (
    SELECT e.*, f.app, f.function AS fn, f.uncertain, f.file, f.line AS iac_line
    FROM events e
    CROSS JOIN params p
    JOIN fn_roles f
      ON (f.role_name IS NOT NULL AND e.principal = f.role_name)
      OR (f.role_name IS NULL AND strpos(e.principal, f.role_hint) > 0)
    WHERE e.kind = 'cloudtrail' AND (p.since IS NULL OR e.time >= p.since)
)
SELECT ct.app, ct.fn, ct.action, ct.uncertain, ct.file, ct.iac_line, count(*) AS calls,
       sum(CASE WHEN ct.error_code IS NULL THEN 1 ELSE 0 END) AS succeeded,
       min(ct.principal) AS role, min(ct.ip) AS ip, min(ct.time) AS first, max(ct.time) AS last,
       min(ct.origin) AS origin, min(ct.line) AS line
FROM ct
WHERE NOT EXISTS (
    SELECT 1 FROM grants g
    WHERE g.app = ct.app AND g.function = ct.fn AND regexp_like(lower(ct.action), g.pattern)
)
GROUP BY ct.app, ct.fn, ct.action, ct.uncertain, ct.file, ct.iac_line
ORDER BY ct.fn, ct.action
"""

    def hit(self, row: Mapping[str, object]) -> Hit:
        ok = _i(row["succeeded"])
        calls = _i(row["calls"])
        outcome = f"{ok} succeeded" if ok == calls else f"{ok} succeeded, {calls - ok} denied"
        doubt = f"; the role's grants are not fully known: {row['uncertain']}" if row["uncertain"] else ""
        return Hit(
            key=f"{row['fn']} {row['action']}",
            message=(
                f"{row['fn']}'s role {row['role']} called {row['action']} {calls} time(s) ({outcome}) from "
                f"{row['ip']} between {_t(row['first'])} and {_t(row['last'])} UTC; the IaC does not grant "
                f"it{doubt}"
            ),
            resource=str(row["fn"]),
            origin=str(row["origin"]),
            line=_i(row["line"]),
            app=str(row["app"]),
            severity=Severity.MEDIUM if row["uncertain"] else None,
            iac=(str(row["file"]), _i(row["iac_line"]), "the role in the IaC"),
            extra={"action": row["action"], "calls": calls, "succeeded": ok},
        )
