"""What the DAG files share: names, task defaults, the schedule's start, and the small adapters
between Airflow's plain values (``ds`` strings, XCom) and the pipeline's step functions.

Airflow itself is imported only inside the functions that build Airflow objects, so the embedded
runner can read the names here before it has set up Airflow's environment; the pipeline (pyarrow,
dbt, Great Expectations) only inside the functions tasks call, so DAG files parse fast.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import sys
from pathlib import Path, PurePath

from paperhouse import alerts
from paperhouse.errors import FeedError, GateFailed, SnapshotNotReady, SourceUnavailable
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

# When each day's run happens. The run for day D has logical date D 06:00 UTC and a data interval
# [D 06:00, D+1 06:00): the scheduler starts it at D+1 06:00, six hours after the day closed, so the
# API has the whole day. The run's `ds` is D.
DAILY_CRON = "0 6 * * *"
# The first day the Daily Papers feed has: the DAG's start date when PAPERHOUSE_START_DATE is unset,
# so any day of the feed can be run by hand (`airflow dags test`, a trigger) and has its tasks.
FEED_EPOCH = dt.date(2023, 5, 4)
# How long the fetch waits for a day's snapshot: it polls until D+1 18:00 UTC (12 h after the
# scheduled start), then a scheduled run skips the day with an alert and a manual run fails. The
# bound is counted from the day, not from the first poke, so a catch-up run for an old missing day
# gives up at once and never holds the following days back.
SNAPSHOT_POKE_INTERVAL = dt.timedelta(minutes=10)
SNAPSHOT_GIVE_UP_AFTER_CLOSE = dt.timedelta(hours=18)
SNAPSHOT_WAIT_TIMEOUT = dt.timedelta(hours=20)  # the sensor's own backstop, above the bound
# A day not published by D+1 08:00 UTC (logical date + 26 h) raises a deadline alert.
PUBLISH_DEADLINE_AFTER_LOGICAL_DATE = dt.timedelta(hours=26)
# The run for day D fetches day D - REFETCH_LAG_DAYS again, so papers and upvotes added to that
# day after its own run land (a changed snapshot replaces the day; an unchanged one is a no-op).
REFETCH_LAG_DAYS = 2


def warehouse_asset():
    from airflow.sdk import Asset

    return Asset(name=WAREHOUSE_ASSET_NAME, uri=WAREHOUSE_ASSET_URI)


def task_defaults() -> dict:
    """default_args of every paperhouse DAG: retries with exponential backoff, no retry for bad
    input, and a one-line failure summary in <home>/state/failures.log."""
    from airflow.sdk import ExceptionRetryPolicy, RetryAction, RetryRule

    return {
        "owner": "paperhouse",
        "retries": 2,
        "retry_delay": dt.timedelta(seconds=Settings.from_env().retry_delay_s),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": dt.timedelta(minutes=30),
        # Bad input stays bad: a rejected file or a failed gate fails at once instead of retrying.
        "retry_policy": ExceptionRetryPolicy(rules=[
            RetryRule(exception=[FeedError, GateFailed, SnapshotNotReady], action=RetryAction.FAIL,
                      reason="bad input, failed quality gate or missing day: retrying cannot fix it"),
        ]),
        "on_failure_callback": alerts.record_task_failure,
    }


def schedule_start_date(settings: Settings) -> dt.datetime:
    """The daily DAG's start date: PAPERHOUSE_START_DATE when set (catch-up begins there), else
    the feed's first day (no catch-up; any day can still be run by hand). Midnight UTC."""
    day = FEED_EPOCH
    if settings.start_date:
        try:
            day = dt.date.fromisoformat(settings.start_date)
        except ValueError:
            raise ValueError(f"PAPERHOUSE_START_DATE={settings.start_date!r}: expected a date like 2026-08-09") from None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def schedule_catchup(settings: Settings) -> bool:
    """Catch up only from a start the user chose: from the feed's first day it would schedule
    years of runs (history is the backfill DAG's job)."""
    return bool(settings.start_date)


def daily_timetable():
    """Day D's run starts at D+1 06:00 UTC, after the day has closed (see DAILY_CRON)."""
    from airflow.sdk import CronDataIntervalTimetable

    return CronDataIntervalTimetable(DAILY_CRON, timezone="UTC")


