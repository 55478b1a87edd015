"""Airflow embedded in the project, for a laptop: an Airflow home in ./airflow_home with a SQLite
metadata DB, our dags/ folder, low parallelism and no examples.

    python -m paperhouse.embedded run          # sample feed if none, the daily DAG for each day, a summary
    python -m paperhouse.embedded standalone   # `airflow standalone` (UI, scheduler) on the same home

Airflow reads its configuration when it is first imported, so everything that touches Airflow
runs in a child process started with `airflow_env()`; this module itself never imports Airflow
outside the child's entry point (`dag-test`).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import click

from paperhouse.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]  # plugins/paperhouse/embedded.py -> the repository
DAGS_DIR = REPO_ROOT / "dags"
PLUGINS_DIR = REPO_ROOT / "plugins"
DEFAULT_AIRFLOW_HOME = REPO_ROOT / "airflow_home"
DAILY_DAG_ID = "paperhouse_daily"
EXPORT_DAG_ID = "paperhouse_export"
SAMPLE_DAYS = 3
SAMPLE_PAPERS_PER_DAY = 40
MIGRATED_STAMP = ".paperhouse-migrated"  # holds the Airflow version the DB was migrated for
RUN_LOG = "embedded-run.log"


@dataclass
class DagRunResult:
    """How one DAG run ended."""
    dag_id: str
    snapshot_date: str | None                    # the daily DAG's day; None for the export DAG
    state: str                                   # the DAG run's state: success | failed
    task_states: dict[str, str | None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.state == "success"

    @property
    def failed_tasks(self) -> list[str]:
        return [task for task, state in self.task_states.items() if state in ("failed", "upstream_failed")]


def airflow_env(settings: Settings, airflow_home: Path, start_date: dt.date | None = None,
                base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of every Airflow process of the embedded setup."""
    airflow_home = Path(airflow_home).absolute()
    env = dict(os.environ if base is None else base)
    if start_date is not None:
        settings = dataclasses.replace(settings, start_date=start_date.isoformat())
    env.update(settings.as_env())
    # `airflow standalone` starts its components as `airflow ...` found on PATH: use this interpreter's.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), *filter(None, [env.get("PATH")])])
    env.update({
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PLUGINS_DIR),  # the standard layout, as in docker-compose
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{airflow_home / 'airflow.db'}",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
    })
    # A laptop: few concurrent tasks, one parsing process, one API worker, the UI on localhost
    # only. These are defaults: an AIRFLOW__* variable already set wins.
    for key, value in {
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": "2",
        "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API__HOST": "127.0.0.1",
    }.items():
        env.setdefault(key, value)
    return env


