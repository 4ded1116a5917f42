"""Settings that rules read: prices, account limits, the budget, the date runtimes are judged on.

Every number is documented and overridable (ScanOptions.settings, later the config file).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Prices:
    """us-east-1 list prices, as published on 2026-11-01 (AWS Lambda and API Gateway pricing pages)."""

    as_of: str = "2026-11-01"
    region: str = "us-east-1"
    gb_second_x86_64: float = 0.0000166667
    gb_second_arm64: float = 0.0000133334
    per_request_lambda: float = 0.20 / 1e6
    per_request_rest_api: float = 3.50 / 1e6
    per_request_http_api: float = 1.00 / 1e6
    per_request_function_url: float = 0.0


@dataclass(frozen=True, slots=True)
class CodeSettings:
    """Thresholds of the code-quality checks (each one with its reason)."""

    # Distinct top-level resources (first path segment) one function may serve before it is a
    # "lambdalith" serving unrelated routes. Powertools / Flask routers in one function are fine
    # for one resource and its sub-resources.
    max_route_groups: int = 5
    # Unpacked size of a function's code folder, in MiB. Lambda's limit is 250 MiB unzipped;
    # far below it, cold starts already suffer and the package usually carries unused code.
    max_package_mib: float = 50.0
    # Declared but never imported dependencies before a finding (per function).
    min_unused_dependencies: int = 1
    # except-everything blocks that drop the error, in one entry point, before a finding.
    min_swallowed_exceptions: int = 1


@dataclass(frozen=True, slots=True)
class Settings:
    prices: Prices = field(default_factory=Prices)
    # Lambda's default concurrency quota per account and region.
    account_concurrency: int = 1000
    # API Gateway's default account-level throttle (requests/s), REST and HTTP APIs alike.
    account_api_rate: float = 10_000.0
    # Lambda scales by 10 requests/s per unit of concurrency at most (synchronous invokes).
    requests_per_concurrency: float = 10.0
    # USD per day a flood may cost before a denial-of-wallet finding is high (None: severity by rule).
    budget_usd_per_day: float | None = None
    # Thresholds of the code-quality checks.
    code: CodeSettings = field(default_factory=CodeSettings)
    # The day deprecation dates are judged against (None: today).
    today: dt.date | None = None

    def current_date(self) -> dt.date:
        return self.today or dt.date.today()


DEFAULT_SETTINGS = Settings()
