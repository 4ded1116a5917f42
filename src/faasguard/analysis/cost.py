"""Worst-case flood cost of public functions (denial of wallet): pure functions over the model.

The model answers one question: if someone floods a function's public door as fast as AWS lets
them, what does it cost per hour? Prices and limits come from `faasguard.settings.Settings`.

For one function:

- **C**, its concurrency ceiling: the function's reserved concurrency, else the account's
  concurrency quota (`settings.account_concurrency`, 1000 by default). Reserved concurrency 0
  means the function cannot run at all.
- **D**, its timeout in seconds: the worst case is every invocation running until the timeout.
- **T**, the request-rate cap in requests per second, the smallest of
  - the API throttle that applies to the door: a route (method) throttle overrides its stage's
    default throttle, as API Gateway does; the attacker picks the least throttled stage.
    Usage-plan throttles count only for methods that require an API key (a plan throttles per
    key; a method without a key requirement is not metered by any plan; per-method throttles
    inside a plan are not in the model and are ignored, which can only overstate). A throttle
    whose rate could not be resolved, or a plan naming a stage that could not be resolved, caps
    nothing, and the figure says it is an upper bound;
  - API Gateway's account-level rate (`settings.account_api_rate`, 10,000/s): API doors only;
  - Lambda's synchronous scaling limit, `settings.requests_per_concurrency` * C (10 * C).
- concurrent executions under the flood: min(T * D, C) (Little's law, capped by C).
- USD per hour = (min(T * D, C) * memory GB * price per GB-second
  + T * (Lambda request fee + API request fee)) * 3600,
  with memory GB = MemorySize / 1024, the GB-second price by architecture (arm64 is cheaper;
  an unresolved architecture is priced as x86_64, the dearer) and the API fee by door: REST API,
  HTTP API, or none for a Function URL. Request fees are counted at the full rate T, even when
  C throttles some invocations (the worst case).
- A function with several public doors is priced at its worst door. Doors that need no
  credentials (no authorizer, or an API key only, or a Function URL with AuthType NONE) are the
  "anonymous" doors; when a function has any, only they are priced, since that is the flood
  anyone can start. Otherwise its authenticated public routes are priced, as the flood of a
  caller holding credentials (API Gateway does not bill requests that fail authorization).
- An unknown memory size, timeout or reserved concurrency gives no figure (`NoFigure` says why).

For an application (`app_usd_per_hour`), each public function's worst door is summed, but the
functions share the account: their concurrent executions together cannot exceed
`account_concurrency`, and their API request rates together cannot exceed `account_api_rate`.
When demand exceeds a shared limit, it is shared in proportion to each function's demand (an
attacker could skew it a little towards the dearest function; the difference is small next to
the model's other simplifications). WebSocket and ALB doors are not priced.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from faasguard.model import (
    Api,
    ApiKind,
    Application,
    AuthKind,
    Function,
    Route,
    SourceRef,
    Stage,
    Throttle,
    TriggerKind,
    Unknown,
)
from faasguard.settings import Settings


class CappedBy(StrEnum):
    STAGE_THROTTLE = "stage-throttle"
    ROUTE_THROTTLE = "route-throttle"
    USAGE_PLAN = "usage-plan"
    ACCOUNT_API_LIMIT = "account-api-limit"
    CONCURRENCY = "concurrency"


@dataclass(frozen=True, slots=True)
class Door:
    """A way the internet reaches a function: an API route or a Function URL."""

    kind: TriggerKind  # REST_API | HTTP_API | FUNCTION_URL
    label: str
    anonymous: bool
    source: SourceRef
    route: Route | None = None


@dataclass(frozen=True, slots=True)
class ApiCap:
    """The explicit throttle that applies to a door (None: nothing throttles it)."""

    rate: float | None
    capped_by: CappedBy | None
    uncertain: bool = False  # a throttle rate could not be resolved


@dataclass(frozen=True, slots=True)
class Exposure:
    function: str
    door: Door
    usd_per_hour: float
    rate_cap: float  # requests per second
    capped_by: CappedBy
    concurrency: float  # executions running at once under the flood
    api_rate: float  # the part of rate_cap that goes through API Gateway (0 for a Function URL)
    upper_bound: bool = False

    @property
    def usd_per_day(self) -> float:
        return self.usd_per_hour * 24

    def extra(self) -> dict[str, object]:
        return {
            "usd_per_hour": round(self.usd_per_hour, 2),
            "usd_per_day": round(self.usd_per_day, 2),
            "rate_cap": round(self.rate_cap, 2),
            "capped_by": self.capped_by.value,
        }

    def summary(self) -> str:
        """'up to $1,234.56 per day (10,000 requests/s, capped by the account API limit)'."""
        bound = ", an upper bound: a throttle could not be resolved" if self.upper_bound else ""
        return (
            f"up to {money(self.usd_per_day)} per day ({self.rate_cap:,.0f} requests/s, "
            f"capped by {_CAP_WORDS[self.capped_by]}{bound})"
        )


@dataclass(frozen=True, slots=True)
class NoFigure:
    function: str
    reason: str


_CAP_WORDS = {
    CappedBy.STAGE_THROTTLE: "the stage throttle",
    CappedBy.ROUTE_THROTTLE: "the route throttle",
    CappedBy.USAGE_PLAN: "the usage plan throttle",
    CappedBy.ACCOUNT_API_LIMIT: "the account API limit",
    CappedBy.CONCURRENCY: "the function's concurrency",
}

_API_DOORS = {ApiKind.REST: TriggerKind.REST_API, ApiKind.HTTP: TriggerKind.HTTP_API}


def money(usd: float) -> str:
    return f"${usd:,.2f}"


# --- doors -------------------------------------------------------------------------------------


def public_doors(app: Application, fn: Function) -> list[Door]:
    """The function's doors reachable from the internet (routes of public APIs, open URLs)."""
    doors: list[Door] = []
    for route in app.routes_of(fn.id):
        if route.public is not True or route.preflight:
            continue
        api = app.api(route.api)
        kind = _API_DOORS.get(api.kind) if api is not None else None
        if kind is None:
            continue
        where = "the implicit API" if api is not None and api.implicit else f"API {route.api}"
        doors.append(
            Door(kind, f"{route.label} on {where}", route.auth.kind is AuthKind.NONE, route.source, route)
        )
    if fn.url is not None and fn.url.auth_type == "NONE":
        doors.append(Door(TriggerKind.FUNCTION_URL, "its Function URL", True, fn.url.loc("AuthType")))
    return doors


