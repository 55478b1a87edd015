"""paperhouse_daily: one run per snapshot date (the run's ds), catching up from PAPERHOUSE_START_DATE.

fetch (waits for the day's snapshot) -> ingest -> gate_raw -> build -> gate_marts -> publish.
Every step is a function of paperhouse.pipeline; this file only wires them.
"""
from __future__ import annotations

from airflow.sdk import PokeReturnValue, dag, task

from paperhouse import pipeline
from paperhouse.orchestration import (
    SNAPSHOT_POKE_INTERVAL, SNAPSHOT_WAIT_TIMEOUT, TAGS, WAREHOUSE_POOL,
    fetch_if_ready, ingest_day, schedule_start_date, snapshot_date, task_defaults, to_xcom, warehouse_asset,
)
from paperhouse.settings import Settings


@dag(
    dag_id="paperhouse_daily",
    schedule="@daily",
    start_date=schedule_start_date(Settings.from_env()),
    catchup=True,
    max_active_runs=1,
    default_args=task_defaults(),
    tags=[*TAGS, "daily"],
    doc_md=__doc__,
)
def paperhouse_daily():
    @task.sensor(mode="reschedule", poke_interval=SNAPSHOT_POKE_INTERVAL, timeout=SNAPSHOT_WAIT_TIMEOUT)
    def fetch(ds: str | None = None) -> PokeReturnValue:
        path = fetch_if_ready(Settings.from_env(), snapshot_date(ds))
        return PokeReturnValue(is_done=path is not None, xcom_value=path)

    @task(pool=WAREHOUSE_POOL)
    def ingest(path: str, ds: str | None = None) -> dict:
        return ingest_day(Settings.from_env(), path, snapshot_date(ds))

    @task(pool=WAREHOUSE_POOL)
    def gate_raw(ds: str | None = None) -> dict:
        from paperhouse.quality.gates import gate_summary

        # A day with volume warnings passes: its XCom says "passed with warnings" and lists them.
        return gate_summary(pipeline.gate_raw(Settings.from_env(), [snapshot_date(ds)]))

    @task(pool=WAREHOUSE_POOL)
    def build() -> dict:
        return to_xcom(pipeline.build(Settings.from_env()))

    @task(pool=WAREHOUSE_POOL)
    def gate_marts(ds: str | None = None) -> dict:
        return to_xcom(pipeline.gate_marts(Settings.from_env(), [snapshot_date(ds)]))

    @task(pool=WAREHOUSE_POOL, outlets=[warehouse_asset()])
    def publish() -> str:
        return str(pipeline.publish(Settings.from_env()))

    ingested = ingest(fetch())
    ingested >> gate_raw() >> build() >> gate_marts() >> publish()


paperhouse_daily()
