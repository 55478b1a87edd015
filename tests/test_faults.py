"""Fault injection: `paperhouse run` is SIGKILLed at each step, and the next run must end where an
uninterrupted run ends: the same warehouse contents and the same exports (compared as tables, not
bytes: ingestion times differ), and nothing left half-done.

A small synthetic feed: two days published, a third arriving. The process kills itself at a named
step through PAPERHOUSE_CRASH_AT (see paperhouse.faults), the way a power cut would stop it.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from paperhouse import pipeline
from paperhouse.faults import CRASH_ENV, STEPS
from paperhouse.settings import Settings
from paperhouse.synth import generate_page, iter_feed

pytestmark = [pytest.mark.slow, pytest.mark.timeout(3600)]

START = dt.date(2026, 5, 1)
PAPERS = 20
VOLATILE = {"ingested_at"}  # set by the clock of the run that ingested the day


def _write_day(settings: Settings, day: dt.date, entries) -> None:
    settings.feed_dir.mkdir(parents=True, exist_ok=True)
    (settings.feed_dir / f"{day}.txt").write_text(generate_page(day, entries, seed=1), encoding="utf-8")


def _cli_run(home: Path, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERHOUSE_HOME": str(home)}
    env.pop("PAPERHOUSE_FEED_DIR", None)
    env.pop(CRASH_ENV, None)
    if crash_at:
        env[CRASH_ENV] = crash_at
    return subprocess.run([sys.executable, "-m", "paperhouse.cli", "run"], env=env, capture_output=True, text=True,
                          timeout=1200)


def _relative(row: tuple, home: Path) -> tuple:
    """Paths under the data root written relative to it (each test works in its own copy)."""
    return tuple(v.replace(str(home), "<home>") if isinstance(v, str) else v for v in row)


def _tables(path: Path, home: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without the columns that hold the time of ingestion."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main' order by 1").fetchall()]
        out = {}
        for name in names:
            columns = [r[0] for r in con.execute(
                "select column_name from duckdb_columns() where schema_name = 'main' and table_name = ? "
                "order by column_index", [name]).fetchall() if r[0] not in VOLATILE]
            rows = con.execute(f'select {", ".join(chr(34) + c + chr(34) for c in columns)} from "{name}"').fetchall()
            out[name] = sorted((_relative(row, home) for row in rows), key=repr)
    return out


def _export_state(settings: Settings) -> dict:
    """What BI sees: latest's date, the manifest's tables and row counts, each CSV's rows."""
    latest = settings.exports_dir / "latest"
    manifest = json.loads((latest / "manifest.json").read_text())
    csv_rows = {}
    with duckdb.connect() as con:
        for table in manifest["tables"]:
            columns = [c["name"] for c in table["columns"] if c["name"] not in VOLATILE]
            rows = con.execute(
                f"select {', '.join(chr(34) + c + chr(34) for c in columns)} from read_csv(?, header = true, all_varchar = true)",
                [str(latest / table["files"]["csv"])]).fetchall()
            csv_rows[table["name"]] = sorted((_relative(row, settings.home) for row in rows), key=repr)
    return {"target": os.readlink(latest), "snapshot_date": manifest["snapshot_date"],
            "tables": {t["name"]: t["row_count"] for t in manifest["tables"]}, "csv": csv_rows}


@pytest.fixture(scope="module")
def feed_days():
    return list(iter_feed(3, PAPERS, seed=11, start=START))


@pytest.fixture(scope="module")
def published_home(tmp_path_factory, feed_days) -> Path:
    home = tmp_path_factory.mktemp("faults") / "home"
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(home)})
    for day, entries in feed_days[:2]:
        _write_day(settings, day, entries)
    report = pipeline.run(settings)
    assert report.ok and report.published, report.summary()
    return home


def _home_with_new_day(published_home: Path, target: Path, feed_days) -> Settings:
    shutil.copytree(published_home, target, symlinks=True)
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(target)})
    _write_day(settings, *feed_days[2])
    return settings


@pytest.fixture(scope="module")
def uninterrupted(published_home, tmp_path_factory, feed_days):
    settings = _home_with_new_day(published_home, tmp_path_factory.mktemp("clean") / "home", feed_days)
    done = _cli_run(settings.home)
    assert done.returncode == 0, done.stderr
    return _tables(settings.warehouse_path, settings.home), _export_state(settings)


@pytest.mark.parametrize("step", STEPS)
def test_a_run_killed_at_any_step_is_finished_by_the_next_run(step, published_home, uninterrupted, feed_days, tmp_path):
    settings = _home_with_new_day(published_home, tmp_path / "home", feed_days)
    killed = _cli_run(settings.home, crash_at=step)
    assert killed.returncode == -signal.SIGKILL, f"{step}: the run was not killed there: {killed.stderr}"

    again = _cli_run(settings.home)
    assert again.returncode == 0, f"after a kill at {step}: {again.stderr}"
    assert "Traceback" not in again.stderr
    tables, exports = uninterrupted
    assert _tables(settings.warehouse_path, settings.home) == tables, f"warehouse differs after a kill at {step}"
    assert _export_state(settings) == exports, f"exports differ after a kill at {step}"
    # Nothing half-done is left behind: no staging file, no export working folders.
    assert not settings.staging_warehouse_path.exists()
    assert not [p.name for p in settings.exports_dir.iterdir() if p.name.startswith((".tmp-", ".old-", ".latest-"))]


def test_a_day_with_another_days_bytes_never_fails_dbt_and_goes_in_once_released(published_home, feed_days, tmp_path):
    """The scraper saved an unchanged page under a new date: quarantined as a duplicate, not a dbt
    failure for ever; released, it is published as its own day."""
    from paperhouse.quality import quarantine

    shutil.copytree(published_home, tmp_path / "home", symlinks=True)
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path / "home")})
    first_day = feed_days[0][0]
    copy_day = feed_days[2][0]
    shutil.copyfile(settings.feed_dir / f"{first_day}.txt", settings.feed_dir / f"{copy_day}.txt")

    report = pipeline.run(settings)
    (rejected,) = report.ingest.by_status("rejected")
    assert f"duplicate of {first_day}" in rejected.reason and not report.gate_failures, report.summary()
    assert pipeline.run(settings).gate_failures == []  # the next run is not stuck either

    (record,) = [r for r in quarantine.list_quarantined(settings) if r.stage == "duplicate"]
    quarantine.release(settings, record.snapshot_id, note="the page did not change over the weekend")
    released = pipeline.run(settings)
    assert released.ok and released.published, released.summary()
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        days = [r[0] for r in con.execute("select snapshot_date from dim_snapshots order by 1").fetchall()]
    assert days == [feed_days[0][0], feed_days[1][0], copy_day]
