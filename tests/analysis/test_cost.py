"""The denial-of-wallet cost model against figures worked out by hand (see each test's comment)."""

from __future__ import annotations

import pytest

from faasguard.analysis.cost import (
    CappedBy,
    Exposure,
    NoFigure,
    app_usd_per_hour,
    function_exposure,
)
from faasguard.model import (
    Api,
    ApiKind,
    Application,
    Auth,
    AuthKind,
    Function,
    FunctionUrl,
    Route,
    SourceRef,
    Stage,
    Throttle,
    Unknown,
    UsagePlan,
)
from faasguard.settings import Settings

SRC = SourceRef("template.yaml", 1, 1)
SETTINGS = Settings()


def _fn(fid: str = "Fn", **kw: object) -> Function:
    return Function(id=fid, source=SRC, **kw)  # type: ignore[arg-type]


def _api(kind: ApiKind = ApiKind.REST, stages: tuple[Stage, ...] = (), aid: str = "Api") -> Api:
    return Api(aid, kind, SRC, stages=stages or (Stage("prod", SRC),))


def _route(fid: str = "Fn", path: str = "/items", key: bool = False, api: str = "Api") -> Route:
    return Route(api, "GET", path, SRC, fid, Auth(AuthKind.NONE, api_key_required=key))


def _app(
    *functions: Function, apis: tuple[Api, ...] = (), routes: tuple[Route, ...] = (), **kw: object
) -> Application:
    return Application(".", "sam", SRC, functions=functions, apis=apis, routes=routes, **kw)  # type: ignore[arg-type]


def _exposure(app: Application, fid: str = "Fn") -> Exposure:
    fn = app.function(fid)
    assert fn is not None
    result = function_exposure(app, fn, SETTINGS)
    assert isinstance(result, Exposure), result
    return result


def test_reserved_concurrency_caps_rate_and_running() -> None:
    # C = 50, T = min(10,000, 10 * 50) = 500/s; running = min(500 * 10, 50) = 50
    # compute 50 * 0.5 GB * 0.0000166667 = 0.000416667 $/s; requests 500 * (0.2 + 3.5)/1e6 = 0.00185 $/s
    # (0.000416667 + 0.00185) * 3600 = 8.16 $/h
    app = _app(_fn(memory=512, timeout=10, reserved_concurrency=50), apis=(_api(),), routes=(_route(),))
    e = _exposure(app)
    assert e.usd_per_hour == pytest.approx(8.16, rel=0.01)
    assert e.capped_by is CappedBy.CONCURRENCY
    assert e.rate_cap == 500
    assert e.extra() == {
        "usd_per_hour": 8.16,
        "usd_per_day": 195.84,
        "rate_cap": 500.0,
        "capped_by": "concurrency",
    }


def test_stage_throttle_caps_rate() -> None:
    # T = 100/s (stage); running = min(100 * 3, 1000) = 300
    # compute 300 * 0.125 * 0.0000166667 = 0.000625; requests 100 * 3.7e-6 = 0.00037; * 3600 = 3.582 $/h
    stage = Stage("prod", SRC, throttle=Throttle(100.0, 50, SRC))
    app = _app(_fn(), apis=(_api(stages=(stage,)),), routes=(_route(),))
    e = _exposure(app)
    assert e.usd_per_hour == pytest.approx(3.582, rel=0.01)
    assert e.capped_by is CappedBy.STAGE_THROTTLE


def test_neither_throttle_nor_reservation() -> None:
    # T = min(10,000 account API, 10 * 1000) = 10,000/s; running = min(30,000, 1000) = 1000
    # compute 1000 * 0.125 * 0.0000166667 = 0.00208334; requests 10,000 * 3.7e-6 = 0.037
    # 0.03908334 * 3600 = 140.70 $/h = 3376.80 $/day
    app = _app(_fn(), apis=(_api(),), routes=(_route(),))
    e = _exposure(app)
    assert e.usd_per_hour == pytest.approx(140.70, rel=0.01)
    assert e.usd_per_day == pytest.approx(3376.80, rel=0.01)
    assert e.capped_by is CappedBy.ACCOUNT_API_LIMIT
    assert e.rate_cap == 10_000


def test_arm64_on_http_api() -> None:
    # HTTP API, 1024 MB, 30 s, arm64: T = 10,000; running 1000
    # compute 1000 * 1 * 0.0000133334 = 0.0133334; requests 10,000 * 1.2e-6 = 0.012; * 3600 = 91.20 $/h
    fn = _fn(memory=1024, timeout=30, architecture="arm64")
    app = _app(fn, apis=(_api(ApiKind.HTTP),), routes=(_route(),))
    assert _exposure(app).usd_per_hour == pytest.approx(91.20, rel=0.01)


def test_function_url_has_no_api_fee_and_no_api_limit() -> None:
    # 256 MB, 60 s, URL: T = 10 * 1000 = 10,000 (concurrency); running 1000
    # compute 1000 * 0.25 * 0.0000166667 = 0.00416668; requests 10,000 * 0.2e-6 = 0.002; * 3600 = 22.20 $/h
    fn = _fn(memory=256, timeout=60, url=FunctionUrl("NONE", SRC))
    e = _exposure(_app(fn))
    assert e.usd_per_hour == pytest.approx(22.20, rel=0.01)
    assert e.capped_by is CappedBy.CONCURRENCY


