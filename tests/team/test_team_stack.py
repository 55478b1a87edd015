"""The team deployment run for real: Postgres, Redis, api-server, scheduler, dag-processor,
triggerer and a Celery worker started by scripts/team, driven through Airflow's REST API.

The tests share one stack and run in file order: each builds on the warehouse the previous left.
"""
from __future__ import annotations

import os
import signal
import socket
import threading
import time

import pytest

from paperhouse.orchestration import WAREHOUSE_POOL

pytestmark = [pytest.mark.team, pytest.mark.slow]

DAILY, EXPORT, BACKFILL = "paperhouse_daily", "paperhouse_export", "paperhouse_backfill"
SEED_APPEARANCES = {"2026-08-09": 54, "2026-08-10": 234, "2026-08-11": 60}
FIRST_TWO_DAYS = {day: SEED_APPEARANCES[day] for day in ("2026-08-09", "2026-08-10")}


def latest_manifest(stack) -> str:
    from paperhouse.export import latest_export

    latest = latest_export(stack.settings)
    assert latest is not None, "exports/latest does not exist"
    return (latest / "manifest.json").read_text()


def writer_intervals(stack) -> list[tuple]:
    """Every try of every task in the writer pool, from the metadata DB (current and earlier tries)."""
    return stack.metadata_rows("""
        select dag_id, run_id, task_id, try_number, start_date, end_date from task_instance
         where pool = %s and start_date is not null
        union all
        select dag_id, run_id, task_id, try_number, start_date, end_date from task_instance_history
         where pool = %s and start_date is not null
        order by 5""", WAREHOUSE_POOL, WAREHOUSE_POOL)


def test_status_reports_every_component_through_its_health_endpoint(team_stack):
    done = team_stack.script("status")
    assert done.returncode == 0, done.stdout + done.stderr
    for component in ("postgres", "redis", "api-server", "scheduler", "dag-processor", "triggerer", "worker"):
        assert f"{component}" in done.stdout and "unhealthy" not in done.stdout, done.stdout
    health = team_stack._request("GET", "/api/v2/monitor/health")
    assert {health[part]["status"] for part in ("metadatabase", "scheduler", "triggerer", "dag_processor")} == {"healthy"}


def test_daily_runs_for_two_seed_days_fill_the_warehouse(team_stack):
    runs = [(DAILY, f"team-{day}") for day in FIRST_TWO_DAYS]
    for (dag_id, run_id), day in zip(runs, FIRST_TWO_DAYS):
        assert team_stack.trigger(dag_id, run_id, day)["state"] == "queued"
    team_stack.unpause(DAILY, EXPORT, BACKFILL)
    states = team_stack.wait_for(runs)
    assert set(states.values()) == {"success"}, f"{states}\n{team_stack.log_tails()}"
    for dag_id, run_id in runs:
        tasks = {t["task_id"]: t["state"] for t in team_stack.task_instances(dag_id, run_id)}
        assert tasks and set(tasks.values()) == {"success"}, tasks  # a run with no tasks did nothing
    assert team_stack.appearances_by_day() == FIRST_TWO_DAYS


def test_export_dag_ran_off_the_warehouse_asset(team_stack):
    # Each publish emits the Asset; wait for the export of the second day's warehouse.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        exports = [r for r in team_stack.dag_runs(EXPORT) if r["run_type"] == "asset_triggered"]
        settled = exports and all(r["state"] in ("success", "failed") for r in exports)
        if settled and '"max": "2026-08-10"' in latest_manifest_or_empty(team_stack):
            break
        time.sleep(3)
    assert exports and {r["state"] for r in exports} == {"success"}, exports
    manifest = latest_manifest(team_stack)
    assert '"max": "2026-08-10"' in manifest
    assert any(r["dag_run_id"] in manifest for r in exports), "exports/latest was not written by an export run"
    team_stack.state["manifest_after_two_days"] = manifest


def latest_manifest_or_empty(stack) -> str:
    from paperhouse.export import latest_export

    latest = latest_export(stack.settings)
    return (latest / "manifest.json").read_text() if latest else ""