def publish_deadline():
    """Airflow's deadline alert: the day is not published by D+1 08:00 UTC. None under `dag.test`
    (`airflow dags test`, the embedded runner): Airflow 3.3's dag.test fails the finished run on
    a DAG-level deadline (it looks the alert up by a key only a scheduler-saved DAG has), and a
    test run has no scheduler to raise the alert anyway."""
    if _running_dag_test():
        return None
    from airflow.sdk import AsyncCallback, DeadlineAlert, DeadlineReference

    return DeadlineAlert(reference=DeadlineReference.DAGRUN_LOGICAL_DATE,
                         interval=PUBLISH_DEADLINE_AFTER_LOGICAL_DATE,
                         callback=AsyncCallback(alerts.notify_day_late))


def _running_dag_test(argv: list[str] | None = None) -> bool:
    argv = sys.argv if argv is None else argv
    return argv[1:3] == ["dags", "test"] or argv[1:2] == ["dag-test"]


def give_up_at(day: dt.date) -> dt.datetime:
    """When the fetch stops waiting for day's snapshot."""
    closed = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc) + dt.timedelta(days=1)
    return closed + SNAPSHOT_GIVE_UP_AFTER_CLOSE


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


def fetch_if_ready(settings: Settings, day: dt.date, now: dt.datetime | None = None,
                   scheduled: bool = True) -> str | None:
    """The day's snapshot path, or None while the source has nothing for it yet and the wait is
    not over. Past the wait (see give_up_at) a scheduled run's day is skipped with an alert
    (``DaySkipped``); a run a person started fails with the one-line reason (``SnapshotNotReady``)."""
    from paperhouse import pipeline

    try:
        return str(pipeline.fetch(settings, day))
    except SnapshotNotReady as exc:
        now = now or dt.datetime.now(dt.timezone.utc)
        deadline = give_up_at(day)
        if now < deadline:
            log.info("waiting until %s: %s", deadline.isoformat(timespec="minutes"), exc)
            return None
        reason = f"{exc} (waited until {deadline:%Y-%m-%d %H:%M} UTC)"
        if not scheduled:
            raise SnapshotNotReady(reason) from None
        raise DaySkipped(day, reason) from None


def fetch_day(settings: Settings, ds: str, dag_run=None) -> dict:
    """One poke of the daily fetch, as PokeReturnValue's arguments: not done while waiting; done
    with the day's path (and the refetched earlier day's) once it is there. A scheduled day past
    its wait is skipped (Airflow's skip) after an alert; a manual run fails instead."""
    from airflow.sdk.exceptions import AirflowSkipException

    day = snapshot_date(ds)
    scheduled = str(getattr(dag_run, "run_type", "manual")).lower().endswith("scheduled")
    try:
        path = fetch_if_ready(settings, day, scheduled=scheduled)
    except DaySkipped as skipped:
        alerts.alert_day_skipped(settings, "paperhouse_daily", "fetch", day, skipped.reason)
        raise AirflowSkipException(str(skipped)) from None
    if path is None:
        return {"is_done": False}
    return {"is_done": True, "xcom_value": {"path": path, "refetched": refetch(settings, day)}}


class DaySkipped(Exception):
    """A scheduled day the source never filled; the task turns it into a skip plus an alert."""

    def __init__(self, day: dt.date, reason: str):
        self.day = day
        self.reason = reason
        super().__init__(f"{day}: skipped: {reason}")


def refetch(settings: Settings, day: dt.date) -> str | None:
    """Fetch the day REFETCH_LAG_DAYS before `day` again, best effort: its late papers land when
    the source has changed it; a missing or failing source is logged, never fails the run."""
    from paperhouse import pipeline

    earlier = day - dt.timedelta(days=REFETCH_LAG_DAYS)
    try:
        return str(pipeline.fetch(settings, earlier))
    except (SnapshotNotReady, SourceUnavailable, FeedError) as exc:
        log.warning("refetch of %s skipped: %s", earlier, exc)
        return None


def ingest_day(settings: Settings, path: str, day: dt.date, refetched: str | None = None) -> dict:
    """Ingest the day's file (and the refetched earlier day's, under its own date); a rejected
    file (already quarantined by ingest) fails the task."""
    from paperhouse import pipeline

    report = pipeline.ingest(settings, [Path(path)], day)
    if refetched:
        report.outcomes.extend(pipeline.ingest(settings, [Path(refetched)]).outcomes)
    rejected = report.by_status("rejected")
    if rejected:
        raise FeedError(path, "rejected: " + "; ".join(o.reason or "no reason recorded" for o in rejected))
    return to_xcom(report)


def backfill_range(settings: Settings, start: str, end: str) -> dict:
    """Backfill start..end; days that were rejected fail the task (after the good ones are published)."""
    from paperhouse import pipeline

    report = pipeline.backfill(settings, snapshot_date(start), snapshot_date(end))
    if not report.ok:
        raise GateFailed(f"backfill {start}..{end}: {report.summary()}")
    return to_xcom(report)
