"""Airflow's share (issue 8): the wall time of one daily DAG run (`airflow dags test
paperhouse_daily <date>`, embedded Airflow home with a SQLite metadata DB) against the same
pipeline step functions called directly for the next day.

Both sides run in a fresh child process on the same warehouse (a few days of history, built by a
backfill first), so both pay Python start-up and paperhouse's imports; the difference is
Airflow: its imports, parsing the DAG folder, the metadata DB and the task runner.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sqlite3
import sys
import time
from pathlib import Path

from bench_support import (
    Section, bench_main, check_child, child_env, ensure_feed, feed_files, fmt_int, fmt_s, quiet_logs, run_child,
    settings_for, timed,
)

SIZES = {"full": {"history_days": 6, "papers_per_day": 50}, "quick": {"history_days": 3, "papers_per_day": 8}}
DAG_ID = "paperhouse_daily"
STEPS = ("fetch", "ingest", "gate_raw", "build", "gate_marts", "publish")  # the daily DAG's tasks, in order


def dag_run_record(airflow_home: Path, logical_day: dt.date) -> dict:
    """The DAG run's state and timings from the metadata DB, and its task instances' durations."""
    with sqlite3.connect(airflow_home / "airflow.db") as db:
        db.row_factory = sqlite3.Row
        # run_after is when the run was created; `dags test` sets start_date to the logical date.
        run = db.execute("select run_id, state, run_after, end_date from dag_run where dag_id = ? "
                         "and date(logical_date) = ? order by id desc limit 1", (DAG_ID, logical_day.isoformat())).fetchone()
        if run is None:
            raise RuntimeError(f"{airflow_home / 'airflow.db'}: no {DAG_ID} run for {logical_day}")
        tasks = db.execute("select task_id, state, duration from task_instance where dag_id = ? and run_id = ?",
                           (DAG_ID, run["run_id"])).fetchall()
    seconds = (dt.datetime.fromisoformat(run["end_date"]) - dt.datetime.fromisoformat(run["run_after"])).total_seconds()
    return {"state": run["state"], "run_s": seconds,
            "tasks": {t["task_id"]: {"state": t["state"], "duration_s": t["duration"] or 0.0} for t in tasks}}


def measure(work_dir: Path, history_days: int, papers_per_day: int, seed: int = 0) -> Section:
    """One daily DAG run under Airflow against the same steps called directly."""
    from paperhouse import pipeline
    from paperhouse.embedded import airflow_env, prepare_airflow_home

    feed = ensure_feed(work_dir, history_days + 2, papers_per_day, seed)
    days = [dt.date.fromisoformat(p.stem) for p in feed_files(feed)]
    home = Path(work_dir) / "airflow-bench-home"
    airflow_home = Path(work_dir) / "airflow-home"
    shutil.rmtree(home, ignore_errors=True)
    settings = settings_for(home, feed)
    history = pipeline.backfill(settings, days[0], days[history_days - 1])
    if not history.ok:
        raise RuntimeError(f"setting up {history_days} days of history failed: {history.summary()}")

    env = airflow_env(settings, airflow_home, start_date=days[0], base=child_env())
    with timed() as setup:
        prepare_airflow_home(env)
    dag_day, direct_day = days[history_days], days[history_days + 1]
    dag = run_child([sys.executable, "-m", "airflow", "dags", "test", DAG_ID, dag_day.isoformat()], env=env, timeout_s=900)
    check_child(dag, f"airflow dags test {DAG_ID} {dag_day}")
    record = dag_run_record(airflow_home, dag_day)
    if record["state"] != "success":
        failed = [task for task, t in record["tasks"].items() if t["state"] != "success"]
        raise RuntimeError(f"{DAG_ID} {dag_day}: {record['state']} (tasks not successful: {', '.join(failed)})")

    report_path = Path(work_dir) / "airflow-direct.json"
    direct = run_child([sys.executable, __file__, "--worker", "--home", str(home), "--feed", str(feed),
                        "--date", direct_day.isoformat(), "--report", str(report_path)], env=child_env())
    check_child(direct, "the direct-steps worker")
    steps = json.loads(report_path.read_text())
    tasks_s = sum(t["duration_s"] for t in record["tasks"].values())
    steps_s = sum(steps.values())

    def share(own_s: float) -> str:
        return f"{(dag.wall_s - own_s) / dag.wall_s:.0%}"

    rows = [
        [f"`airflow dags test {DAG_ID} {dag_day}` (child process)", fmt_s(dag.wall_s), fmt_s(dag.cpu_s), ""],
        ["  the DAG run, created to finished (metadata DB)", fmt_s(record["run_s"]), "", share(record["run_s"])],
        ["  sum of its task instances' durations (metadata DB)", fmt_s(tasks_s), "", share(tasks_s)],
        [f"the same steps called directly for {direct_day} (child process)", fmt_s(direct.wall_s), fmt_s(direct.cpu_s),
         share(direct.wall_s)],
        ["  sum of the steps' own time", fmt_s(steps_s), "", share(steps_s)],
    ]
    rows += [[f"    {name}", fmt_s(steps[name]), "", ""] for name in STEPS]
    return Section(
        key="airflow",
        title=f"Airflow's share of one daily run ({fmt_int(history_days)} days of history, {papers_per_day} papers/day)",
        columns=["what", "wall", "CPU", "Airflow's share of the DAG run's wall time"],
        rows=rows,
        notes=[
            f"Airflow adds {fmt_s(dag.wall_s - direct.wall_s)} to a daily run: "
            f"{(dag.wall_s - direct.wall_s) / dag.wall_s:.0%} of the DAG run's {fmt_s(dag.wall_s)}.",
            "Share = (DAG run wall - the row's time) / DAG run wall. The direct row is the fairest peer: a fresh "
            "process running fetch, ingest, gate_raw, build, gate_marts and publish, as the DAG's tasks do.",
            f"One-time setup, not counted: `airflow db migrate` and the writer pool ({fmt_s(setup.wall_s)}). "
            "The DAG runs in `airflow dags test` (tasks in-process, SQLite metadata DB, embedded Airflow home).",
        ],
        figures={"dag_wall_s": dag.wall_s, "dag_run_s": record["run_s"], "tasks_s": tasks_s,
                 "direct_wall_s": direct.wall_s, "steps_s": steps_s, "steps": steps, "setup_s": setup.wall_s,
                 "airflow_share": (dag.wall_s - direct.wall_s) / dag.wall_s},
    )


def worker(argv: list[str]) -> None:
    """The child: the daily DAG's steps for one day, called directly, each timed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    for option in ("--home", "--feed", "--report"):
        parser.add_argument(option, type=Path, required=True)
    parser.add_argument("--date", type=dt.date.fromisoformat, required=True)
    args = parser.parse_args(argv)
    quiet_logs()
    from paperhouse import pipeline

    settings = settings_for(args.home, args.feed)
    day = args.date
    seconds: dict[str, float] = {}
    results = {}
    calls = {
        "fetch": lambda: pipeline.fetch(settings, day),
        "ingest": lambda: pipeline.ingest(settings, [results["fetch"]], day),
        "gate_raw": lambda: pipeline.gate_raw(settings, [day]),
        "build": lambda: pipeline.build(settings),
        "gate_marts": lambda: pipeline.gate_marts(settings, [day]),
        "publish": lambda: pipeline.publish(settings),
    }
    for name in STEPS:
        start = time.perf_counter()
        results[name] = calls[name]()
        seconds[name] = time.perf_counter() - start
    if results["ingest"].by_status("rejected"):
        raise SystemExit(f"{results['fetch']}: rejected by ingest")
    args.report.write_text(json.dumps(seconds))


if __name__ == "__main__":
    if "--worker" in sys.argv[1:]:
        worker(sys.argv[1:])
    else:
        bench_main(measure, SIZES)
