"""paperhouse_export: BI exports of the published warehouse, each time a new one is published."""
from __future__ import annotations

from airflow.sdk import dag, task

from paperhouse.orchestration import TAGS, WAREHOUSE_POOL, task_defaults, warehouse_asset
from paperhouse.settings import Settings


@dag(
    dag_id="paperhouse_export",
    schedule=[warehouse_asset()],
    max_active_runs=1,
    default_args=task_defaults(),
    tags=[*TAGS, "export"],
    doc_md=__doc__,
)
def paperhouse_export():
    @task(pool=WAREHOUSE_POOL)
    def export(run_id: str | None = None) -> str:
        from paperhouse import pipeline  # inside the task: parsing this file stays fast

        return str(pipeline.export(Settings.from_env(), run_id=run_id))

    export()


paperhouse_export()
