"""The team stack (scripts/team) brought up once per test session on free ports, and a small client
for Airflow's REST API and metadata DB. A stack that cannot start fails the tests with the
component's log tail; it is never skipped."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO_ROOT, SEED_FILES, SHARED_DIR

TEAM_SCRIPT = REPO_ROOT / "scripts" / "team"
PORT_NAMES = ("api", "postgres", "redis", "scheduler_health")
RUN_TIMEOUT_S = 900  # generous: the machine may be shared
FINISHED = {"success", "failed"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclasses.dataclass
class TeamStack:
    root: Path
    env: dict[str, str]
    secret: dict[str, str]
    state: dict

    # -- the script
    def script(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run([str(TEAM_SCRIPT), *args], env=self.env, capture_output=True, text=True,
                              timeout=timeout, cwd=REPO_ROOT)

    def pid(self, component: str) -> int | None:
        try:
            return int((self.root / "run" / f"{component}.pid").read_text().split()[0])
        except FileNotFoundError:
            return None

    # -- Airflow's REST API, as a user calls it: a JWT from /auth/token, then Bearer
    def api(self, method: str, path: str, body: dict | None = None) -> dict:
        if "token" not in self.state:  # valid for a day ([api_auth] jwt_expiration_time)
            self.state["token"] = self._request("POST", "/auth/token", {
                "username": self.secret["admin_user"], "password": self.secret["admin_password"]})["access_token"]
        return self._request(method, path, body, {"Authorization": f"Bearer {self.state['token']}"})

    def _request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None) -> dict:
        request = urllib.request.Request(self.state["api_url"] + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path}: HTTP {exc.code} {exc.read()[:500]!r}") from None

    def unpause(self, *dag_ids: str) -> None:
        for dag_id in dag_ids:
            self.api("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})

    def trigger(self, dag_id: str, run_id: str, day: str | None = None, conf: dict | None = None) -> dict:
        logical = f"{day}T00:00:00Z" if day else None
        return self.api("POST", f"/api/v2/dags/{dag_id}/dagRuns",
                        {"dag_run_id": run_id, "logical_date": logical, "conf": conf or {}})

    def dag_run(self, dag_id: str, run_id: str) -> dict:
        return self.api("GET", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}")

    def dag_runs(self, dag_id: str) -> list[dict]:
        return self.api("GET", f"/api/v2/dags/{dag_id}/dagRuns?limit=100")["dag_runs"]

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        return self.api("GET", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances")["task_instances"]

    def retire_scheduled_daily_runs(self) -> None:
        """Unpausing the daily DAG makes the scheduler start its latest scheduled day, whose feed file
        the tests do not have: it would hold the DAG's one active run. Mark such runs failed."""
        for run in self.dag_runs("paperhouse_daily"):
            if run["run_type"] == "scheduled" and run["state"] in ("queued", "running"):
                self.api("PATCH", f"/api/v2/dags/paperhouse_daily/dagRuns/{run['dag_run_id']}", {"state": "failed"})

    def wait_for(self, runs: list[tuple[str, str]], timeout: float = RUN_TIMEOUT_S) -> dict[tuple[str, str], str]:
        """Poll the given (dag_id, run_id) until each has finished; their final states."""
        deadline = time.monotonic() + timeout
        states: dict[tuple[str, str], str] = {}
        while time.monotonic() < deadline:
            self.retire_scheduled_daily_runs()
            states = {run: self.dag_run(*run)["state"] for run in runs}
            if set(states.values()) <= FINISHED:
                return states
            time.sleep(3)
        raise AssertionError(f"runs not finished after {timeout:.0f} s: {states}\n{self.log_tails()}")

    def log_tails(self, lines: int = 15) -> str:
        tails = []
        for log in sorted((self.root / "logs").glob("*.log")):
            text = log.read_text(errors="replace").splitlines()[-lines:]
            tails.append(f"--- {log}\n" + "\n".join(text))
        return "\n".join(tails)

    # -- the metadata DB, as an operator would query it
    def metadata_rows(self, sql: str, *params) -> list[tuple]:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.state["ports"]["postgres"], user="airflow",
                                      password=self.secret["airflow_db_password"], dbname="airflow")
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            connection.close()

    # -- what paperhouse wrote
    @property
    def settings(self):
        from paperhouse.settings import Settings

        return Settings.from_env(self.env)

    def appearances_by_day(self, warehouse: Path | None = None) -> dict[str, int]:
        """Appearances per snapshot day in a copy of the published warehouse (copying is atomic
        with respect to the publisher's rename, and takes no lock on the live file)."""
        import duckdb

        source = warehouse or self.settings.warehouse_path
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "copy.duckdb"
            shutil.copyfile(source, copy)
            with duckdb.connect(str(copy), read_only=True) as connection:
                rows = connection.execute("select snapshot_date, count(*) from fct_paper_appearances "
                                          "group by 1 order by 1").fetchall()
        return {str(day): count for day, count in rows}


@pytest.fixture(scope="session")
def team_stack():
    """scripts/team up on free ports with the seed days as the feed; down (and removed) at the end."""
    seeds = SHARED_DIR / "seeds"
    if not seeds.is_dir():
        pytest.fail(f"{seeds} is missing: the team tests need the shared seed files")
    # Not under pytest's tmp_path: its 0700 parents would keep the `postgres` user out of the data dir.
    root = Path(tempfile.mkdtemp(prefix="paperhouse-team-"))
    root.chmod(0o755)
    feed = root / "feed"
    feed.mkdir()
    for prefix, day in SEED_FILES.items():
        (source,) = seeds.glob(prefix + "*.txt")
        shutil.copyfile(source, feed / f"{day}.txt")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PAPERHOUSE_", "AIRFLOW"))}
    env.update({f"PAPERHOUSE_TEAM_{name.upper()}_PORT": str(free_port()) for name in PORT_NAMES})
    env.update({
        "PAPERHOUSE_TEAM_DIR": str(root / "stack"),
        "PAPERHOUSE_HOME": str(root / "data"),
        "PAPERHOUSE_FEED_DIR": str(feed),
        "PAPERHOUSE_SOURCE": "dir",
        # A killed worker's task is declared dead after 30 s instead of 5 minutes.
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "30",
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
        # ... and retried 5-10 s later instead of 60-120 s.
        "PAPERHOUSE_RETRY_DELAY_S": "5",
    })
    started = time.monotonic()
    up = subprocess.run([str(TEAM_SCRIPT), "up"], env=env, capture_output=True, text=True, cwd=REPO_ROOT, timeout=900)
    stack_dir = root / "stack"
    state = json.loads((stack_dir / "team.json").read_text()) if (stack_dir / "team.json").exists() else {}
    secret = json.loads((stack_dir / "secrets.json").read_text()) if (stack_dir / "secrets.json").exists() else {}
    stack = TeamStack(stack_dir, env, secret, state)
    try:
        if up.returncode != 0:
            pytest.fail(f"scripts/team up failed (exit {up.returncode}):\n{up.stdout}\n{up.stderr}", pytrace=False)
        print(f"\nteam stack up in {time.monotonic() - started:.0f} s:\n{up.stdout}")
        yield stack
    finally:
        stack.script("down", timeout=300)
        shutil.rmtree(root, ignore_errors=True)
