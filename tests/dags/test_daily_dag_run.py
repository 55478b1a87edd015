"""The daily DAG run for real by Airflow (dag.test in a child process, SQLite metadata DB): the
three shared seeds become a published warehouse; bad days fail and leave it byte-identical."""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_ENTRIES, SEED_FILES, page_text, require_shared
from paperhouse import embedded
from paperhouse.alerts import failures_log_path
from paperhouse.export import WAREHOUSE_COPY, latest_export
from paperhouse.settings import Settings
from paperhouse.warehouse import query

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

SEED_APPEARANCES = {"2026-08-09": 54, "2026-08-10": 234, "2026-08-11": 60}


@pytest.fixture(scope="module")
def seeded(request, tmp_path_factory):
    """The seeds as 2026-08-09..11 in a feed dir, and the daily DAG run for each day."""
    seeds = require_shared("seeds")
    airflow_home = request.getfixturevalue("airflow_home")  # migrated only when there is something to run
    root = tmp_path_factory.mktemp("seeded")
    feed = root / "feed"
    feed.mkdir()
    for prefix, day in SEED_FILES.items():
        (source,) = seeds.glob(prefix + "*.txt")
        shutil.copyfile(source, feed / f"{day}.txt")
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(root / "home"), "PAPERHOUSE_FEED_DIR": str(feed)})
    env = embedded.airflow_env(settings, airflow_home, start_date=dt.date(2026, 8, 9))
    days = [dt.date.fromisoformat(day) for day in SEED_FILES.values()]
    runs = embedded.run_dags(env, days, root / "seed-run.log")
    return settings, env, runs, root


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_seed_days_publish_every_appearance(seeded):
    settings, _env, runs, root = seeded
    expected = [("paperhouse_daily", d, "success") for d in SEED_APPEARANCES] + [("paperhouse_export", None, "success")]
    assert [(r.dag_id, r.snapshot_date, r.state) for r in runs] == expected, f"see {root / 'seed-run.log'}"
    assert all(state == "success" for r in runs for state in r.task_states.values())
    _columns, rows = query(settings, """
        select strftime(snapshot_date, '%Y-%m-%d'), count(*) from fct_paper_appearances group by 1 order by 1""")
    assert dict(rows) == SEED_APPEARANCES
    assert not settings.staging_warehouse_path.exists()  # published by rename, nothing left behind
    assert not failures_log_path(settings).exists()
    exported = latest_export(settings)
    assert exported is not None and (exported / WAREHOUSE_COPY).is_file()


def test_thin_day_is_published_with_a_warning_and_a_misaligned_day_fails(seeded):
    settings, env, _runs, root = seeded
    # 2026-08-12: a well-formed page with 4 entries, far below the seeds' median of 60: published, with a warning.
    (settings.feed_dir / "2026-08-12.txt").write_text(page_text(SAMPLE_ENTRIES))
    (thin_day, _export) = embedded.run_dags(env, [dt.date(2026, 8, 12)], root / "thin-run.log")
    assert thin_day.state == "success" and set(thin_day.task_states.values()) == {"success"}, f"see {root / 'thin-run.log'}"
    _columns, rows = query(settings, "select count(*) from fct_paper_appearances where snapshot_date = '2026-08-12'")
    assert rows == [(len(SAMPLE_ENTRIES),)]
    alerts = failures_log_path(settings).read_text().splitlines()
    assert any("raw gate warning for 2026-08-12: entry_count_out_of_range: 4 rows" in line for line in alerts), alerts

    published = settings.warehouse_path
    before = _sha256(published)
    # 2026-08-13: a page missing one title line, so every later title/abstract pair is shifted.
    lines = page_text(SAMPLE_ENTRIES).split("\n\n")
    missing_title = lines.index(SAMPLE_ENTRIES[1][0])
    (settings.feed_dir / "2026-08-13.txt").write_text("\n\n".join(lines[:missing_title] + lines[missing_title + 1:]))

    exports_before = sorted(p.name for p in settings.exports_dir.iterdir())
    runs = embedded.run_dags(env, [dt.date(2026, 8, 13)], root / "bad-run.log")

    (misaligned_day,) = runs  # and no export run: nothing was published
    assert misaligned_day.state == "failed", f"see {root / 'bad-run.log'}"
    assert misaligned_day.task_states["ingest"] == "failed"
    assert misaligned_day.task_states["gate_raw"] == "upstream_failed"
    assert {misaligned_day.task_states[t] for t in ("build", "gate_marts", "publish")} == {"upstream_failed"}
    assert _sha256(published) == before
    assert sorted(p.name for p in settings.exports_dir.iterdir()) == exports_before
    assert not settings.staging_warehouse_path.exists()
    failures = failures_log_path(settings).read_text().splitlines()
    assert any("paperhouse_daily.ingest 2026-08-13 try 1/3: FeedError" in line for line in failures), failures
    assert [p.suffix for p in settings.quarantine_dir.glob("*.txt")] == [".txt"]
