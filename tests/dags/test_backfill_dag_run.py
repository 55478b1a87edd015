"""The backfill DAG for real: one run over a range of days, in Airflow, must leave the same warehouse
as the daily DAG run once per day over the same feed, row for row."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from paperhouse import embedded
from paperhouse.settings import Settings
from paperhouse.synth import write_feed

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

DAYS = [dt.date(2026, 2, 1), dt.date(2026, 2, 2), dt.date(2026, 2, 3)]
# Differs between any two runs by design: when the row was written.
RUN_TIME_COLUMNS = {"ingested_at"}

BACKFILL_CHILD = """
import json, os, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
if bag.import_errors:
    sys.exit(f"DAG import errors: {bag.import_errors}")
run = bag.dags["paperhouse_backfill"].test(run_conf={"start": sys.argv[1], "end": sys.argv[2]})
states = {ti.task_id: str(getattr(ti.state, "value", ti.state)) for ti in run.get_task_instances()}
print(json.dumps({"state": str(getattr(run.state, "value", run.state)), "tasks": states}))
"""


def _marts(path: Path) -> dict[str, list[str]]:
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [row[0] for row in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main' order by table_name").fetchall()
            if row[0].split("_")[0] in ("dim", "fct", "bridge", "agg")]
        return {t: [row[0] for row in con.execute(f"describe {t}").fetchall()] for t in tables}


def test_backfill_dag_builds_what_the_daily_dag_builds(airflow_home, tmp_path):
    feed = tmp_path / "feed"
    write_feed(feed, days=len(DAYS), papers_per_day=12, seed=9, start=DAYS[0], formats="mixed")

    daily = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path / "daily"), "PAPERHOUSE_FEED_DIR": str(feed)})
    runs = embedded.run_dags(embedded.airflow_env(daily, airflow_home, start_date=DAYS[0]), DAYS,
                             tmp_path / "daily.log", export=False)
    assert [r.state for r in runs] == ["success"] * len(DAYS), (tmp_path / "daily.log").read_text()[-3000:]

    backfill = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path / "backfill"), "PAPERHOUSE_FEED_DIR": str(feed)})
    env = embedded.airflow_env(backfill, airflow_home, start_date=DAYS[0])
    done = subprocess.run([sys.executable, "-c", BACKFILL_CHILD, DAYS[0].isoformat(), DAYS[-1].isoformat()],
                          env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome == {"state": "success", "tasks": {"backfill": "success"}}, done.stderr[-3000:]

    tables = _marts(daily.warehouse_path)
    assert tables == _marts(backfill.warehouse_path)
    assert {"dim_papers", "fct_claims", "fct_paper_appearances", "dim_repos"} <= tables.keys()
    with duckdb.connect(str(daily.warehouse_path), read_only=True) as con:
        con.execute(f"attach '{backfill.warehouse_path}' as other (read_only)")
        for table, columns in tables.items():
            kept = ", ".join(f'"{c}"' for c in columns if c not in RUN_TIME_COLUMNS)
            rows = con.execute(f"select count(*) from {table}").fetchone()[0]
            for left, right in (("main", "other"), ("other", "main")):
                extra = con.execute(f"select count(*) from (select {kept} from {left}.{table} "
                                    f"except all select {kept} from {right}.{table})").fetchone()[0]
                assert extra == 0, f"{table}: {extra} rows in {left} only (of {rows})"
        assert con.execute("select count(distinct snapshot_date) from fct_paper_appearances").fetchone()[0] == len(DAYS)
    # The backfill exports itself; the daily runs above were asked not to.
    assert (backfill.exports_dir / "latest" / "manifest.json").is_file()
