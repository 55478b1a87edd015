"""paperhouse_daily: one run per snapshot day D, started at D+1 06:00 UTC once the day has closed.

fetch (waits for day D's snapshot, fetches day D-2 again for late papers) -> ingest -> gate_raw
-> build -> gate_marts -> publish. A scheduled day the source never fills is skipped with an
alert once its wait is over (D+1 18:00 UTC); a day not published by D+1 08:00 UTC raises a
deadline alert. The scheduler catches up from PAPERHOUSE_START_DATE when it is set; any other
day can be run by hand. Every step is a function of paperhouse.pipeline; this file only wires them.
"""
from __future__ import annotations

from airflow.sdk import PokeReturnValue, dag, task

from paperhouse.orchestration import (
    SNAPSHOT_POKE_INTERVAL, SNAPSHOT_WAIT_TIMEOUT, TAGS, WAREHOUSE_POOL,
    daily_timetable, publish_deadline, schedule_catchup, schedule_start_date, task_defaults,
    warehouse_asset,
)
from paperhouse.settings import Settings

_settings = Settings.from_env()


@dag(
    dag_id="paperhouse_daily",
    schedule=daily_timetable(),
    start_date=schedule_start_date(_settings),
    catchup=schedule_catchup(_settings),
    max_active_runs=1,
    default_args=task_defaults(),
    deadline=publish_deadline(),
    tags=[*TAGS, "daily"],
    doc_md=__doc__,
)
def paperhouse_daily():
    # The pipeline (pyarrow, dbt, Great Expectations behind it) is imported inside the tasks, so
    # parsing this file stays fast.
    @task.sensor(mode="reschedule", poke_interval=SNAPSHOT_POKE_INTERVAL, timeout=SNAPSHOT_WAIT_TIMEOUT)
    def fetch(ds: str | None = None, dag_run=None) -> PokeReturnValue:
        from paperhouse.orchestration import fetch_day

        return PokeReturnValue(**fetch_day(Settings.from_env(), ds, dag_run))

    @task(pool=WAREHOUSE_POOL)
    def ingest(fetched: dict, ds: str | None = None) -> dict:
        from paperhouse.orchestration import ingest_day, snapshot_date

        return ingest_day(Settings.from_env(), fetched["path"], snapshot_date(ds), fetched.get("refetched"))

    @task(pool=WAREHOUSE_POOL)
    def gate_raw(ds: str | None = None) -> dict:
        from paperhouse import pipeline
        from paperhouse.orchestration import snapshot_date
        from paperhouse.quality.gates import gate_summary

        # A day with volume warnings passes: its XCom says "passed with warnings" and lists them.
        return gate_summary(pipeline.gate_raw(Settings.from_env(), [snapshot_date(ds)]))

    @task(pool=WAREHOUSE_POOL)
    def build() -> dict:
        from paperhouse import pipeline
        from paperhouse.orchestration import to_xcom

        return to_xcom(pipeline.build(Settings.from_env()))

    @task(pool=WAREHOUSE_POOL)
    def gate_marts(ds: str | None = None) -> dict:
        from paperhouse import pipeline
        from paperhouse.orchestration import snapshot_date, to_xcom

        return to_xcom(pipeline.gate_marts(Settings.from_env(), [snapshot_date(ds)]))

    @task(pool=WAREHOUSE_POOL, outlets=[warehouse_asset()])
    def publish() -> str:
        from paperhouse import pipeline

        return str(pipeline.publish(Settings.from_env()))

    ingested = ingest(fetch())
    ingested >> gate_raw() >> build() >> gate_marts() >> publish()


paperhouse_daily()
