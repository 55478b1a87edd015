"""Airflow as its users run it: a fresh AIRFLOW_HOME whose dags and plugins folders are the
repository's `dags/` and `plugins/` (the official docker-compose layout), SQLite, `airflow db
migrate`, then `airflow dags test paperhouse_daily <day>` as a subprocess for two seed days and
one day the feed does not have, with no PAPERHOUSE_START_DATE. Few Airflow start-ups: each is slow."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT, SEED_FILES, SHARED_DIR
from paperhouse.alerts import failures_log_path
from paperhouse.settings import Settings
from paperhouse.warehouse import query

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

AIRFLOW = str(Path(sys.executable).with_name("airflow"))
SEED_APPEARANCES = {"2026-08-09": 54, "2026-08-10": 234}
MISSING_DAY = "2026-08-14"

PLUGIN_CHECK = """
import http, sys
from airflow import plugins_manager
from airflow.dag_processing.dagbag import DagBag
print("PLUGIN_ERRORS", plugins_manager.get_import_errors())
bag = DagBag()
print("DAG_ERRORS", bag.import_errors)
print("DAGS", sorted(bag.dag_ids))
print("HTTP_IS_STDLIB", hasattr(http, "HTTPStatus") and "feeds" not in str(getattr(sys.modules["http"], "__file__", "")))
"""


def _airflow(env: dict, *args: str, log: Path) -> subprocess.CompletedProcess:
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"\n$ airflow {' '.join(args)}\n")
        out.flush()
        return subprocess.run([AIRFLOW, *args], env=env, stdout=out, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, cwd=env["AIRFLOW_HOME"])


@pytest.fixture(scope="module")
def standard_layout(tmp_path_factory):
    """One fresh Airflow home in the standard layout, migrated once; the daily DAG tested for the
    seed days and for a missing day. Returns (settings, env, exit codes by day, log path)."""
    seeds = SHARED_DIR / "seeds"
    if not seeds.is_dir():
        pytest.fail("../shared/seeds is not present: the standard-layout test needs the seed files")
    root = tmp_path_factory.mktemp("standard_layout")
    feed = root / "feed"
    feed.mkdir()
    for prefix, day in SEED_FILES.items():
        if day in SEED_APPEARANCES:
            (source,) = seeds.glob(prefix + "*.txt")
            shutil.copyfile(source, feed / f"{day}.txt")
    home = root / "airflow_home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "PAPERHOUSE_"))}
    env.update({
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "PAPERHOUSE_HOME": str(root / "paperhouse"),
        "PAPERHOUSE_FEED_DIR": str(feed),
    })
    log = root / "airflow.log"
    assert _airflow(env, "db", "migrate", log=log).returncode == 0, f"see {log}"
    codes = {day: _airflow(env, "dags", "test", "paperhouse_daily", day, log=log).returncode
             for day in [*SEED_APPEARANCES, MISSING_DAY]}
    settings = Settings.from_env({"PAPERHOUSE_HOME": env["PAPERHOUSE_HOME"], "PAPERHOUSE_FEED_DIR": str(feed)})
    return settings, env, codes, log


def test_dags_test_leaves_each_seed_day_in_the_warehouse(standard_layout):
    settings, _env, codes, log = standard_layout
    assert {day: codes[day] for day in SEED_APPEARANCES} == {day: 0 for day in SEED_APPEARANCES}, f"see {log}"
    _columns, rows = query(settings, """
        select strftime(snapshot_date, '%Y-%m-%d'), count(*) from fct_paper_appearances group by 1 order by 1""")
    assert dict(rows) == SEED_APPEARANCES
    text = log.read_text(errors="replace")
    assert "cannot import name" not in text and "ImportError" not in text


def test_a_day_the_feed_does_not_have_fails_with_a_one_line_reason(standard_layout):
    settings, _env, codes, log = standard_layout
    assert codes[MISSING_DAY] != 0, f"an empty run must not be a success; see {log}"
    lines = [line for line in failures_log_path(settings).read_text().splitlines() if MISSING_DAY in line]
    assert len(lines) == 1 and f"paperhouse_daily.fetch {MISSING_DAY}" in lines[0]
    assert f"no snapshot for {MISSING_DAY}" in lines[0]


def test_plugins_folder_loads_without_import_errors(standard_layout):
    _settings, env, _codes, log = standard_layout
    done = subprocess.run([sys.executable, "-c", PLUGIN_CHECK], env=env, capture_output=True, text=True,
                          cwd=env["AIRFLOW_HOME"])
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "PLUGIN_ERRORS {}" in out and "DAG_ERRORS {}" in out, out
    assert "DAGS ['paperhouse_backfill', 'paperhouse_daily', 'paperhouse_export']" in out
    assert "HTTP_IS_STDLIB True" in out  # plugins/paperhouse/feeds/http.py is not the module `http`
