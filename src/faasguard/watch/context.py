"""What the IaC (`--against PATH`) tells the detections, as small tables beside `events`.

- `routes`: every documented route (method, path template, a regular expression for concrete
  paths, auth, the function it reaches, its price per request and per millisecond);
- `functions`: priced exposure per function (`faasguard.analysis.cost`);
- `fn_roles`: which role each function runs as (exact name, or the logical id CloudFormation puts
  in generated names) and whether its grants are fully known;
- `grants`: the actions each function's role is granted, as anchored lower-case regular
  expressions (wildcards expanded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from faasguard.model import Application
from faasguard.model.app import Function, Role, TriggerKind
from faasguard.settings import Settings

if TYPE_CHECKING:
    import duckdb

# Actions of the AWS managed policies Lambda roles usually carry (the rest are "not known").
MANAGED_ACTIONS: dict[str, tuple[str, ...]] = {
    "AWSLambdaBasicExecutionRole": ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
    "AWSLambdaVPCAccessExecutionRole": (
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
    ),
    "AWSXRayDaemonWriteAccess": ("xray:Put*", "xray:Get*"),
    "AWSXrayWriteOnlyAccess": ("xray:Put*", "xray:Get*"),
}


@dataclass(frozen=True, slots=True)
class RouteRow:
    rkey: int
    app: str
    method: str
    path: str
    regex: str
    auth: str
    function: str | None
    req_price: float
    ms_price: float
    file: str
    line: int


def path_regex(template: str) -> str:
    """'/orders/{id}' -> '^/orders/[^/]+$'; '{proxy+}' matches the rest of the path."""
    out = []
    for part in re.split(r"(\{[^}]*\})", template):
        if part.startswith("{") and part.endswith("}"):
            out.append(".*" if part.endswith("+}") else "[^/]+")
        else:
            out.append(re.escape(part).replace("\\/", "/"))
    return "^" + "".join(out) + "$"


def action_regex(pattern: str) -> str:
    return "^" + re.escape(pattern.lower()).replace("\\*", ".*").replace("\\?", ".") + "$"


def _request_price(kind: TriggerKind | None, settings: Settings) -> float:
    p = settings.prices
    fee = {TriggerKind.REST_API: p.per_request_rest_api, TriggerKind.HTTP_API: p.per_request_http_api}
    return p.per_request_lambda + fee.get(kind, p.per_request_http_api) if kind else p.per_request_lambda


def _ms_price(fn: Function | None, settings: Settings) -> float:
    memory = fn.memory if fn is not None and isinstance(fn.memory, int) else 128
    gb_s = (
        settings.prices.gb_second_arm64
        if fn is not None and fn.architecture == "arm64"
        else settings.prices.gb_second_x86_64
    )
    return memory / 1024 * gb_s / 1000


def default_prices(settings: Settings) -> tuple[float, float]:
    """Per request and per millisecond when no IaC says: 128 MB x86, an HTTP API in front."""
    return _request_price(TriggerKind.HTTP_API, settings), _ms_price(None, settings)


def build(db: duckdb.DuckDBPyConnection, apps: list[Application], settings: Settings) -> list[RouteRow]:
    from faasguard.analysis.cost import Exposure, function_exposure

    db.execute(
        "CREATE OR REPLACE TABLE routes (rkey INTEGER, app VARCHAR, method VARCHAR, path VARCHAR, "
        "regex VARCHAR, auth VARCHAR, function VARCHAR, req_price DOUBLE, ms_price DOUBLE, "
        "file VARCHAR, line INTEGER)"
    )
    db.execute(
        "CREATE OR REPLACE TABLE functions (app VARCHAR, function VARCHAR, name VARCHAR, "
        "exposure_usd_per_day DOUBLE, exposure VARCHAR)"
    )
    db.execute(
        "CREATE OR REPLACE TABLE fn_roles (app VARCHAR, function VARCHAR, function_name VARCHAR, "
        "role VARCHAR, role_name VARCHAR, role_hint VARCHAR, uncertain VARCHAR, file VARCHAR, line INTEGER)"
    )
    db.execute("CREATE OR REPLACE TABLE grants (app VARCHAR, function VARCHAR, pattern VARCHAR)")
    routes: list[RouteRow] = []
    for app in apps:
        fns = {f.id: f for f in app.functions}
        kinds = {a.id: a.kind for a in app.apis}
        for r in app.routes:
            if r.preflight:
                continue
            fn = fns.get(r.function) if r.function else None
            api_kind = kinds.get(r.api)
            trig = (
                TriggerKind.REST_API
                if api_kind is not None and api_kind.value == "rest"
                else TriggerKind.HTTP_API
            )
            method = r.method.upper()
            routes.append(
                RouteRow(
                    len(routes) + 1,
                    app.root,
                    "ANY" if method in ("*", "X-AMAZON-APIGATEWAY-ANY-METHOD") else method,
                    r.path,
                    path_regex(r.path),
                    r.auth.kind.value,
                    r.function,
                    _request_price(trig, settings),
                    _ms_price(fn, settings),
                    r.source.path,
                    r.source.line,
                )
            )
        for fn in app.functions:
            exp = function_exposure(app, fn, settings)
            usd = exp.usd_per_day if isinstance(exp, Exposure) else None
            text = exp.summary() if isinstance(exp, Exposure) else None
            name = fn.name if isinstance(fn.name, str) else None
            db.execute("INSERT INTO functions VALUES (?, ?, ?, ?, ?)", [app.root, fn.id, name, usd, text])
            _role_rows(db, app, fn, name)
    if routes:
        db.executemany(
            "INSERT INTO routes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    r.rkey,
                    r.app,
                    r.method,
                    r.path,
                    r.regex,
                    r.auth,
                    r.function,
                    r.req_price,
                    r.ms_price,
                    r.file,
                    r.line,
                ]
                for r in routes
            ],
        )
    return routes


def _role_rows(db: duckdb.DuckDBPyConnection, app: Application, fn: Function, fn_name: str | None) -> None:
    role = next((r for r in app.roles if isinstance(fn.role, str) and r.id == fn.role), None)
    if role is None:
        return
    patterns, uncertain = granted(role)
    name = role.name if isinstance(role.name, str) else None
    db.execute(
        "INSERT INTO fn_roles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            app.root,
            fn.id,
            fn_name,
            role.id,
            name,
            role.id,
            "; ".join(uncertain) or None,
            role.source.path,
            role.source.line,
        ],
    )
    if patterns:
        db.executemany(
            "INSERT INTO grants VALUES (?, ?, ?)",
            [[app.root, fn.id, action_regex(p)] for p in sorted(patterns)],
        )


def granted(role: Role) -> tuple[set[str], list[str]]:
    """The action patterns a role's Allow statements grant, and what keeps that list from being sure."""
    patterns: set[str] = set()
    uncertain: list[str] = []
    for policy in role.policies:
        if policy.unresolved:
            uncertain.append(f"policy {policy.name} could not be resolved")
        for st in policy.statements:
            if st.effect != "Allow":
                continue
            if st.unresolved:
                uncertain.append(f"a statement of {policy.name} could not be resolved")
            if st.not_actions:
                patterns.add("*")  # NotAction: nearly everything; nothing is reported for this role
            for action in st.actions:
                if isinstance(action, str):
                    patterns.add(action)
                else:
                    uncertain.append(f"an action of {policy.name} could not be resolved")
    for ref in role.managed:
        arn = ref.arn if isinstance(ref.arn, str) else ""
        known = MANAGED_ACTIONS.get(arn.rsplit("/", 1)[-1])
        if known is None:
            uncertain.append(f"managed policy {arn or '(unresolved)'} is not known to this check")
        else:
            patterns.update(known)
    return patterns, uncertain
