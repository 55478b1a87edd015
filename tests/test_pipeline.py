"""Write-audit-publish end to end: bad data is stopped, the published warehouse stays byte-identical.

One published warehouse (four good synthetic days) is built once per module; each test works on a
copy of that data root.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from paperhouse import lake, pipeline
from paperhouse.export import latest_export
from paperhouse.settings import Settings
from paperhouse.synth import generate_page, iter_feed

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

START = dt.date(2026, 3, 1)
GOOD_DAYS = 4
PAPERS = 30


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _count(path: Path, sql: str):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


@pytest.fixture(scope="module")
def feed_days():
    """Five days of synthetic papers: four published, the fifth is each test's new day."""
    return list(iter_feed(GOOD_DAYS + 1, PAPERS, seed=7, start=START))


@pytest.fixture(scope="module")
def published_home(tmp_path_factory, feed_days) -> Path:
    home = tmp_path_factory.mktemp("published") / "home"
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(home)})
    settings.feed_dir.mkdir(parents=True)
    for day, entries in feed_days[:GOOD_DAYS]:
        (settings.feed_dir / f"{day}.txt").write_text(generate_page(day, entries, seed=1), encoding="utf-8")
    report = pipeline.run(settings)
    assert report.ok and report.published, report.summary()
    return home


@pytest.fixture
def home(published_home, tmp_path, monkeypatch) -> Settings:
    copy = tmp_path / "home"
    shutil.copytree(published_home, copy, symlinks=True)
    monkeypatch.setenv("PAPERHOUSE_HOME", str(copy))
    monkeypatch.delenv("PAPERHOUSE_FEED_DIR", raising=False)
    return Settings.from_env()


def _export_leftovers(settings: Settings) -> list[str]:
    """An export's working names (its lock file is kept)."""
    return [p.name for p in settings.exports_dir.iterdir() if p.name.startswith((".tmp-", ".old-", ".latest-"))]


def _new_day(settings: Settings, feed_days, entries=None, text: str | None = None) -> dt.date:
    day, day_entries = feed_days[GOOD_DAYS]
    page = text if text is not None else generate_page(day, entries if entries is not None else day_entries, seed=1)
    (settings.feed_dir / f"{day}.txt").write_text(page, encoding="utf-8")
    return day


def test_published_warehouse_holds_the_good_days(home):
    assert _count(home.warehouse_path, "select count(*) from dim_snapshots") == GOOD_DAYS
    assert _count(home.warehouse_path, "select count(*) from fct_paper_appearances") == GOOD_DAYS * PAPERS
    assert (home.exports_dir / "latest" / "manifest.json").exists()


def _results_without_a_page(settings: Settings) -> list[str]:
    stored = settings.quality_dir / "gx" / "uncommitted" / "validations"
    pages = settings.quality_dir / "data_docs" / "validations"
    return [str(path.relative_to(stored)) for path in stored.rglob("*.json")
            if not (pages / path.relative_to(stored)).with_suffix(".html").is_file()]


def test_a_run_renders_both_gates_results_in_data_docs(home):
    # The site is built once per run, after the marts gate, for the raw gate's results too.
    stored = home.quality_dir / "gx" / "uncommitted" / "validations"
    assert {path.name for path in stored.glob("*")} >= {"raw_entries", "raw_volume", "marts_violations"}
    assert _results_without_a_page(home) == []


