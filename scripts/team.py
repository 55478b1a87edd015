"""paperhouse for a team without Docker: Postgres, Redis and Airflow with the CeleryExecutor, each a
process of its own on 127.0.0.1, everything under one folder (PAPERHOUSE_TEAM_DIR, default ./team).

    scripts/team up        # install Postgres/Redis if missing (apt-get, as root), start what is not running
    scripts/team status    # each component, from Airflow's health endpoints; exit 1 if one is unhealthy
    scripts/team down      # stop exactly the processes `up` started (by the pids it recorded)

The layout mirrors docker-compose.yml: one process per service, the same environment variables.
<team dir>/run/<component>.pid and <team dir>/logs/<component>.log per component; secrets (generated
once, mode 0600) in <team dir>/secrets.json; ports, URLs and start costs in <team dir>/team.json.
"""
from __future__ import annotations

import dataclasses
import glob
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
ENV = "PAPERHOUSE_TEAM_"
MARKER = ENV + "DIR"
DEFAULT_PORTS = {"api": 8080, "postgres": 5432, "redis": 6379, "scheduler_health": 8974}
AIRFLOW_COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer", "worker")
COMPONENTS = ("postgres", "redis", *AIRFLOW_COMPONENTS)
START_TIMEOUT_S = float(os.environ.get(ENV + "START_TIMEOUT_S", "180"))
STOP_TIMEOUT_S = 30.0
LOG_TAIL_LINES = 40
FAB_AUTH_MANAGER = "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager"


class TeamError(Exception):
    """One readable line (plus, when a component failed, its log tail)."""


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where the team stack keeps everything, and on which ports it listens."""
    root: Path
    ports: dict[str, int]

    @classmethod
    def from_env(cls, environ=os.environ) -> "Layout":
        root = Path(environ.get(MARKER, REPO_ROOT / "team")).expanduser().absolute()
        ports = {}
        for name, default in DEFAULT_PORTS.items():
            raw = environ.get(f"{ENV}{name.upper()}_PORT", str(default))
            if not raw.isdigit():
                raise TeamError(f"{ENV}{name.upper()}_PORT={raw!r}: expected a port number")
            ports[name] = int(raw)
        return cls(root, ports)

    @property
    def run_dir(self) -> Path:
        return self.root / "run"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def postgres_dir(self) -> Path:
        return self.root / "postgres"

    @property
    def redis_dir(self) -> Path:
        return self.root / "redis"

    @property
    def airflow_home(self) -> Path:
        return self.root / "airflow"

    @property
    def state_file(self) -> Path:
        return self.root / "team.json"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['api']}"

    def pid_file(self, component: str) -> Path:
        return self.run_dir / f"{component}.pid"

    def log_file(self, component: str) -> Path:
        return self.logs_dir / f"{component}.log"


# ---------------------------------------------------------------- secrets and environment

def load_secrets(layout: Layout) -> dict[str, str]:
    """Passwords and keys, generated on the first `up` and kept (0600) so restarts agree."""
    path = layout.root / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    from cryptography.fernet import Fernet

    values = {name: secrets.token_urlsafe(24) for name in
              ("postgres_superuser_password", "airflow_db_password", "redis_password", "jwt_secret", "api_secret_key")}
    values["fernet_key"] = Fernet.generate_key().decode()
    values["admin_user"] = os.environ.get(ENV + "ADMIN_USER", "admin")
    values["admin_password"] = os.environ.get(ENV + "ADMIN_PASSWORD") or secrets.token_urlsafe(12)
    layout.root.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(values, out, indent=1)
    return values


def airflow_env(layout: Layout, secret: dict[str, str], base=os.environ) -> dict[str, str]:
    """The environment of every Airflow process: docker-compose.yml's x-airflow-common, on 127.0.0.1."""
    from paperhouse.settings import Settings

    env = dict(base)
    env.update(Settings.from_env(base).as_env())  # absolute PAPERHOUSE_* paths
    db = f"airflow:{secret['airflow_db_password']}@127.0.0.1:{layout.ports['postgres']}/airflow"
    api = layout.api_url
    env.update({
        MARKER: str(layout.root),
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        "AIRFLOW_HOME": str(layout.airflow_home),
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CORE__AUTH_MANAGER": FAB_AUTH_MANAGER,
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__FERNET_KEY": secret["fernet_key"],
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{api}/execution/",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"postgresql+psycopg2://{db}",
        "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql://{db}",
        "AIRFLOW__CELERY__BROKER_URL": broker_url(layout, secret),
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(layout.ports["api"]),
        "AIRFLOW__API__BASE_URL": api,
        "AIRFLOW__API__SECRET_KEY": secret["api_secret_key"],
        # Workers sign and check task tokens with it: every component must share it.
        "AIRFLOW__API_AUTH__JWT_SECRET": secret["jwt_secret"],
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_HOST": "127.0.0.1",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT": str(layout.ports["scheduler_health"]),
    })
    # Sized for a small machine; an AIRFLOW__* variable already set wins.
    for key, value in {
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "4",
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
        # A busy api-server answers a task's first call slowly (the default 5 s makes tasks fail).
        "AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT": "60",
    }.items():
        env.setdefault(key, value)
    return env


