"""paperhouse_backfill: ingest a range of snapshot dates, gate each, then build, gate and publish
once (a year of history costs one dbt build, not 365). Triggered by hand with start and end."""
from __future__ import annotations

from airflow.sdk import Param, dag, task

from paperhouse.orchestration import TAGS, WAREHOUSE_POOL, backfill_range, task_defaults
from paperhouse.settings import Settings


@dag(
    dag_id="paperhouse_backfill",
    schedule=None,
    max_active_runs=1,
    default_args=task_defaults(),
    tags=[*TAGS, "backfill"],
    params={
        "start": Param(type="string", format="date", description="first snapshot date (YYYY-MM-DD)"),
        "end": Param(type="string", format="date", description="last snapshot date, inclusive"),
    },
    doc_md=__doc__,
)
def paperhouse_backfill():
    # No outlets: pipeline.backfill exports itself, so the export DAG need not run again.
    @task(pool=WAREHOUSE_POOL)
    def backfill(params: dict | None = None) -> dict:
        return backfill_range(Settings.from_env(), params["start"], params["end"])

    backfill()


paperhouse_backfill()