def priced_doors(app: Application, fn: Function) -> list[Door]:
    """The doors a flood would use: the anonymous ones when there are any, else all public ones."""
    doors = public_doors(app, fn)
    anonymous = [d for d in doors if d.anonymous]
    return anonymous or doors


# --- throttles ---------------------------------------------------------------------------------


def _rest_key_path(path: str) -> str:
    """A MethodSettings ResourcePath ('/~1orders~1{id}') as a route path ('/orders/{id}')."""
    decoded = path.replace("~1", "/")
    return decoded[1:] if decoded.startswith("//") else decoded


def route_throttle(stage: Stage, route: Route) -> tuple[Throttle, bool] | None:
    """The route (method) throttle of a stage that covers this route; (throttle, exact match)."""
    wildcard: Throttle | None = None
    for key, throttle in stage.route_throttles.items():
        if key == route.path == "$default" or key == f"{route.method} {route.path}":
            return throttle, True
        method, _, path = key.partition(" ")
        path = _rest_key_path(path)
        if method in ("*", route.method) and path in ("/*", route.path):
            wildcard = throttle
    return (wildcard, False) if wildcard is not None else None


def _rate(throttle: Throttle | None) -> tuple[float | None, bool]:
    """(rate, uncertain) of a throttle: a burst-only throttle caps no rate."""
    if throttle is None or throttle.rate is None:
        return None, False
    if isinstance(throttle.rate, Unknown):
        return None, True
    return float(throttle.rate), False