def _airflow(env: Mapping[str, str], *args: str, log_path: Path) -> None:
    """Run one `airflow` CLI command quietly; its output goes to log_path."""
    with open(log_path, "a", encoding="utf-8") as log:
        done = subprocess.run([sys.executable, "-m", "airflow", *args], env=dict(env), stdout=log,
                              stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise click.ClickException(f"`airflow {' '.join(args)}` failed (exit {done.returncode}); see {log_path}")


def prepare_airflow_home(env: Mapping[str, str]) -> Path:
    """Create the Airflow home, migrate its metadata DB and create the writer pool, once per
    Airflow version. Returns the home."""
    from paperhouse.orchestration import WAREHOUSE_POOL, WAREHOUSE_POOL_DESCRIPTION

    home = Path(env["AIRFLOW_HOME"])
    (home / "logs").mkdir(parents=True, exist_ok=True)
    stamp = home / MIGRATED_STAMP
    version = _airflow_version()
    if stamp.exists() and stamp.read_text().strip() == version:
        return home
    log_path = home / "logs" / "setup.log"
    _airflow(env, "db", "migrate", log_path=log_path)
    _airflow(env, "pools", "set", WAREHOUSE_POOL, "1", WAREHOUSE_POOL_DESCRIPTION, log_path=log_path)
    stamp.write_text(version + "\n")
    return home


def _airflow_version() -> str:
    from importlib.metadata import version

    return version("apache-airflow-core")


def ensure_sample_feed(settings: Settings) -> list[Path]:
    """Write the synthetic sample feed when the feed directory is missing or empty."""
    if settings.feed_dir.is_dir() and any(settings.feed_dir.iterdir()):
        return []
    from paperhouse.synth import write_feed

    return write_feed(settings.feed_dir, days=SAMPLE_DAYS, papers_per_day=SAMPLE_PAPERS_PER_DAY)


def feed_dates(settings: Settings) -> list[dt.date]:
    """The snapshot dates the feed directory holds (files named YYYY-MM-DD.<ext>), oldest first."""
    from paperhouse.ingest import date_from_name

    if not settings.feed_dir.is_dir():
        return []
    return sorted({day for p in settings.feed_dir.iterdir() if p.is_file() and (day := date_from_name(p))})


def run_dags(env: Mapping[str, str], dates: list[dt.date], log_path: Path,
             echo: Callable[[str], None] | None = None, export: bool = True) -> list[DagRunResult]:
    """Run the daily DAG for real for each date (Airflow's `dag.test`, all in one child process),
    then, if `export` and a day was published, the export DAG (the scheduler would have started it
    on the warehouse Asset). Airflow's output goes to log_path; `echo` gets a line per DAG run."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    results_path = log_path.with_suffix(".results.jsonl")
    results_path.unlink(missing_ok=True)
    command = [sys.executable, "-m", "paperhouse.embedded", "dag-test", "--results", str(results_path),
               *(["--export"] if export else []), *(d.isoformat() for d in dates)]
    runs: list[DagRunResult] = []
    with open(log_path, "w", encoding="utf-8") as log:
        child = subprocess.Popen(command, env=dict(env), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        while True:
            finished = child.poll() is not None
            runs = _read_results(results_path, runs, echo)
            if finished:
                break
            time.sleep(0.5)
    if child.returncode != 0 or len(runs) < len(dates):
        raise click.ClickException(f"the Airflow child process stopped (exit {child.returncode}) after "
                                   f"{len(runs)} DAG runs for {len(dates)} days; see {log_path}")
    return runs


def _read_results(results_path: Path, runs: list[DagRunResult],
                  echo: Callable[[str], None] | None) -> list[DagRunResult]:
    if not results_path.exists():
        return runs
    lines = results_path.read_text(encoding="utf-8").splitlines()
    complete = [line for line in lines if line.endswith("}")]  # the last line may be half written
    for line in complete[len(runs):]:
        run = DagRunResult(**json.loads(line))
        runs = [*runs, run]
        if echo:
            failed = f" (failed: {', '.join(run.failed_tasks)})" if run.failed_tasks else ""
            echo(f"  {' '.join(filter(None, [run.dag_id, run.snapshot_date]))}: {run.state}{failed}")
    return runs


def _dag_test(dates: list[str], results_path: Path, export: bool) -> None:
    """The child: load the DAG folder, run the daily DAG once per date, then maybe the export DAG."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    if bag.import_errors:
        raise click.ClickException(f"DAG import errors: {bag.import_errors}")
    published = False
    for day in dates:
        logical = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), tzinfo=dt.timezone.utc)
        dag_run = bag.dags[DAILY_DAG_ID].test(logical_date=logical)
        published |= _record(results_path, DAILY_DAG_ID, day, dag_run)
    if export and published:
        _record(results_path, EXPORT_DAG_ID, None, bag.dags[EXPORT_DAG_ID].test(logical_date=None))


def _record(results_path: Path, dag_id: str, day: str | None, dag_run) -> bool:
    """Append the run's outcome to the results file; True when it succeeded."""
    state = _state_name(dag_run.state)
    states = {ti.task_id: _state_name(ti.state) for ti in dag_run.get_task_instances()}
    with open(results_path, "a", encoding="utf-8") as out:
        out.write(json.dumps({"dag_id": dag_id, "snapshot_date": day, "state": state, "task_states": states}) + "\n")
    return state == "success"


def _state_name(state) -> str | None:
    """Airflow states are str enums, sometimes plain strings: 'success', 'failed', ..."""
    return None if state is None else str(getattr(state, "value", state))


def warehouse_summary(settings: Settings) -> list[str]:
    """A few lines about what the published warehouse holds."""
    from paperhouse.warehouse import query

    def records(sql: str) -> list[dict]:
        columns, rows = query(settings, sql)
        return [dict(zip(columns, row)) for row in rows]

    (totals,) = records("""
        select (select count(*) from dim_papers) as papers, (select count(*) from dim_repos) as repos,
               (select count(*) from fct_claims) as claims""")
    lines = [f"  {totals['papers']} papers, {totals['repos']} repositories, {totals['claims']} claims; by day:"]
    lines += [f"  {r['snapshot_date']}: {r['papers']} papers ({r['new_papers']} new), "
              f"{r['papers_with_code']} with code, {r['claims']} claims"
              for r in records("select * from agg_daily_feed order by snapshot_date")]
    # The analyst's question: which papers claim the largest gains, and do they ship code?
    top = records("""
        select c.text, c.metric, p.title, p.has_code
        from fct_claims c join dim_papers p using (paper_id)
        where c.kind = 'gain' and c.unit = 'percent'
        qualify row_number() over (partition by c.paper_id order by c.value desc) = 1
        order by c.value desc limit 3""")
    if top:
        lines.append("  largest percentage gains claimed:")
        lines += [f"    {r['text']} ({r['metric'] or 'unnamed metric'}) - {r['title'][:60]}"
                  f"{' [code]' if r['has_code'] else ''}" for r in top]
    lines.append(f"  query it: uv run paperhouse query \"select * from agg_daily_feed\"")
    return lines