def test_two_writer_runs_at_once_never_overlap_in_the_pool(team_stack):
    runs = [(DAILY, "team-2026-08-11"), (BACKFILL, "team-backfill-first-two-days")]
    team_stack.trigger(DAILY, runs[0][1], "2026-08-11")
    team_stack.trigger(BACKFILL, runs[1][1], conf={"start": "2026-08-09", "end": "2026-08-10"})
    states = team_stack.wait_for(runs)
    assert set(states.values()) == {"success"}, f"{states}\n{team_stack.log_tails()}"

    # The two runs were active at the same time, so only the pool kept their writers apart.
    (daily, backfill) = (team_stack.dag_run(*run) for run in runs)
    assert daily["start_date"] < backfill["end_date"] and backfill["start_date"] < daily["end_date"]
    intervals = writer_intervals(team_stack)
    ran = {(dag_id, run_id) for dag_id, run_id, *_ in intervals}
    assert set(runs) <= ran
    for earlier, later in zip(intervals, intervals[1:]):
        assert earlier[5] is not None and earlier[5] <= later[4], f"writer tasks overlapped: {earlier} and {later}"
    assert team_stack.appearances_by_day() == SEED_APPEARANCES
    # A new warehouse was published, so the export ran again and latest moved.
    deadline = time.monotonic() + 300
    while latest_manifest(team_stack) == team_stack.state.get("manifest_after_two_days") and time.monotonic() < deadline:
        time.sleep(3)
    assert latest_manifest(team_stack) != team_stack.state.get("manifest_after_two_days")


def running(pid: int) -> bool:
    """Alive and not a zombie (the command name in /proc/<pid>/stat may hold spaces)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class WarehouseWatcher(threading.Thread):
    """Reads the published warehouse once a second while a run rewrites it."""

    def __init__(self, stack):
        super().__init__(daemon=True)
        self.stack, self.seen, self.errors = stack, [], []
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            try:
                self.seen.append(self.stack.appearances_by_day())
            except Exception as exc:  # noqa: BLE001 - a half-written file is what we look for
                self.errors.append(repr(exc))
            self.stopping.wait(1.0)


def test_a_killed_worker_is_replaced_and_the_run_still_finishes(team_stack):
    run = (BACKFILL, "team-backfill-worker-killed")
    watcher = WarehouseWatcher(team_stack)
    watcher.start()
    team_stack.trigger(BACKFILL, run[1], conf={"start": "2026-08-09", "end": "2026-08-11"})
    deadline = time.monotonic() + 300
    while not any(t["state"] == "running" for t in team_stack.task_instances(*run)):
        assert time.monotonic() < deadline, team_stack.log_tails()
        time.sleep(1)
    time.sleep(5)  # well inside the task: it rebuilds three days

    worker = team_stack.pid("worker")
    os.killpg(worker, signal.SIGKILL)  # the worker, its pool and the task it runs, like a lost machine
    deadline = time.monotonic() + 30
    while running(worker) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not running(worker), f"worker {worker} survived SIGKILL"
    restarted = team_stack.script("up")  # starts only what is not running: a new worker
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr
    assert team_stack.pid("worker") != worker

    states = team_stack.wait_for([run])
    watcher.stopping.set()
    watcher.join()
    assert states[run] == "success", f"{states}\n{team_stack.log_tails()}"
    (task,) = team_stack.task_instances(*run)
    assert task["try_number"] >= 2, "the killed try should have been retried"
    assert not watcher.errors, watcher.errors
    assert watcher.seen and all(seen == SEED_APPEARANCES for seen in watcher.seen)
    assert team_stack.appearances_by_day() == SEED_APPEARANCES


def test_down_stops_every_process_it_started(team_stack):
    pids = {c: team_stack.pid(c) for c in ("postgres", "redis", "api-server", "scheduler", "dag-processor",
                                           "triggerer", "worker")}
    assert all(pids.values()), pids
    done = team_stack.script("down")
    assert done.returncode == 0, done.stdout + done.stderr
    for component, pid in pids.items():
        assert not running(pid), f"{component} (pid {pid}) still runs"
    for name, port in team_stack.state["ports"].items():
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"{name} port {port} still accepts connections"
    assert "stopped" in team_stack.script("status").stdout