def _stage_matches(plan_stage: object, stage: Stage, api: Api) -> bool:
    if isinstance(plan_stage, str):
        name = plan_stage[2:-1] if plan_stage.startswith("${") and plan_stage.endswith("}") else plan_stage
        if name == stage.name:
            return True
        # A reference to a Stage resource: its logical id, not its name. Unambiguous only when
        # the API has a single stage.
        return len(api.stages) == 1 and name not in (s.name for s in api.stages)
    return False


def _api_matches(plan_api: object, api: Api) -> bool:
    return plan_api in (api.id, "${" + api.id + "}")


def usage_plan_cap(app: Application, api: Api, stage: Stage) -> tuple[float | None, bool]:
    """The per-key rate of the usage plans on this stage (None when a plan, or none, leaves it open).

    The second value is True when a plan names this API at a stage that could not be resolved
    (a SAM-generated stage id, an imported value): whether it covers this stage is unknown.
    """
    rates: list[float] = []
    covered = False
    uncertain = False
    for plan in app.usage_plans:
        named = [s for a, s in plan.api_stages if _api_matches(a, api)]
        if any(isinstance(s, Unknown) for s in named):
            uncertain = True
        if not any(_stage_matches(s, stage, api) for s in named):
            continue
        covered = True
        rate, unsure = _rate(plan.throttle)
        uncertain = uncertain or unsure
        if rate is None:
            return None, uncertain
        rates.append(rate)
    return (max(rates) if covered else None), uncertain


def stage_cap(app: Application, api: Api, stage: Stage, route: Route) -> ApiCap:
    """The throttle that applies to a route in one stage."""
    covering = route_throttle(stage, route)
    if covering is not None:
        rate, uncertain = _rate(covering[0])
        cap = ApiCap(rate, CappedBy.ROUTE_THROTTLE if rate is not None else None, uncertain)
    else:
        rate, uncertain = _rate(stage.throttle)
        cap = ApiCap(rate, CappedBy.STAGE_THROTTLE if rate is not None else None, uncertain)
    if route.auth.api_key_required:
        plan_rate, plan_unsure = usage_plan_cap(app, api, stage)
        if plan_rate is not None and (cap.rate is None or plan_rate < cap.rate):
            cap = ApiCap(plan_rate, CappedBy.USAGE_PLAN, cap.uncertain or plan_unsure)
        elif plan_unsure:
            cap = ApiCap(cap.rate, cap.capped_by, True)
    return cap


def route_cap(app: Application, route: Route) -> ApiCap:
    """The worst (least throttled) stage's cap for a route: the attacker picks the stage."""
    api = app.api(route.api)
    if api is None:
        return ApiCap(None, None)
    stages = [s for s in api.stages if route.stage is None or s.name == route.stage]
    if not stages:
        return ApiCap(None, None)
    caps = [stage_cap(app, api, s, route) for s in stages]
    uncertain = any(c.uncertain for c in caps)
    if any(c.rate is None for c in caps):
        return ApiCap(None, None, uncertain)
    worst = max(caps, key=lambda c: c.rate or 0.0)
    return ApiCap(worst.rate, worst.capped_by, uncertain)


# --- prices ------------------------------------------------------------------------------------


def _gb_second_price(fn: Function, settings: Settings) -> float:
    prices = settings.prices
    return prices.gb_second_arm64 if fn.architecture == "arm64" else prices.gb_second_x86_64


def _api_fee(kind: TriggerKind, settings: Settings) -> float:
    prices = settings.prices
    if kind is TriggerKind.REST_API:
        return prices.per_request_rest_api
    if kind is TriggerKind.HTTP_API:
        return prices.per_request_http_api
    return prices.per_request_function_url


def concurrency_ceiling(fn: Function, settings: Settings) -> int | None:
    """C: reserved concurrency, else the account quota; None when it cannot be known."""
    if fn.reserved_concurrency is None:
        return settings.account_concurrency
    if isinstance(fn.reserved_concurrency, Unknown):
        return None
    return max(fn.reserved_concurrency, 0)