def test_usage_plan_counts_only_for_key_required_methods() -> None:
    # Plan throttle 5/s on (Api, prod). Key-required route: T = 5, running 15
    # compute 15 * 0.125 * 0.0000166667 = 0.00003125; requests 5 * 3.7e-6 = 0.0000185; * 3600 = 0.1791 $/h
    plan = UsagePlan("Plan", SRC, (("Api", "prod"),), Throttle(5.0, 10, SRC))
    keyed = _app(_fn(), apis=(_api(),), routes=(_route(key=True),), usage_plans=(plan,))
    e = _exposure(keyed)
    assert e.usd_per_hour == pytest.approx(0.1791, rel=0.01)
    assert e.capped_by is CappedBy.USAGE_PLAN
    # The same plan does not meter a route that needs no key: back to the account limit.
    open_route = _app(_fn(), apis=(_api(),), routes=(_route(key=False),), usage_plans=(plan,))
    assert _exposure(open_route).usd_per_hour == pytest.approx(140.70, rel=0.01)


def test_route_throttle_overrides_stage_throttle() -> None:
    # Stage 1000/s but GET /items has its own 20/s: T = 20, running 60
    # compute 60 * 0.125 * 0.0000166667 = 0.000125; requests 20 * 3.7e-6 = 0.000074; * 3600 = 0.7164 $/h
    stage = Stage(
        "prod",
        SRC,
        throttle=Throttle(1000.0, 100, SRC),
        route_throttles={"GET /~1items": Throttle(20.0, 10, SRC)},
    )
    app = _app(_fn(), apis=(_api(stages=(stage,)),), routes=(_route(),))
    e = _exposure(app)
    assert e.capped_by is CappedBy.ROUTE_THROTTLE
    assert e.usd_per_hour == pytest.approx(0.7164, rel=0.01)


def test_least_throttled_stage_wins() -> None:
    throttled = Stage("prod", SRC, throttle=Throttle(10.0, 5, SRC))
    open_stage = Stage("dev", SRC)
    app = _app(_fn(), apis=(_api(stages=(throttled, open_stage)),), routes=(_route(),))
    assert _exposure(app).capped_by is CappedBy.ACCOUNT_API_LIMIT


def test_anonymous_door_is_priced_before_authenticated_one() -> None:
    # A Cognito-protected REST route and an open Function URL: the URL is the flood anyone starts.
    authed = Route("Api", "GET", "/items", SRC, "Fn", Auth(AuthKind.COGNITO, "Pool"))
    fn = _fn(url=FunctionUrl("NONE", SRC))
    e = _exposure(_app(fn, apis=(_api(),), routes=(authed,)))
    assert e.door.label == "its Function URL"


def test_unknown_memory_gives_no_figure() -> None:
    app = _app(_fn(memory=Unknown("parameter")), apis=(_api(),), routes=(_route(),))
    fn = app.function("Fn")
    assert fn is not None
    result = function_exposure(app, fn, SETTINGS)
    assert isinstance(result, NoFigure)
    assert "memory" in result.reason
    assert app_usd_per_hour(app, SETTINGS) is None


def test_private_function_has_no_exposure() -> None:
    app = _app(_fn())
    fn = app.function("Fn")
    assert fn is not None
    assert function_exposure(app, fn, SETTINGS) is None
    assert app_usd_per_hour(app, SETTINGS) is None


def test_app_total_shares_account_limits() -> None:
    # Two unthrottled REST functions (128 MB, 3 s): each alone 140.70 $/h. Together their API
    # demand (20,000/s) is halved to the 10,000/s account limit and their running executions
    # (2 * 1000) are halved to the 1000 account concurrency: the total is again 140.70 $/h.
    app = _app(
        _fn("A"),
        _fn("B"),
        apis=(_api(),),
        routes=(_route("A", "/a"), _route("B", "/b")),
    )
    assert app_usd_per_hour(app, SETTINGS) == pytest.approx(140.70, rel=0.01)


def test_app_total_sums_when_limits_allow() -> None:
    # Two stage-throttled functions at 3.582 $/h each: far under the shared limits, so 7.164 $/h.
    stage = Stage("prod", SRC, throttle=Throttle(100.0, 50, SRC))
    app = _app(
        _fn("A"),
        _fn("B"),
        apis=(_api(stages=(stage,)),),
        routes=(_route("A", "/a"), _route("B", "/b")),
    )
    assert app_usd_per_hour(app, SETTINGS) == pytest.approx(7.164, rel=0.01)


def test_budget_decides_severity_when_declared() -> None:
    from faasguard.findings import Severity
    from faasguard.rules.denial_of_wallet import budget_severity

    app = _app(_fn(), apis=(_api(),), routes=(_route(),))  # 3376.80 $/day
    e = _exposure(app)
    assert budget_severity(SETTINGS, e) is None  # no budget: the rule's default
    assert budget_severity(Settings(budget_usd_per_day=100.0), e) is Severity.HIGH
    assert budget_severity(Settings(budget_usd_per_day=5000.0), e) is Severity.LOW


def test_plan_on_unresolved_stage_makes_an_upper_bound() -> None:
    # A plan naming a SAM-generated stage id (unresolvable): it may or may not cover 'prod'.
    plan = UsagePlan("Plan", SRC, (("Api", Unknown("generated stage")),), Throttle(5.0, 10, SRC))
    app = _app(_fn(), apis=(_api(),), routes=(_route(key=True),), usage_plans=(plan,))
    e = _exposure(app)
    assert e.upper_bound
    assert e.usd_per_hour == pytest.approx(140.70, rel=0.01)