def broker_url(layout: Layout, secret: dict[str, str]) -> str:
    return f"redis://:{secret['redis_password']}@127.0.0.1:{layout.ports['redis']}/0"


# ---------------------------------------------------------------- processes

def proc_stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat after the command name: [state, ppid, pgrp, session, ...], None if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def start_time(pid: int) -> str | None:
    fields = proc_stat(pid)
    return fields[19] if fields else None


def alive(pid: int, started: str | None = None) -> bool:
    """The pid runs (not a zombie) and, if given, is the process that started at `started`
    (a pid file naming a recycled pid must not stop a stranger)."""
    fields = proc_stat(pid)
    return bool(fields) and fields[0] != "Z" and (started is None or fields[19] == started)


def record_pid(layout: Layout, component: str, pid: int) -> None:
    layout.run_dir.mkdir(parents=True, exist_ok=True)
    layout.pid_file(component).write_text(f"{pid} {start_time(pid)}\n")


def read_pid(layout: Layout, component: str) -> int | None:
    """The component's pid if that very process still runs, else None."""
    try:
        pid, started = layout.pid_file(component).read_text().split()[:2]
    except (FileNotFoundError, ValueError):
        return None
    return int(pid) if alive(int(pid), started) else None


def descendants_of(roots: set[int]) -> list[int]:
    """Live processes descended from `roots`, by parent pid at any depth or by sharing a root's
    session or process group (Airflow's task supervisor starts each task process in a new session)."""
    links = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and (fields := proc_stat(int(proc.name))) is not None and fields[0] != "Z":
            links.append((int(proc.name), int(fields[1]), int(fields[2]), int(fields[3])))
    family = {pid for pid, *_ in links if pid in roots}
    while True:  # grow to a fixed point: grandchildren in sessions of their own are reached through parents
        grown = family | {pid for pid, ppid, pgrp, session in links if {ppid, pgrp, session} & (family | roots)}
        if grown == family:
            return sorted(family)
        family = grown


def still_running(pids: set[int]) -> list[int]:
    return [pid for pid in pids if alive(pid)]


def tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except FileNotFoundError:
        return f"({path} does not exist)"
    return "\n".join(f"    {line}" for line in text[-lines:])


def failure(layout: Layout, component: str, reason: str) -> TeamError:
    log = layout.log_file(component)
    return TeamError(f"{component}: {reason}; last lines of {log}:\n{tail(log)}")


def spawn(layout: Layout, component: str, argv: list[str], env: dict[str, str]) -> int:
    """Start one component in its own session (so its children share its process group id)."""
    layout.logs_dir.mkdir(parents=True, exist_ok=True)
    layout.run_dir.mkdir(parents=True, exist_ok=True)
    with open(layout.log_file(component), "ab") as log:
        child = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 cwd=REPO_ROOT, start_new_session=True)
    record_pid(layout, component, child.pid)
    return child.pid


