"""The team deployment run for real: Postgres, Redis, api-server, scheduler, dag-processor,
triggerer and a Celery worker started by scripts/team, driven through Airflow's REST API.

The tests share one stack and run in file order: each builds on the warehouse the previous left.
"""
from __future__ import annotations

import contextlib
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


def process_tree(root: int) -> list[int]:
    """`root` and every live descendant by parent pid, whatever their process group: Airflow's task
    supervisor puts the task process in a group of its own, so killpg on the worker misses it."""
    children: dict[int, list[int]] = {}
    for proc in os.listdir("/proc"):
        if proc.isdigit():
            try:
                with open(f"/proc/{proc}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if fields[0] != "Z":
                children.setdefault(int(fields[1]), []).append(int(proc))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def process_group(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def kill_tree(root: int) -> list[int]:
    """SIGSTOP the whole tree first (nothing forks or finishes meanwhile), then SIGKILL it all, like
    a machine that is lost; the pids killed."""
    stopped: list[int] = []
    while new := [pid for pid in process_tree(root) if pid not in stopped]:
        for pid in new:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
        stopped.extend(new)
    for pid in stopped:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return stopped


def writer_state(stack, run: tuple[str, str]) -> str | None:
    rows = stack.metadata_rows("select state from task_instance where dag_id = %s and run_id = %s", *run)
    return rows[0][0] if rows else None


def test_a_killed_worker_is_replaced_and_the_run_still_finishes(team_stack):
    run = (BACKFILL, "team-backfill-worker-killed")
    before = team_stack.appearances_by_day()
    watcher = WarehouseWatcher(team_stack)
    watcher.start()
    worker = team_stack.pid("worker")
    team_stack.trigger(BACKFILL, run[1], conf={"start": "2026-08-09", "end": "2026-08-11"})
    # Kill as soon as the task runs (it ingests, gates and builds three days: tens of seconds),
    # polling the metadata DB directly so the kill lands early.
    deadline = time.monotonic() + 300
    while writer_state(team_stack, run) != "running":
        assert time.monotonic() < deadline, f"the backfill task never ran\n{team_stack.log_tails()}"
        time.sleep(0.2)
    # Wait for the supervisor to fork the task process (a group of its own under the worker).
    deadline = time.monotonic() + 60
    while not (task_processes := [p for p in process_tree(worker) if process_group(p) not in (None, worker)]):
        assert time.monotonic() < deadline, f"no task process under worker {worker}: {process_tree(worker)}"
        time.sleep(0.1)

    killed = kill_tree(worker)
    assert set(task_processes) <= set(killed), (task_processes, killed)
    deadline = time.monotonic() + 30
    while (survivors := [pid for pid in killed if running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not survivors, f"processes of worker {worker} survived SIGKILL: {survivors}"
    # Killed mid-task: the metadata DB still has the try running (nothing is left to finish it).
    assert writer_state(team_stack, run) == "running", "the task had finished before the kill"

    restarted = team_stack.script("up")  # starts only what is not running: a new worker
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr
    assert team_stack.pid("worker") != worker

    # The scheduler declares the try dead after [scheduler] task_instance_heartbeat_timeout (30 s
    # here) and retries it on the new worker after the task's retry delay.
    states = team_stack.wait_for([run])
    watcher.stopping.set()
    watcher.join()
    assert states[run] == "success", f"{states}\n{team_stack.log_tails()}"
    (task,) = team_stack.task_instances(*run)
    assert task["try_number"] >= 2, "the killed try should have been retried"
    assert not watcher.errors, watcher.errors
    # Readers only ever saw the warehouse before the run or after it, never a half-written one.
    assert watcher.seen and all(seen == before for seen in watcher.seen), watcher.seen
    assert before == SEED_APPEARANCES and team_stack.appearances_by_day() == SEED_APPEARANCES


def test_down_stops_every_process_it_started(team_stack):
    pids = {c: team_stack.pid(c) for c in ("postgres", "redis", "api-server", "scheduler", "dag-processor",
                                           "triggerer", "worker")}
    assert all(pids.values()), pids
    trees = {component: process_tree(pid) for component, pid in pids.items()}  # workers' pools, postgres' backends
    done = team_stack.script("down")
    assert done.returncode == 0, done.stdout + done.stderr
    for component, tree in trees.items():
        assert not [pid for pid in tree if running(pid)], f"{component} (pids {tree}) still runs"
    for name, port in team_stack.state["ports"].items():
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"{name} port {port} still accepts connections"
    assert "stopped" in team_stack.script("status").stdout
