"""Every DAG file parses, and every DAG follows the house rules: tags, one active run, retries with
backoff on every task, the writer pool on every task that writes, the failure summary callback."""
from __future__ import annotations

import datetime as dt

import pytest

from paperhouse import alerts
from paperhouse.errors import FeedError, GateFailed, SourceUnavailable
from paperhouse.orchestration import WAREHOUSE_ASSET_NAME, WAREHOUSE_POOL
from paperhouse.settings import Settings

DAG_IDS = {"paperhouse_daily", "paperhouse_backfill", "paperhouse_export"}
# The only task that writes nothing under the data root but the day's download.
NON_WRITERS = {("paperhouse_daily", "fetch")}


def test_every_dag_file_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == DAG_IDS


@pytest.mark.parametrize("dag_id", sorted(DAG_IDS))
def test_dag_follows_the_house_rules(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert "paperhouse" in dag.tags and len(dag.tags) >= 2
    assert dag.max_active_runs == 1
    assert dag.tasks
    for task in dag.tasks:
        assert task.retries >= 1 and task.retry_exponential_backoff > 0, task.task_id
        assert alerts.record_task_failure in _callbacks(task.on_failure_callback), task.task_id
        if (dag_id, task.task_id) not in NON_WRITERS:
            assert task.pool == WAREHOUSE_POOL, task.task_id


def test_bad_input_fails_at_once_while_other_errors_retry(dagbag):
    policy = dagbag.dags["paperhouse_daily"].task_dict["gate_raw"].retry_policy
    assert policy.evaluate(GateFailed("raw gate: too few entries"), 1, 3).action.value == "fail"
    assert policy.evaluate(FeedError("x.txt", "misaligned"), 1, 3).action.value == "fail"
    assert policy.evaluate(SourceUnavailable("http://api: HTTP 503 (gave up after 4 attempts)"), 1, 3).action.value == "default"
    assert policy.evaluate(OSError("disk hiccup"), 1, 3).action.value == "default"


def test_daily_dag_chain_schedule_and_asset(dagbag):
    dag = dagbag.dags["paperhouse_daily"]
    # Day D's run starts at D+1 06:00 UTC, once D has closed; its data interval is [D 06:00, D+1 06:00).
    from airflow.serialization.encoders import coerce_to_core_timetable  # what the scheduler runs

    info = coerce_to_core_timetable(dag.timetable).next_dagrun_info(
        last_automated_data_interval=None, restriction=_restriction(dag))
    assert info.data_interval.end - info.data_interval.start == dt.timedelta(days=1)
    assert (info.data_interval.end.hour, info.data_interval.end.minute) == (6, 0)
    assert dag.catchup is False  # no PAPERHOUSE_START_DATE: no catch-up from the feed's first day
    (deadline,) = dag.deadline  # set when parsed by the scheduler or dag processor
    assert deadline.interval == dt.timedelta(hours=26)  # D 06:00 + 26 h = D+1 08:00 UTC
    order = ["fetch", "ingest", "gate_raw", "build", "gate_marts", "publish"]
    for upstream, downstream in zip(order, order[1:]):
        assert dag.task_dict[upstream].downstream_task_ids == {downstream}
    fetch = dag.task_dict["fetch"]
    assert fetch.mode == "reschedule"  # waits for the snapshot without holding a worker slot
    assert [a.name for a in dag.task_dict["publish"].outlets] == [WAREHOUSE_ASSET_NAME]
    assert all(not dag.task_dict[t].outlets for t in order[:-1])


def _restriction(dag):
    from airflow.timetables.base import TimeRestriction

    return TimeRestriction(earliest=dag.start_date, latest=None, catchup=True)


def test_export_dag_is_scheduled_on_the_published_warehouse(dagbag):
    dag = dagbag.dags["paperhouse_export"]
    assert [asset.name for asset in dag.timetable.asset_condition.objects] == [WAREHOUSE_ASSET_NAME]


def test_backfill_dag_is_manual_with_a_date_range(dagbag):
    dag = dagbag.dags["paperhouse_backfill"]
    assert dag.schedule is None
    assert set(dag.params.keys()) == {"start", "end"}


def test_start_date_comes_from_the_environment(airflow_config_home, monkeypatch):
    from airflow.dag_processing.dagbag import DagBag

    from paperhouse.embedded import DAGS_DIR

    monkeypatch.setenv("PAPERHOUSE_START_DATE", "2026-08-09")
    bag = DagBag(dag_folder=str(DAGS_DIR / "paperhouse_daily.py"))
    assert bag.dags["paperhouse_daily"].start_date == dt.datetime(2026, 8, 9, tzinfo=dt.timezone.utc)
    assert bag.dags["paperhouse_daily"].catchup is True


def test_fetch_pokes_until_the_days_file_is_there(dagbag, tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERHOUSE_HOME", str(tmp_path))
    monkeypatch.delenv("PAPERHOUSE_FEED_DIR", raising=False)
    monkeypatch.delenv("PAPERHOUSE_SOURCE", raising=False)
    poke = dagbag.dags["paperhouse_daily"].task_dict["fetch"].python_callable
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()  # still within its wait
    waiting = poke(ds=today)
    assert waiting.is_done is False and waiting.xcom_value is None
    feed_file = Settings.from_env().feed_dir / f"{today}.txt"
    feed_file.parent.mkdir(parents=True)
    feed_file.write_text("any content: fetch only finds the file\n")
    ready = poke(ds=today)
    assert ready.is_done is True and ready.xcom_value == {"path": str(feed_file), "refetched": None}


def _callbacks(callback) -> list:
    if callback is None:
        return []
    return list(callback) if isinstance(callback, (list, tuple)) else [callback]