def stop_groups(pids: list[int], timeout: float = STOP_TIMEOUT_S) -> None:
    """SIGTERM each component's process group, SIGKILL what is left after `timeout` (together, so
    a slow warm shutdown of one does not hold up the others). SIGKILL also reaches descendants in
    groups of their own (Airflow's task supervisor gives each task process one)."""
    # The family is taken before any signal: once a parent exits, its children are re-parented to
    # init and can no longer be found from the recorded pids.
    family = set(descendants_of(set(pids)))
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        for pid in pids:
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                pass
        family |= set(descendants_of(set(pids)))
        for pid in still_running(family) if sig == signal.SIGKILL else ():
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and still_running(family | set(descendants_of(set(pids)))):
            time.sleep(0.2)
        if not still_running(family | set(descendants_of(set(pids)))):
            return


def wait_until(check, component: str, layout: Layout, pid: int | None = None, timeout: float = START_TIMEOUT_S) -> float:
    """Poll `check()` until true; fail with the log tail if the process died or time ran out."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if check():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001 - not up yet: connection refused, 503, ...
            pass
        if pid is not None and not alive(pid):
            raise failure(layout, component, "the process exited during start-up")
        time.sleep(0.5)
    raise failure(layout, component, f"not healthy after {timeout:.0f} s")


# ---------------------------------------------------------------- system packages

def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


APT_LOCK = "/var/lock/paperhouse-apt"


def ensure_packages() -> None:
    """Postgres and Redis from Debian, installed when missing (needs root, as on a fresh machine)."""
    missing = [pkg for pkg, present in (("postgresql", postgres_bin()), ("redis-server", shutil.which("redis-server")))
               if not present]
    if not missing:
        return
    if os.geteuid() != 0:
        raise TeamError(f"{' and '.join(missing)} missing: run as root, or `apt-get install {' '.join(missing)}`")
    print(f"installing {' '.join(missing)} with apt-get", flush=True)
    # Our apt calls take turns on one lock file (the bi tests' Chromium install uses it too).
    install = ["flock", APT_LOCK, "apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "--no-install-recommends", *missing]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["flock", APT_LOCK, "apt-get", "-o", "DPkg::Lock::Timeout=600", "update"], env=env, stdout=subprocess.DEVNULL, check=False)
        if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            raise TeamError(f"apt-get install {' '.join(missing)} failed")


# ---------------------------------------------------------------- Postgres and Redis

def as_postgres_user(argv: list[str]) -> list[str]:
    """Postgres refuses to run as root: as root, run its programs as the `postgres` user."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def start_postgres(layout: Layout, secret: dict[str, str], env: dict[str, str]) -> float:
    started = time.monotonic()
    bindir = postgres_bin()
    data = layout.postgres_dir / "data"
    log = layout.log_file("postgres")
    layout.logs_dir.mkdir(parents=True, exist_ok=True)
    log.touch()
    if os.geteuid() == 0:
        layout.postgres_dir.mkdir(parents=True, exist_ok=True)
        shutil.chown(layout.postgres_dir, "postgres", "postgres")
        shutil.chown(log, "postgres", "postgres")
    if not (data / "PG_VERSION").exists():
        password_file = layout.postgres_dir / "superuser-password"
        password_file.write_text(secret["postgres_superuser_password"] + "\n")
        os.chmod(password_file, 0o600)
        if os.geteuid() == 0:
            shutil.chown(password_file, "postgres", "postgres")
        try:
            done = subprocess.run(as_postgres_user([str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
                                                    f"--pwfile={password_file}", "--auth=scram-sha-256",
                                                    "--encoding=UTF8", "--locale=C.UTF-8"]),
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        finally:
            password_file.unlink(missing_ok=True)
        if done.returncode != 0:
            raise TeamError(f"initdb {data} failed:\n{done.stdout[-2000:]}")
    # No unix socket: the server is reached on 127.0.0.1 only, with passwords.
    options = f"-c listen_addresses=127.0.0.1 -c port={layout.ports['postgres']} -c unix_socket_directories=''"
    done = subprocess.run(as_postgres_user([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
                                            "-w", "-t", "60", "start"]),
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        raise failure(layout, "postgres", f"pg_ctl start failed: {done.stdout.strip().splitlines()[-1:]}")
    pid = int((data / "postmaster.pid").read_text().split()[0])
    record_pid(layout, "postgres", pid)
    wait_until(lambda: postgres_healthy(layout, secret, superuser=True), "postgres", layout, pid)
    create_airflow_database(layout, secret)
    return time.monotonic() - started


def connect_postgres(layout: Layout, secret: dict[str, str], superuser: bool = False, dbname: str = "airflow"):
    import psycopg2

    if superuser:
        return psycopg2.connect(host="127.0.0.1", port=layout.ports["postgres"], user="postgres",
                                password=secret["postgres_superuser_password"], dbname="postgres", connect_timeout=3)
    return psycopg2.connect(host="127.0.0.1", port=layout.ports["postgres"], user="airflow",
                            password=secret["airflow_db_password"], dbname=dbname, connect_timeout=3)


def postgres_healthy(layout: Layout, secret: dict[str, str], superuser: bool = False) -> bool:
    with connect_postgres(layout, secret, superuser=superuser) as connection, connection.cursor() as cursor:
        cursor.execute("select 1")
        return cursor.fetchone() == (1,)


def create_airflow_database(layout: Layout, secret: dict[str, str]) -> None:
    from psycopg2 import sql

    connection = connect_postgres(layout, secret, superuser=True)
    connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("select 1 from pg_roles where rolname = 'airflow'")
            if not cursor.fetchone():
                cursor.execute(sql.SQL("create role airflow login password {}").format(
                    sql.Literal(secret["airflow_db_password"])))
            cursor.execute("select 1 from pg_database where datname = 'airflow'")
            if not cursor.fetchone():
                cursor.execute("create database airflow owner airflow encoding 'UTF8'")
    finally:
        connection.close()


def stop_postgres(layout: Layout, env: dict[str, str]) -> None:
    data = layout.postgres_dir / "data"
    pid = read_pid(layout, "postgres")
    if pid is None or postgres_bin() is None:
        return
    subprocess.run(as_postgres_user([str(postgres_bin() / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stop_groups([pid])  # if pg_ctl could not: the postmaster's group is only its own processes


def start_redis(layout: Layout, secret: dict[str, str], env: dict[str, str]) -> float:
    started = time.monotonic()
    layout.redis_dir.mkdir(parents=True, exist_ok=True)
    pid = spawn(layout, "redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(layout.ports["redis"]),
                                  "--dir", str(layout.redis_dir), "--requirepass", secret["redis_password"],
                                  "--daemonize", "no", "--protected-mode", "yes"], env)
    wait_until(lambda: redis_healthy(layout, secret), "redis", layout, pid)
    return time.monotonic() - started


def redis_healthy(layout: Layout, secret: dict[str, str]) -> bool:
    import redis

    return bool(redis.Redis(host="127.0.0.1", port=layout.ports["redis"], password=secret["redis_password"],
                            socket_timeout=3).ping())


# ---------------------------------------------------------------- Airflow

def airflow_cli(layout: Layout, env: dict[str, str], *args: str, allowed: tuple[str, ...] = ()) -> str:
    """Run one `airflow` command, its output appended to logs/setup.log; a failure whose output
    contains one of `allowed` is not one."""
    log = layout.log_file("setup")
    with open(log, "a") as out:
        done = subprocess.run([sys.executable, "-m", "airflow", *args], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
        out.write(done.stdout)
    if done.returncode != 0 and not any(text in done.stdout for text in allowed):
        raise failure(layout, "setup", f"`airflow {' '.join(args[:2])}` failed (exit {done.returncode})")
    return done.stdout


def prepare_airflow(layout: Layout, secret: dict[str, str], env: dict[str, str]) -> float:
    """Migrate the metadata DB and create the admin user, once per Airflow version (each `airflow`
    command costs a full Airflow import, so there are only these two)."""
    from importlib.metadata import version

    stamp = layout.airflow_home / ".team-prepared"
    wanted = version("apache-airflow-core")
    if stamp.exists() and stamp.read_text().strip() == wanted:
        return 0.0
    started = time.monotonic()
    layout.airflow_home.mkdir(parents=True, exist_ok=True)
    layout.logs_dir.mkdir(parents=True, exist_ok=True)
    airflow_cli(layout, env, "db", "migrate")
    # `--option=value`: a generated password may start with "-".
    airflow_cli(layout, env, "users", "create", f"--username={secret['admin_user']}",
                f"--password={secret['admin_password']}", "--role=Admin", "--firstname=Team", "--lastname=Admin",
                f"--email={secret['admin_user']}@localhost", allowed=("already exist",))
    stamp.write_text(wanted + "\n")
    return time.monotonic() - started


def api_request(layout: Layout, secret: dict[str, str], method: str, path: str, body: dict | None = None) -> dict:
    """One call to Airflow's REST API with a JWT from /auth/token (the FAB auth manager's users)."""
    token = http_json(f"{layout.api_url}/auth/token", {"username": secret["admin_user"],
                                                        "password": secret["admin_password"]})["access_token"]
    return http_json(f"{layout.api_url}{path}", body, method=method, headers={"Authorization": f"Bearer {token}"})


def ensure_pool(layout: Layout, secret: dict[str, str]) -> None:
    """The writer pool the DAGs use: one slot (see paperhouse.orchestration)."""
    from paperhouse.orchestration import WAREHOUSE_POOL, WAREHOUSE_POOL_DESCRIPTION

    settings = {"slots": 1, "description": WAREHOUSE_POOL_DESCRIPTION, "include_deferred": False}
    try:
        api_request(layout, secret, "PATCH", f"/api/v2/pools/{WAREHOUSE_POOL}", {"pool": WAREHOUSE_POOL, **settings})
    except urllib.error.HTTPError as exc:
        if exc.code != 404:
            raise
        api_request(layout, secret, "POST", "/api/v2/pools", {"name": WAREHOUSE_POOL, **settings})


def airflow_argv(layout: Layout, component: str) -> list[str]:
    python = [sys.executable, "-m", "airflow"]
    return {
        "api-server": [*python, "api-server", "--host", "127.0.0.1", "--port", str(layout.ports["api"])],
        "scheduler": [*python, "scheduler"],
        "dag-processor": [*python, "dag-processor"],
        # One machine, one AIRFLOW_HOME: the api-server reads task logs from disk, so the worker and
        # the triggerer need not serve them (their log servers would listen on every interface).
        "triggerer": [*python, "triggerer", "--skip-serve-logs"],
        "worker": [*python, "celery", "worker", "--skip-serve-logs"],
    }[component]


def http_json(url: str, body: dict | None = None, method: str | None = None, headers: dict | None = None,
              timeout: float = 10.0) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method or ("POST" if data else "GET"),
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"{}")


def api_health(layout: Layout) -> dict:
    """Airflow's own health endpoint: metadatabase, scheduler, triggerer, dag_processor."""
    return http_json(f"{layout.api_url}/api/v2/monitor/health")


def component_healthy(layout: Layout, secret: dict[str, str], component: str) -> bool:
    if component == "postgres":
        return postgres_healthy(layout, secret)
    if component == "redis":
        return redis_healthy(layout, secret)
    if component == "api-server":
        return api_health(layout)["metadatabase"]["status"] == "healthy"
    if component == "scheduler":
        # The scheduler's own health server (docker-compose's check), and its heartbeat as the API sees it.
        http_json(f"http://127.0.0.1:{layout.ports['scheduler_health']}/health")
        return api_health(layout)["scheduler"]["status"] == "healthy"
    if component in ("dag-processor", "triggerer"):
        return (api_health(layout)[component.replace("-", "_")] or {}).get("status") == "healthy"
    if component == "worker":
        return worker_responds(layout, secret)
    raise ValueError(component)


def worker_responds(layout: Layout, secret: dict[str, str]) -> bool:
    """`celery inspect ping`, as docker-compose's worker health check, through the broker."""
    from celery import Celery

    app = Celery(broker=broker_url(layout, secret))
    try:
        return bool(app.control.ping(timeout=2.0))
    finally:
        app.close()


# ---------------------------------------------------------------- commands

def up(layout: Layout) -> dict[str, float]:
    """Start every component that is not running; returns seconds to healthy per started component."""
    ensure_packages()
    layout.root.mkdir(parents=True, exist_ok=True)
    secret = load_secrets(layout)
    env = airflow_env(layout, secret)
    costs: dict[str, float] = {}
    if read_pid(layout, "postgres") is None:
        costs["postgres"] = start_postgres(layout, secret, env)
    if read_pid(layout, "redis") is None:
        costs["redis"] = start_redis(layout, secret, env)
    prepared = prepare_airflow(layout, secret, env)
    if prepared:
        costs["db migrate, admin user"] = prepared
    # Start together, then wait for each: their imports overlap instead of queueing.
    spawned = {}
    for component in AIRFLOW_COMPONENTS:
        if read_pid(layout, component) is None:
            spawned[component] = (spawn(layout, component, airflow_argv(layout, component), env), time.monotonic())
    for component, (pid, started) in spawned.items():
        wait_until(lambda c=component: component_healthy(layout, secret, c), component, layout, pid)
        costs[component] = time.monotonic() - started
        if component == "api-server":
            ensure_pool(layout, secret)
    write_state(layout, secret, costs)
    return costs


def write_state(layout: Layout, secret: dict[str, str], costs: dict[str, float]) -> None:
    previous = json.loads(layout.state_file.read_text()) if layout.state_file.exists() else {}
    state = {
        "api_url": layout.api_url,
        "ports": layout.ports,
        "admin_user": secret["admin_user"],
        "pids": {c: read_pid(layout, c) for c in COMPONENTS},
        "logs": {c: str(layout.log_file(c)) for c in COMPONENTS},
        "airflow_home": str(layout.airflow_home),
        "start_seconds": {**previous.get("start_seconds", {}), **{k: round(v, 1) for k, v in costs.items()}},
    }
    layout.state_file.write_text(json.dumps(state, indent=1) + "\n")


def down(layout: Layout) -> list[int]:
    """Stop the Airflow components, then Redis and Postgres, each by its recorded pid; returns the
    pids of any of their processes still alive afterwards (none, normally)."""
    recorded = {c: pid for c in COMPONENTS if (pid := read_pid(layout, c)) is not None}
    stop_groups([recorded[c] for c in AIRFLOW_COMPONENTS if c in recorded])
    if "redis" in recorded:
        stop_groups([recorded["redis"]])
    if "postgres" in recorded:
        stop_postgres(layout, dict(os.environ))
    for component in COMPONENTS:
        layout.pid_file(component).unlink(missing_ok=True)
    return descendants_of(set(recorded.values()))


def status(layout: Layout) -> dict[str, str]:
    secret = load_secrets(layout) if (layout.root / "secrets.json").exists() else None
    report = {}
    for component in COMPONENTS:
        pid = read_pid(layout, component)
        if pid is None:
            report[component] = "stopped"
            continue
        try:
            healthy = secret is not None and component_healthy(layout, secret, component)
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            report[component] = f"unhealthy (pid {pid}): {str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__}"
            continue
        report[component] = f"healthy (pid {pid})" if healthy else f"unhealthy (pid {pid})"
    return report


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "help"
    try:
        layout = Layout.from_env()
        if command == "up":
            started = time.monotonic()
            costs = up(layout)
            for name, seconds in costs.items():
                print(f"  {name:<30} {seconds:6.1f} s")
            secret = load_secrets(layout)
            print(f"up in {time.monotonic() - started:.0f} s: API and UI on {layout.api_url} "
                  f"(user {secret['admin_user']}, password in {layout.root / 'secrets.json'}); logs in {layout.logs_dir}")
            return 0
        if command == "down":
            left = down(layout)
            if left:
                print(f"still running after down: pids {left}", file=sys.stderr)
                return 1
            print(f"down: no process of {layout.root} left")
            return 0
        if command == "status":
            report = status(layout)
            for component, state in report.items():
                print(f"  {component:<14} {state}")
            return 0 if all(s.startswith("healthy") for s in report.values()) else 1
    except TeamError as exc:
        print(f"team: {exc}", file=sys.stderr)
        return 1
    except urllib.error.HTTPError as exc:
        print(f"team: {exc.url}: HTTP {exc.code} {exc.read()[:300].decode(errors='replace')}", file=sys.stderr)
        return 1
    print(__doc__.strip())
    return 0 if command in ("help", "-h", "--help") else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
