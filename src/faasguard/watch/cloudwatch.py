"""CloudWatch Logs through boto3: `filter_log_events` over the window, paginated, per log group."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from faasguard.watch.store import Store


def ingest_groups(
    store: Store, session: Any, groups: list[str], start: datetime, end: datetime, region: str | None
) -> None:
    if session is None:
        import boto3  # type: ignore[import-untyped]

        session = boto3.Session()
    from botocore.config import Config  # type: ignore[import-untyped]

    client = session.client("logs", region_name=region, config=Config(retries={"mode": "standard"}))
    for group in groups:
        store.ingested.files += 1
        try:
            store.ingest_lines(_events(client, group, start, end), f"cloudwatch:{group}")
        except client.exceptions.ResourceNotFoundException:
            store.ingested.errors.append((f"cloudwatch:{group}", "no such log group"))


def _events(client: Any, group: str, start: datetime, end: datetime) -> Iterator[tuple[int, str]]:
    paginator = client.get_paginator("filter_log_events")
    n = 0
    for page in paginator.paginate(
        logGroupName=group, startTime=int(start.timestamp() * 1000), endTime=int(end.timestamp() * 1000)
    ):
        for ev in page.get("events", ()):
            n += 1
            message = str(ev.get("message", ""))
            stamp = ev.get("timestamp")
            if stamp is not None and not message.lstrip().startswith("{"):
                yield n, message  # a text line: its own time or none
            elif stamp is not None:
                import json

                yield n, json.dumps({"timestamp": stamp, "message": message})
            else:
                yield n, message