def run(settings: Settings, airflow_home: Path = DEFAULT_AIRFLOW_HOME,
        echo: Callable[[str], None] = click.echo) -> list[DagRunResult]:
    """The main command: sample feed (when there is no feed), the daily DAG for each of its days
    through a real Airflow (SQLite metadata DB), then where the results are."""
    started = time.monotonic()
    if settings.source == "dir":
        generated = ensure_sample_feed(settings)
        if generated:
            echo(f"wrote a sample feed of {len(generated)} days to {settings.feed_dir}")
        dates = feed_dates(settings)
    else:
        today = dt.datetime.now(dt.timezone.utc).date()
        dates = [today - dt.timedelta(days=n) for n in range(SAMPLE_DAYS, 0, -1)]
    if not dates:
        raise click.ClickException(f"{settings.feed_dir}: no snapshot files named YYYY-MM-DD.txt or .json")
    env = airflow_env(settings, airflow_home, start_date=dates[0])
    home = prepare_airflow_home(env)
    echo(f"running {DAILY_DAG_ID} for {len(dates)} days with Airflow in {home}")
    runs = run_dags(env, dates, home / "logs" / RUN_LOG, echo)
    echo(f"done in {time.monotonic() - started:.0f} s; Airflow log: {home / 'logs' / RUN_LOG}")
    if settings.warehouse_path.exists():
        echo(f"warehouse: {settings.warehouse_path}")
        from paperhouse.export import latest_export

        exported = latest_export(settings)
        echo(f"exports:   {exported if exported else 'none (the export DAG did not run)'}")
        for line in warehouse_summary(settings):
            echo(line)
    failures = [r for r in runs if not r.ok]
    if failures:
        from paperhouse.alerts import failures_log_path

        echo(f"{len(failures)} of {len(runs)} DAG runs failed; one line per failed task in {failures_log_path(settings)}")
    _echo_report_path(settings, echo)
    return runs


def _echo_report_path(settings: Settings, echo: Callable[[str], None]) -> None:
    """The last line of a run: the HTML digest of the latest export, the page a person opens."""
    from paperhouse.export import latest_export
    from paperhouse.report import REPORT_FILE

    exported = latest_export(settings)
    if exported and (exported / REPORT_FILE).is_file():
        echo(f"report:    {exported / REPORT_FILE}")


def standalone(settings: Settings, airflow_home: Path = DEFAULT_AIRFLOW_HOME) -> int:
    """`airflow standalone` (API server + UI, scheduler, DAG processor, triggerer) on the embedded home."""
    dates = feed_dates(settings) if settings.source == "dir" else []
    env = airflow_env(settings, airflow_home, start_date=dates[0] if dates else None)
    prepare_airflow_home(env)
    return subprocess.call([sys.executable, "-m", "airflow", "standalone"], env=env)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """paperhouse with an embedded Airflow (SQLite metadata DB in ./airflow_home)."""


@main.command("run")
@click.option("--airflow-home", type=click.Path(path_type=Path), default=DEFAULT_AIRFLOW_HOME, show_default=True)
def run_command(airflow_home: Path) -> None:
    """Run the daily DAG over the feed (a sample feed is written when there is none)."""
    runs = run(Settings.from_env(), airflow_home)
    sys.exit(0 if all(r.ok for r in runs) else 1)


@main.command("standalone")
@click.option("--airflow-home", type=click.Path(path_type=Path), default=DEFAULT_AIRFLOW_HOME, show_default=True)
def standalone_command(airflow_home: Path) -> None:
    """Start `airflow standalone` (UI on http://localhost:8080) with the embedded configuration."""
    sys.exit(standalone(Settings.from_env(), airflow_home))


@main.command("dag-test", hidden=True)
@click.option("--results", "results_path", type=click.Path(path_type=Path), required=True)
@click.option("--export", is_flag=True, help="Run the export DAG after a day was published.")
@click.argument("dates", nargs=-1, required=True)
def dag_test_command(results_path: Path, export: bool, dates: tuple[str, ...]) -> None:
    """(internal) the child process of `run`: needs the environment from airflow_env()."""
    _dag_test(list(dates), results_path, export)


if __name__ == "__main__":
    main()