def _sizes(fn: Function, settings: Settings) -> tuple[int, int, int] | str:
    """(memory MB, timeout s, C) or why they cannot be known."""
    if isinstance(fn.memory, Unknown):
        return "its memory size could not be resolved"
    if isinstance(fn.timeout, Unknown):
        return "its timeout could not be resolved"
    ceiling = concurrency_ceiling(fn, settings)
    if ceiling is None:
        return "its reserved concurrency could not be resolved"
    return fn.memory, fn.timeout, ceiling


def door_exposure(app: Application, fn: Function, door: Door, settings: Settings) -> Exposure | NoFigure:
    sizes = _sizes(fn, settings)
    if isinstance(sizes, str):
        return NoFigure(fn.id, sizes)
    memory, timeout, ceiling = sizes
    api = ApiCap(None, None)
    if door.route is not None:
        api = route_cap(app, door.route)
    # Candidates in order of preference on ties: the explicit throttle names the fix best.
    candidates: list[tuple[float, CappedBy]] = []
    if api.rate is not None and api.capped_by is not None:
        candidates.append((api.rate, api.capped_by))
    if door.kind is not TriggerKind.FUNCTION_URL:
        candidates.append((settings.account_api_rate, CappedBy.ACCOUNT_API_LIMIT))
    candidates.append((settings.requests_per_concurrency * ceiling, CappedBy.CONCURRENCY))
    rate, capped_by = min(candidates, key=lambda c: c[0])
    rate = max(rate, 0.0)
    running = min(rate * timeout, float(ceiling))
    per_second = running * (memory / 1024) * _gb_second_price(fn, settings) + rate * (
        settings.prices.per_request_lambda + _api_fee(door.kind, settings)
    )
    return Exposure(
        fn.id,
        door,
        per_second * 3600,
        rate,
        capped_by,
        running,
        0.0 if door.kind is TriggerKind.FUNCTION_URL else rate,
        api.uncertain,
    )


def function_exposure(app: Application, fn: Function, settings: Settings) -> Exposure | NoFigure | None:
    """The worst flood over the function's priced doors; None when it has no public door."""
    doors = priced_doors(app, fn)
    if not doors:
        return None
    results = [door_exposure(app, fn, d, settings) for d in doors]
    figures = [r for r in results if isinstance(r, Exposure)]
    if not figures:
        return results[0]
    return max(figures, key=lambda e: e.usd_per_hour)


def app_usd_per_hour(app: Application, settings: Settings) -> float | None:
    """All public functions flooded at once, within the account's shared limits (see above)."""
    figures: list[tuple[Function, Exposure, int, int]] = []
    for fn in app.functions:
        exposure = function_exposure(app, fn, settings)
        if isinstance(exposure, NoFigure):
            return None
        sizes = _sizes(fn, settings)
        if exposure is not None and not isinstance(sizes, str):
            figures.append((fn, exposure, sizes[0], sizes[1]))
    if not figures:
        return None
    api_demand = sum(e.api_rate for _, e, _, _ in figures)
    api_share = min(1.0, settings.account_api_rate / api_demand) if api_demand > 0 else 1.0
    shaped: list[tuple[Function, Exposure, int, float, float]] = []
    for fn, e, memory, timeout in figures:
        rate = e.rate_cap * (api_share if e.api_rate > 0 else 1.0)
        shaped.append((fn, e, memory, rate, min(rate * timeout, e.concurrency)))
    total_running = sum(s[4] for s in shaped)
    share = min(1.0, settings.account_concurrency / total_running) if total_running > 0 else 1.0
    per_second = 0.0
    for fn, e, memory, rate, running in shaped:
        per_second += running * share * (memory / 1024) * _gb_second_price(fn, settings)
        per_second += rate * (settings.prices.per_request_lambda + _api_fee(e.door.kind, settings))
    return per_second * 3600
