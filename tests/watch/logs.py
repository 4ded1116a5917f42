"""Generated logs for the watch tests: one of each thing the detections look for."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

T0 = datetime(2026, 1, 10, 10, 0, 0, tzinfo=UTC)
ROLE = "orders-prod-OrdersFunctionRole-ABC123"


def clf_time(t: datetime) -> str:
    return t.strftime("%d/%b/%Y:%H:%M:%S +0000")


def access(
    t: datetime, ip: str, method: str, route: str, path: str, status: int, user: str = "-"
) -> dict[str, object]:
    return {
        "requestId": f"req-{t.timestamp():.0f}-{ip}-{path}",
        "ip": ip,
        "requestTime": clf_time(t),
        "httpMethod": method,
        "routeKey": f"{method} {route}" if route != "-" else "-",
        "path": path,
        "status": str(status),
        "integrationLatency": "20",
        "userArn": user,
    }


def access_records(T0: datetime = T0) -> list[dict[str, object]]:
    user = "arn:aws:iam::123456789012:user/alice"
    rows = []
    for i in range(400):  # the flood: 400 requests in one minute from one address
        rows.append(access(T0 + timedelta(seconds=i * 0.1), "203.0.113.7", "GET", "/health", "/health", 200))
    for m in range(10):  # normal authenticated traffic, one request a minute
        rows.append(
            access(
                T0 + timedelta(minutes=m), "198.51.100.1", "GET", "/orders/{id}", f"/orders/{m}", 200, user
            )
        )
    for i in range(25):  # a burst of 5xx in minute 10:05
        rows.append(
            access(
                T0 + timedelta(minutes=5, seconds=i),
                "198.51.100.2",
                "GET",
                "/orders/{id}",
                "/orders/9",
                502,
                user,
            )
        )
    rows.append(
        access(
            T0 + timedelta(minutes=2), "192.0.2.66", "GET", "/health", "/health?x=..%2F..%2Fetc%2Fpasswd", 200
        )
    )
    rows.append(
        access(
            T0 + timedelta(minutes=2, seconds=1),
            "192.0.2.66",
            "GET",
            "/health",
            "/health?url=http://169.254.169.254/latest/meta-data/",
            400,
        )
    )
    rows.append(
        access(
            T0 + timedelta(minutes=2, seconds=2),
            "192.0.2.66",
            "GET",
            "/orders/{id}",
            "/orders/1?q=1'+OR+'1'='1",
            403,
        )
    )
    rows.append(
        access(
            T0 + timedelta(minutes=2, seconds=3),
            "192.0.2.66",
            "GET",
            "/health",
            "/health?h=x;cat+/tmp/a",
            200,
        )
    )
    for i in range(3):  # a shadow route, served
        rows.append(
            access(T0 + timedelta(minutes=3, seconds=i), "192.0.2.10", "GET", "/debug", "/debug", 200)
        )
    rows.append(access(T0 + timedelta(minutes=3), "192.0.2.10", "GET", "-", "/nothing", 404))  # not served
    for i in range(2):  # success without a principal on an IAM-protected route
        rows.append(
            access(
                T0 + timedelta(minutes=4, seconds=i), "192.0.2.20", "GET", "/orders/{id}", "/orders/7", 200
            )
        )
    return rows


def shield_lines(T0: datetime = T0) -> list[str]:
    def ev(t: datetime, kind: str, family: str, detail: dict[str, object], rid: str) -> str:
        stamp = t.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        body = {
            "faasguard_shield": 1,
            "time": stamp,
            "function_name": "orders",
            "function_version": "7",
            "request_id": rid,
            "kind": kind,
            "family": family,
            "mode": kind,
            "detail": detail,
        }
        return f"{stamp} {json.dumps(body)}"

    return [
        f"{T0:%Y-%m-%dT%H:%M:%S.000Z} START RequestId: r1 Version: 7",
        ev(
            T0 + timedelta(seconds=1),
            "block",
            "network",
            {"op": "connect", "host": "exfil.example", "ip": "203.0.113.9", "port": 443},
            "r1",
        ),
        ev(
            T0 + timedelta(seconds=2),
            "block",
            "network",
            {"op": "connect", "host": "exfil.example", "ip": "203.0.113.9", "port": 443},
            "r2",
        ),
        ev(
            T0 + timedelta(seconds=3),
            "alert",
            "process",
            {"op": "popen", "command": "sh", "shell": True, "program": "curl"},
            "r3",
        ),
        ev(T0 + timedelta(seconds=4), "summary", "", {"outcome": "blocked"}, "r3"),
        f"{T0:%Y-%m-%dT%H:%M:%S.000Z} REPORT RequestId: r1 Duration: 2.0 ms",
    ]


def trail_record(t: datetime, source: str, name: str, error: str | None = None) -> dict[str, object]:
    rec: dict[str, object] = {
        "eventTime": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": f"{source}.amazonaws.com",
        "eventName": name,
        "sourceIPAddress": "198.18.0.5",
        "requestID": f"ct-{name}",
        "userIdentity": {
            "type": "AssumedRole",
            "arn": f"arn:aws:sts::123456789012:assumed-role/{ROLE}/orders",
            "sessionContext": {"sessionIssuer": {"type": "Role", "userName": ROLE}},
        },
    }
    if error:
        rec["errorCode"] = error
    return rec


def trail_records() -> list[dict[str, object]]:
    return [
        trail_record(T0 + timedelta(minutes=1), "dynamodb", "GetItem"),
        trail_record(T0 + timedelta(minutes=1), "logs", "PutLogEvents"),
        trail_record(T0 + timedelta(minutes=6), "s3", "ListBuckets"),
        trail_record(T0 + timedelta(minutes=7), "iam", "ListUsers", "AccessDenied"),
        trail_record(T0 + timedelta(minutes=7, seconds=5), "iam", "ListUsers"),
    ]


def write_all(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "access.jsonl").write_text("".join(json.dumps(r) + "\n" for r in access_records()))
    (folder / "lambda.log").write_text("\n".join(shield_lines()) + "\n")
    with gzip.open(folder / "trail.json.gz", "wt") as fh:
        json.dump({"Records": trail_records()}, fh)
    return folder