def test_misaligned_page_is_stopped(home, feed_days):
    before = _digest(home.warehouse_path)
    day, entries = feed_days[GOOD_DAYS]
    lines = generate_page(day, entries, layout="line_per_field", seed=1).split("\n")
    del lines[len(lines) // 2]  # one line lost: every later title would meet the wrong abstract
    lines.append(entries[0].paper.title)  # keep the line count even
    _new_day(home, feed_days, text="\n".join(lines))
    report = pipeline.run(home)
    assert not report.ok
    (rejected,) = report.ingest.by_status("rejected")
    assert "misaligned" in rejected.reason and f"{day}.txt:" in rejected.reason
    assert _digest(home.warehouse_path) == before
    assert day not in lake.partition_dates(home.lake_dir)
    assert any(p.name.endswith(".why.json") for p in home.quarantine_dir.iterdir())


def test_truncated_page_is_stopped(home, feed_days):
    before = _digest(home.warehouse_path)
    day, entries = feed_days[GOOD_DAYS]
    page = generate_page(day, entries, seed=1)
    _new_day(home, feed_days, text=page[: page.rindex(entries[-1].paper.abstract)])  # cut after the last title
    report = pipeline.run(home)
    assert not report.ok
    (rejected,) = report.ingest.by_status("rejected")
    assert "truncated" in rejected.reason and f"{day}.txt:" in rejected.reason
    assert _digest(home.warehouse_path) == before
    assert day not in lake.partition_dates(home.lake_dir)


def test_thin_day_is_published_with_a_volume_warning(home, feed_days):
    import json

    from paperhouse.alerts import failures_log_path
    from paperhouse.quality.results import latest_results_json

    day, entries = feed_days[GOOD_DAYS]
    _new_day(home, feed_days, entries=entries[: PAPERS // 3])
    report = pipeline.run(home)
    assert report.ok and report.published, report.summary()
    (warning,) = report.gate_warnings
    assert warning == (f"raw gate warning for {day}: entry_count_out_of_range: 10 rows, "
                       f"expected 15..90 entries (median 30 of the last 4 days)")
    assert "warnings: " + warning in report.summary()
    assert _count(home.warehouse_path, f"select count(*) from fct_paper_appearances where snapshot_date = '{day}'") == 10
    assert any(line.endswith(warning) for line in failures_log_path(home).read_text().splitlines())
    (latest,) = [r for r in json.loads(latest_results_json(home)) if r["stage"] == "raw" and r["subject"] == str(day)]
    assert latest["ok"] and latest["warnings"] == ["entry_count_out_of_range"] and latest["failed"] == []


def test_volume_set_to_stop_stops_a_thin_day_until_released(home, feed_days, monkeypatch):
    from paperhouse.quality import quarantine

    monkeypatch.setenv("PAPERHOUSE_GATE_VOLUME", "stop")
    home = Settings.from_env()
    before = _digest(home.warehouse_path)
    day, entries = feed_days[GOOD_DAYS]
    _new_day(home, feed_days, entries=entries[: PAPERS // 3])
    report = pipeline.run(home)
    assert not report.ok and not report.gate_warnings
    (failure,) = report.gate_failures
    assert "entry_count_out_of_range" in failure and "\n" not in failure
    assert _digest(home.warehouse_path) == before  # published untouched
    assert day not in lake.partition_dates(home.lake_dir)  # and the lake no longer holds the day
    (record,) = [r for r in quarantine.list_quarantined(home) if r.stage == "raw_gate"]
    assert record.snapshot_date == day.isoformat() and "entry_count_out_of_range" in record.failed_checks

    # A person judges the day good (a quiet weekend) and releases it; the next run takes it in.
    quarantine.release(home, record.snapshot_id[:10], note="quiet weekend")
    (home.feed_dir / f"{day}.txt").unlink()  # the release alone must bring it back
    report = pipeline.run(home)
    assert report.ok and report.published, report.summary()
    assert _count(home.warehouse_path, "select count(*) from dim_snapshots") == GOOD_DAYS + 1
    assert lake.snapshot_for_date(home.lake_dir, day)["waived_checks"] == ["entry_count_out_of_range"]


def test_corrupted_mart_is_stopped(home, feed_days, monkeypatch):
    from paperhouse import warehouse

    before = _digest(home.warehouse_path)
    real_build = warehouse.build_staging

    def build_then_corrupt(settings, **kwargs):
        result = real_build(settings, **kwargs)
        with duckdb.connect(str(settings.staging_warehouse_path)) as con:  # a duplicated paper, by hand
            con.execute("insert into dim_papers select * from dim_papers limit 1")
        return result

    monkeypatch.setattr(warehouse, "build_staging", build_then_corrupt)
    day = _new_day(home, feed_days)
    report = pipeline.run(home)
    assert not report.ok
    (failure,) = report.gate_failures
    assert "duplicate_paper_id: 2 of " in failure  # the paper copied once: its two rows
    assert _digest(home.warehouse_path) == before
    assert not home.staging_warehouse_path.exists()
    assert day not in lake.partition_dates(home.lake_dir)
    # The export written while the gate audited the build was discarded: `latest` did not move.
    assert latest_export(home).name == max(d for d, _ in feed_days[:GOOD_DAYS]).isoformat()
    assert not _export_leftovers(home)


def test_a_day_the_raw_gate_stops_is_left_out_of_the_build_made_while_it_ran(home, monkeypatch):
    monkeypatch.setenv("PAPERHOUSE_GATE_VOLUME", "stop")
    home = Settings.from_env()
    (good_day, good_entries), (thin_day, thin_entries) = list(iter_feed(GOOD_DAYS + 2, PAPERS, seed=7, start=START))[GOOD_DAYS:]
    (home.feed_dir / f"{good_day}.txt").write_text(generate_page(good_day, good_entries, seed=1), encoding="utf-8")
    (home.feed_dir / f"{thin_day}.txt").write_text(generate_page(thin_day, thin_entries[: PAPERS // 3], seed=1),
                                                   encoding="utf-8")
    lake_days_at_build = []
    real_attempt = pipeline._attempt_build

    def attempt(settings, *args):
        lake_days_at_build.append(set(lake.partition_dates(settings.lake_dir)))
        return real_attempt(settings, *args)

    monkeypatch.setattr(pipeline, "_attempt_build", attempt)
    report = pipeline.run(home)
    # Built once while the worker audited both days, then again without the day it stopped.
    assert [{good_day, thin_day} <= days for days in lake_days_at_build] == [True, False]
    assert good_day in lake_days_at_build[1] and thin_day not in lake_days_at_build[1]
    assert report.published and not report.ok
    (failure,) = report.gate_failures
    assert "entry_count_out_of_range" in failure and thin_day.isoformat() in failure
    published = {row[0] for row in duckdb.connect(str(home.warehouse_path), read_only=True)
                 .execute("select snapshot_date from dim_snapshots").fetchall()}
    assert good_day in published and thin_day not in published
    assert latest_export(home).name == good_day.isoformat()


def test_an_export_that_fails_before_the_marts_gate_answers_still_publishes_a_passed_build(home, feed_days,
                                                                                        monkeypatch):
    from paperhouse import export

    before = latest_export(home)
    day = _new_day(home, feed_days)

    def disk_full(settings, source, staging, run_id):
        raise OSError(28, "No space left on device", str(staging / "dim_papers.csv"))

    monkeypatch.setattr(export, "_write_export", disk_full)
    with pytest.raises(OSError, match="No space left"):
        pipeline.run(home)
    assert _count(home.warehouse_path, f"select count(*) from dim_snapshots where snapshot_date = '{day}'") == 1
    assert not home.staging_warehouse_path.exists()  # published: the audited file itself
    assert latest_export(home) == before and not _export_leftovers(home)

    monkeypatch.undo()
    report = pipeline.run(home)  # nothing new to build: the next run only exports what is published
    assert report.ok and not report.published and report.exported
    assert latest_export(home).name == day.isoformat()


def test_a_row_breaking_a_mart_constraint_stops_the_build_and_quarantines_the_day(home, feed_days, monkeypatch):
    from paperhouse import warehouse
    from paperhouse.quality import quarantine

    before = _digest(home.warehouse_path)
    real_prepare = warehouse._prepare_staging

    def prepare_then_lose_titles(settings, full_refresh):
        staging = real_prepare(settings, full_refresh)
        with duckdb.connect(str(staging)) as con:  # titles lost in the warehouse's copy of the entries
            con.execute("update intermediate.int_entries set title = null")
        return staging

    monkeypatch.setattr(warehouse, "_prepare_staging", prepare_then_lose_titles)
    day = _new_day(home, feed_days)
    report = pipeline.run(home)
    assert not report.ok
    (failure,) = report.gate_failures
    # dim_papers.title is declared not_null: DuckDB refuses the row while dbt writes the model
    assert "model.paperhouse.dim_papers: Constraint Error: NOT NULL constraint failed" in failure
    assert "\n" not in failure
    assert _digest(home.warehouse_path) == before
    assert not home.staging_warehouse_path.exists()
    assert day not in lake.partition_dates(home.lake_dir)
    (record,) = [r for r in quarantine.list_quarantined(home) if r.stage == "build"]
    assert record.snapshot_date == day.isoformat() and record.failed_checks == ["model.paperhouse.dim_papers"]


def test_killed_build_leaves_the_published_warehouse_and_the_next_run_recovers(home, feed_days):
    before = _digest(home.warehouse_path)
    day = _new_day(home, feed_days)
    env = {**os.environ, "PAPERHOUSE_HOME": str(home.home)}
    proc = subprocess.Popen([sys.executable, "-m", "paperhouse.cli", "run"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while not home.staging_warehouse_path.exists():  # dbt has started writing the staging copy
            assert proc.poll() is None, "run ended before the build started"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(1.0)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert _digest(home.warehouse_path) == before
    assert _count(home.warehouse_path, "select count(*) from dim_snapshots") == GOOD_DAYS

    report = pipeline.run(home)  # recovers on its own: the lake holds the day, the build starts fresh
    assert report.ok and report.published, report.summary()
    assert _count(home.warehouse_path, f"select count(*) from dim_snapshots where snapshot_date = '{day}'") == 1
