"""embedded.py: the Airflow environment, the sample feed, reading the child's results, and `run`'s
flow and summary (the real Airflow runs are in tests/dags/test_daily_dag_run.py)."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click
import duckdb
import pytest

from paperhouse import embedded
from paperhouse.embedded import DagRunResult
from paperhouse.settings import Settings


def test_airflow_env_points_airflow_at_the_project(settings, tmp_path):
    env = embedded.airflow_env(settings, tmp_path / "afh", start_date=dt.date(2026, 1, 1), base={"PATH": "/bin"})
    assert env["PATH"] == f"{Path(sys.executable).parent}:/bin"  # `airflow standalone` finds our airflow
    assert env["AIRFLOW_HOME"] == str(tmp_path / "afh")
    assert env["AIRFLOW__CORE__DAGS_FOLDER"] == str(embedded.REPO_ROOT / "dags")
    assert (embedded.REPO_ROOT / "dags" / "paperhouse_daily.py").is_file()
    assert env["AIRFLOW__CORE__PLUGINS_FOLDER"] == str(embedded.REPO_ROOT / "plugins")  # the standard layout
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == f"sqlite:///{tmp_path / 'afh' / 'airflow.db'}"
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "False"
    assert int(env["AIRFLOW__CORE__PARALLELISM"]) <= 4
    # The child sees the same settings, with the schedule starting at the first day to run.
    child = Settings.from_env(env)
    assert child.home == settings.home and child.feed_dir == settings.feed_dir
    assert child.start_date == "2026-01-01"


def test_sample_feed_is_written_only_into_an_empty_feed_dir(settings):
    written = embedded.ensure_sample_feed(settings)
    assert len(written) == embedded.SAMPLE_DAYS
    assert embedded.feed_dates(settings) == [dt.date(2026, 1, 1), dt.date(2026, 1, 2), dt.date(2026, 1, 3)]
    before = {p.name: p.read_bytes() for p in settings.feed_dir.iterdir()}
    assert embedded.ensure_sample_feed(settings) == []
    assert {p.name: p.read_bytes() for p in settings.feed_dir.iterdir()} == before


def test_a_users_feed_is_left_alone(settings):
    settings.feed_dir.mkdir(parents=True)
    (settings.feed_dir / "2026-08-10.json").write_text("[]")
    (settings.feed_dir / "notes.md").write_text("not a snapshot")
    assert embedded.ensure_sample_feed(settings) == []
    assert embedded.feed_dates(settings) == [dt.date(2026, 8, 10)]


def test_results_are_echoed_once_per_finished_day(tmp_path):
    results = tmp_path / "run.results.jsonl"
    echoed: list[str] = []
    first = {"dag_id": "paperhouse_daily", "snapshot_date": "2026-01-01", "state": "success",
             "task_states": {"fetch": "success"}}
    second = {"dag_id": "paperhouse_daily", "snapshot_date": "2026-01-02", "state": "failed",
              "task_states": {"fetch": "success", "gate_raw": "failed", "build": "upstream_failed"}}
    export = {"dag_id": "paperhouse_export", "snapshot_date": None, "state": "success", "task_states": {"export": "success"}}
    results.write_text(json.dumps(first) + "\n" + json.dumps(second)[:20])  # the second is half written
    runs = embedded._read_results(results, [], echoed.append)
    assert [r.snapshot_date for r in runs] == ["2026-01-01"]
    results.write_text("\n".join(json.dumps(r) for r in (first, second, export)) + "\n")
    runs = embedded._read_results(results, runs, echoed.append)
    assert [r.ok for r in runs] == [True, False, True]
    assert runs[1].failed_tasks == ["gate_raw", "build"]
    assert echoed == ["  paperhouse_daily 2026-01-01: success",
                      "  paperhouse_daily 2026-01-02: failed (failed: gate_raw, build)",
                      "  paperhouse_export: success"]


def _fake_warehouse(settings: Settings) -> None:
    settings.warehouse_dir.mkdir(parents=True)
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute("""create table agg_daily_feed as select * from (values
            (date '2026-01-01', 40, 40, 12, 31), (date '2026-01-02', 40, 9, 15, 28))
            t(snapshot_date, papers, new_papers, papers_with_code, claims)""")
        con.execute("""create table dim_papers as select range as paper_id, 'Paper ' || range as title,
            range % 2 = 0 as has_code from range(49)""")
        con.execute("create table dim_repos as select range as repo_id from range(27)")
        con.execute("""create table fct_claims as select range as claim_id, range % 49 as paper_id,
            case when range % 3 = 0 then 'gain' else 'score' end as kind, 'percent' as unit,
            cast(range as double) as value, range || '%' as text, 'accuracy' as metric from range(59)""")


def test_run_drives_the_daily_dag_over_the_sample_days_and_summarises(settings, tmp_path, monkeypatch):
    calls = {}

    def fake_prepare(env):
        calls["prepared"] = env["AIRFLOW_HOME"]
        return Path(env["AIRFLOW_HOME"])

    def fake_run_dags(env, dates, log_path, echo):
        calls.update(dates=dates, start=env["PAPERHOUSE_START_DATE"], log=log_path)
        _fake_warehouse(settings)
        daily = [DagRunResult("paperhouse_daily", d.isoformat(), "success", {"publish": "success"}) for d in dates[:-1]]
        return daily + [DagRunResult("paperhouse_daily", dates[-1].isoformat(), "failed", {"gate_raw": "failed"}),
                        DagRunResult("paperhouse_export", None, "success", {"export": "success"})]

    monkeypatch.setattr(embedded, "prepare_airflow_home", fake_prepare)
    monkeypatch.setattr(embedded, "run_dags", fake_run_dags)
    lines: list[str] = []
    runs = embedded.run(settings, tmp_path / "afh", echo=lines.append)

    assert calls["prepared"] == str(tmp_path / "afh")
    assert calls["dates"] == [dt.date(2026, 1, 1), dt.date(2026, 1, 2), dt.date(2026, 1, 3)]
    assert calls["start"] == "2026-01-01"
    assert [r.ok for r in runs] == [True, True, False, True]
    text = "\n".join(lines)
    assert f"warehouse: {settings.warehouse_path}" in text
    assert "2026-01-02: 40 papers (9 new), 15 with code, 28 claims" in text
    assert "49 papers, 27 repositories, 59 claims; by day:" in text
    # the largest percentage gains, one per paper: claims 57 (paper 8), 54 (paper 5), 51 (paper 2)
    assert "largest percentage gains claimed:\n    57% (accuracy) - Paper 8 [code]\n    54% (accuracy) - Paper 5\n" in text
    assert f"1 of 4 DAG runs failed; one line per failed task in {settings.state_dir / 'failures.log'}" in text


def test_run_without_any_snapshot_says_where_it_looked(settings, tmp_path, monkeypatch):
    monkeypatch.setattr(embedded, "ensure_sample_feed", lambda _settings: [])
    with pytest.raises(click.ClickException, match=f"{settings.feed_dir}: no snapshot files"):
        embedded.run(settings, tmp_path / "afh", echo=lambda _line: None)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_make_run_for_one_day_runs_airflow_for_real(tmp_path):
    """What `make run` does, unfaked: a fresh Airflow home is migrated, the daily DAG and then the
    export DAG run in Airflow for the feed's one day, and the summary names what was published."""
    import os
    import subprocess

    from paperhouse.synth import write_feed

    home = tmp_path / "home"
    (day_file,) = write_feed(home / "feed", days=1, papers_per_day=15, seed=3, formats="page")
    env = {**os.environ, "PAPERHOUSE_HOME": str(home)}
    env.pop("PAPERHOUSE_FEED_DIR", None)
    done = subprocess.run([sys.executable, "-m", "paperhouse.embedded", "run", "--airflow-home", str(tmp_path / "afh")],
                          env=env, capture_output=True, text=True, timeout=840)
    assert done.returncode == 0, done.stdout + done.stderr
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(home)})
    assert f"warehouse: {settings.warehouse_path}" in done.stdout
    assert "paperhouse_daily 2026-01-01: success" in done.stdout
    assert "paperhouse_export: success" in done.stdout
    assert "15 papers" in done.stdout and "2026-01-01: 15 papers (15 new)" in done.stdout
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        assert con.execute("select count(*), min(snapshot_date) from fct_paper_appearances").fetchone() == (
            15, dt.date(2026, 1, 1))
    assert (settings.exports_dir / "latest" / "manifest.json").is_file()
    assert (tmp_path / "afh" / "airflow.db").is_file()
    assert day_file.name == "2026-01-01.txt"
