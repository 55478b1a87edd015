"""What the DAG files share: names, task defaults, the schedule's start, and the small adapters
between Airflow's plain values (``ds`` strings, XCom) and the pipeline's step functions.

Airflow itself is imported only inside the functions that build Airflow objects, so the embedded
runner can read the names here before it has set up Airflow's environment.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path, PurePath

from paperhouse import alerts, pipeline
from paperhouse.errors import FeedError, GateFailed, SnapshotNotReady
from paperhouse.settings import Settings

log = logging.getLogger(__name__)

# One slot: every task that writes the lake, the warehouse or the exports runs alone, because
# DuckDB allows one writer per file and the lake's day partitions are replaced whole.
WAREHOUSE_POOL = "paperhouse_warehouse"
WAREHOUSE_POOL_DESCRIPTION = "paperhouse: one writer of the lake, the warehouse and the exports at a time"
# The Asset emitted when a new warehouse is published; the export DAG is scheduled on it.
WAREHOUSE_ASSET_NAME = "paperhouse_warehouse"
WAREHOUSE_ASSET_URI = "paperhouse://warehouse"
TAGS = ["paperhouse"]

# How long the daily fetch waits for a day's snapshot to appear before giving up on it.
SNAPSHOT_POKE_INTERVAL = dt.timedelta(minutes=10)
SNAPSHOT_WAIT_TIMEOUT = dt.timedelta(hours=12)


def warehouse_asset():
    from airflow.sdk import Asset

    return Asset(name=WAREHOUSE_ASSET_NAME, uri=WAREHOUSE_ASSET_URI)


def task_defaults() -> dict:
    """default_args of every paperhouse DAG: retries with exponential backoff, no retry for bad
    input, and a one-line failure summary in <home>/state/failures.log."""
    from airflow.sdk.definitions.retry_policy import ExceptionRetryPolicy, RetryAction, RetryRule

    return {
        "owner": "paperhouse",
        "retries": 2,
        "retry_delay": dt.timedelta(minutes=1),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": dt.timedelta(minutes=30),
        # Bad input stays bad: a rejected file or a failed gate fails at once instead of retrying.
        "retry_policy": ExceptionRetryPolicy(rules=[
            RetryRule(exception=[FeedError, GateFailed], action=RetryAction.FAIL,
                      reason="bad input or failed quality gate: retrying cannot fix it"),
        ]),
        "on_failure_callback": alerts.record_task_failure,
    }


def schedule_start_date(settings: Settings) -> dt.datetime:
    """Midnight UTC of ``settings.start_date`` (PAPERHOUSE_START_DATE): where catch-up begins."""
    try:
        day = dt.date.fromisoformat(settings.start_date)
    except ValueError:
        raise ValueError(f"PAPERHOUSE_START_DATE={settings.start_date!r}: expected a date like 2026-08-09") from None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def to_xcom(value):
    """A step's result as plain JSON values (its own ``as_dict()`` when it has one; other
    dataclasses become dicts, paths and dates strings)."""
    if callable(getattr(value, "as_dict", None)):
        return to_xcom(value.as_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_xcom(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_xcom(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_xcom(v) for v in value]
    if isinstance(value, (PurePath, dt.date, dt.datetime)):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def snapshot_date(ds: str) -> dt.date:
    return dt.date.fromisoformat(ds)


def fetch_if_ready(settings: Settings, day: dt.date) -> str | None:
    """The day's snapshot path, or None while the source has nothing for that day yet."""
    try:
        return str(pipeline.fetch(settings, day))
    except SnapshotNotReady as exc:
        log.info("waiting: %s", exc)
        return None


def ingest_day(settings: Settings, path: str, day: dt.date) -> dict:
    """Ingest the day's file; a rejected file (already quarantined by ingest) fails the task."""
    report = pipeline.ingest(settings, [Path(path)], day)
    rejected = report.by_status("rejected")
    if rejected:
        raise FeedError(path, "rejected: " + "; ".join(o.reason or "no reason recorded" for o in rejected))
    return to_xcom(report)


def backfill_range(settings: Settings, start: str, end: str) -> dict:
    """Backfill start..end; days that were rejected fail the task (after the good ones are published)."""
    report = pipeline.backfill(settings, snapshot_date(start), snapshot_date(end))
    if not report.ok:
        raise GateFailed(f"backfill {start}..{end}: {report.summary()}")
    return to_xcom(report)
