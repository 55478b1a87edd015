"""Hostile inputs and interruptions end in a named state the next run can work from (issue 14).

Each test writes its own hostile input. None runs dbt: builds and gates are replaced where a test
is about what happens around them (tests/test_faults.py runs the real thing end to end).
"""
from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from conftest import SAMPLE_ENTRIES, api_json, page_text
from paperhouse import export, lake, pipeline, warehouse
from paperhouse.cli import main
from paperhouse.errors import BuildFailed, PaperhouseError
from paperhouse.ingest import DUPLICATE_CHECK, dated_snapshot_id, ingest_paths
from paperhouse.landing import sha256_hex
from paperhouse.locking import writer_lock
from paperhouse.quality import quarantine
from paperhouse.settings import Settings

DAY = dt.date(2026, 8, 10)
HOSTILE_TITLES = ["Tokens [/INST] and friends", "[bold red]Not red[/bold red]", "\x1b[31mRed\x1b[0m \x1b]0;pwned\x07ok",
                  "=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]


def _write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def _cli(settings: Settings, *args: str):
    return CliRunner().invoke(main, list(args), env={"PAPERHOUSE_HOME": str(settings.home)})


def _one_line_error(result) -> str:
    assert isinstance(result.exception, SystemExit) or result.exception is None, result.exception
    assert "Traceback" not in result.output
    return result.output


# ---- 1. the same bytes under a second date -------------------------------------------------------

def test_same_bytes_under_a_second_date_are_quarantined_as_a_duplicate_and_released_as_their_own_day(settings, tmp_path):
    feed = tmp_path / "feed"
    _write(feed, "2026-08-10.txt", page_text())
    assert ingest_paths(settings, [feed]).outcomes[0].status == "accepted"
    _write(feed, "2026-08-11.txt", page_text())  # a scraper saved the unchanged page again

    report = ingest_paths(settings, [feed])
    (dup,) = report.by_status("rejected")
    assert dup.snapshot_date == dt.date(2026, 8, 11) and "duplicate of 2026-08-10" in dup.reason
    assert lake.snapshot_for_date(settings.lake_dir, dt.date(2026, 8, 11)) is None  # never reaches dbt
    (record,) = [r for r in quarantine.list_quarantined(settings) if r.stage == "duplicate"]
    assert record.failed_checks == [DUPLICATE_CHECK] and record.snapshot_date == "2026-08-11"

    quarantine.release(settings, record.snapshot_id, note="a quiet weekend: the same page both days")
    again = pipeline.ingest(settings, [feed])
    assert [o.status for o in again.outcomes] == ["accepted", "unchanged", "unchanged"]
    row = lake.snapshot_for_date(settings.lake_dir, dt.date(2026, 8, 11))
    content_id = sha256_hex(page_text().encode())
    assert row["snapshot_id"] == dated_snapshot_id(content_id, dt.date(2026, 8, 11)) != content_id
    ids = lake.committed_snapshot_ids(settings.lake_dir)
    assert len(set(ids.values())) == len(ids) == 2  # unique in the warehouse, as dbt's tests require
    assert ingest_paths(settings, [feed]).ok  # the feed copy is the released day, not a new duplicate


def test_a_failed_dbt_build_quarantines_its_days_and_takes_them_out_of_the_lake(settings, tmp_path, monkeypatch):
    path = _write(tmp_path / "feed", "2026-08-10.txt", page_text())
    ingest_paths(settings, [path])
    failing = "test.paperhouse.unique_int_snapshots_snapshot_id.abc"

    def failing_build(*args, **kwargs):
        raise BuildFailed(f"dbt build failed: {failing}: Got 1 result", failed_nodes=[failing])

    monkeypatch.setattr(pipeline, "gate_raw", lambda settings, days, **options: [])
    monkeypatch.setattr(warehouse, "build_staging", failing_build)
    report = pipeline.audit_build_publish(settings, pipeline.RunReport(), [DAY])
    assert not report.ok and "dbt build" in report.gate_failures[0]
    assert lake.snapshot_for_date(settings.lake_dir, DAY) is None
    (record,) = quarantine.list_quarantined(settings)
    assert record.stage == "build" and record.failed_checks == [failing] and failing in record.reason
    assert quarantine.release(settings, record.snapshot_id).released  # the release path is open
    # The next run starts clean: nothing unpublished is left to fail the build again.
    assert pipeline.unpublished_dates(settings) == []


# ---- 2. API values of the wrong type or out of range -----------------------------------------------

def test_api_values_of_the_wrong_type_are_rejected_in_one_line_and_good_files_still_go_in(settings, tmp_path):
    feed = tmp_path / "feed"
    _write(feed, "2026-08-01.json", api_json(upvotes=3_000_000_000))
    _write(feed, "2026-08-02.json", api_json(githubRepo=12345))
    _write(feed, "2026-08-03.json", api_json(ai_summary={"text": "an object"}))
    _write(feed, "2026-08-04.json", "[" * 200_000 + "]" * 200_000)
    _write(feed, "2026-08-05.json", api_json(projectPage=["a", "list"]))
    _write(feed, "2026-08-06.json", api_json())

    report = ingest_paths(settings, [feed])
    reasons = {o.snapshot_date.day: o.reason for o in report.by_status("rejected")}
    assert set(reasons) == {1, 2, 3, 4, 5}
    assert "upvotes is out of range" in reasons[1]
    assert "githubRepo must be a string, got int" in reasons[2]
    assert "ai_summary must be a string, got dict" in reasons[3]
    assert "nested too deeply" in reasons[4]
    assert "projectPage must be a string" in reasons[5]
    assert all("\n" not in r and len(r) < 300 for r in reasons.values())
    assert [o.snapshot_date for o in report.by_status("accepted")] == [dt.date(2026, 8, 6)]
    assert len(list(settings.quarantine_dir.glob("*.why.json"))) == 5

    result = _cli(settings, "ingest", str(feed))  # and the same through the CLI: no traceback, exit 1
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.count("rejected: ") == 5


# ---- 3. exports follow the published build ---------------------------------------------------------

def _tiny_warehouse(path: Path, titles: list[str], day: dt.date = DAY) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE dim_snapshots (snapshot_id VARCHAR, snapshot_date DATE)")
        con.execute("INSERT INTO dim_snapshots VALUES ('s1', ?)", [day])
        con.execute("CREATE TABLE dim_papers (paper_id VARCHAR, title VARCHAR, authors VARCHAR[], upvotes INTEGER)")
        for i, title in enumerate(titles):
            con.execute("INSERT INTO dim_papers VALUES (?, ?, ?, ?)", [f"p{i}", title, [title], -i])


def test_a_run_re_exports_when_latest_is_not_the_published_build(settings, monkeypatch, tmp_path):
    monkeypatch.setattr(export, "_dbt_manifest_path", lambda s: tmp_path / "no_manifest.json")
    settings.feed_dir.mkdir(parents=True)
    _tiny_warehouse(settings.warehouse_path, ["first build"])
    first = pipeline.export(settings)
    # A later build was published, then the run was killed before it exported, mid-export.
    _tiny_warehouse(settings.warehouse_path, ["first build", "second build"])
    (settings.exports_dir / ".tmp-killed").mkdir()
    (settings.exports_dir / ".tmp-killed" / "dim_papers.csv").write_text("half")

    report = pipeline.run(settings)
    assert report.exported is not None
    manifest = json.loads((export.latest_export(settings) / "manifest.json").read_text())
    assert manifest["build_id"] == warehouse.file_digest(settings.warehouse_path)
    assert {t["name"]: t["row_count"] for t in manifest["tables"]}["dim_papers"] == 2
    assert not (settings.exports_dir / ".tmp-killed").exists()
    assert first.is_dir()
    # Up to date now: the next run leaves the exports alone.
    assert pipeline.run(settings).exported is None


# ---- 4. a released day whose file is still in the feed -------------------------------------------------

def test_a_released_day_is_not_stopped_again_by_its_copy_in_the_feed(settings):
    _write(settings.feed_dir, f"{DAY}.txt", page_text(SAMPLE_ENTRIES[:2]))
    pipeline.ingest(settings, [settings.feed_dir])
    pipeline.reject_day(settings, DAY, "raw_gate", "entry_count_low: 2 entries", ["entry_count_low"], None)
    assert lake.snapshot_for_date(settings.lake_dir, DAY) is None
    (record,) = quarantine.list_quarantined(settings)
    quarantine.release(settings, record.snapshot_id, note="a short day")

    report = pipeline.ingest(settings, [settings.feed_dir])  # the file is still in the feed directory
    row = lake.snapshot_for_date(settings.lake_dir, DAY)
    assert row["waived_checks"] == ["entry_count_low"], "the day went in without its waiver"
    assert sorted(o.status for o in report.outcomes) == ["accepted", "unchanged"]


# ---- 5. publish only what the marts gate audited ---------------------------------------------------------

def test_publish_refuses_a_staging_file_the_marts_gate_did_not_pass(settings):
    _tiny_warehouse(settings.warehouse_path, ["published"])
    published_before = warehouse.file_digest(settings.warehouse_path)
    _tiny_warehouse(settings.staging_warehouse_path, ["never audited"])
    with pytest.raises(PaperhouseError, match="not the build the marts gate passed"):
        pipeline.publish(settings)

    warehouse.record_audit(settings, warehouse.file_digest(settings.staging_warehouse_path))
    _tiny_warehouse(settings.staging_warehouse_path, ["rebuilt after the audit", "with a rejected day"])
    with pytest.raises(PaperhouseError, match="not the build the marts gate passed"):
        pipeline.publish(settings)
    assert warehouse.file_digest(settings.warehouse_path) == published_before

    audited = warehouse.file_digest(settings.staging_warehouse_path)
    warehouse.record_audit(settings, audited)
    pipeline.publish(settings)
    assert warehouse.file_digest(settings.warehouse_path) == audited


# ---- 6. nothing in a feed directory is passed over in silence ------------------------------------------------

def test_odd_names_in_the_feed_directory_are_reported(settings, tmp_path):
    feed = tmp_path / "feed"
    _write(feed, "2026-08-10.txt", page_text())
    _write(feed, "2026-13-45.txt", page_text(day_line="Aug 13"))
    _write(feed, "2026-9-12.txt", page_text(day_line="Sep 12"))
    os.symlink(feed / "gone.txt", feed / "2026-08-11.txt")
    (feed / "2026-08-12.txt").mkdir()
    _write(feed, "notes.md", "not a snapshot")

    report = ingest_paths(settings, [feed])
    rejected = {Path(o.path).name: o.reason for o in report.by_status("rejected")}
    assert set(rejected) == {"2026-13-45.txt", "2026-9-12.txt", "2026-08-11.txt", "2026-08-12.txt"}
    assert "not a snapshot name" in rejected["2026-13-45.txt"] and "not a snapshot name" in rejected["2026-9-12.txt"]
    assert "dangling symlink" in rejected["2026-08-11.txt"]
    assert "a directory" in rejected["2026-08-12.txt"]
    assert len(report.warnings) == 1 and "notes.md" in report.warnings[0]
    assert [o.snapshot_date for o in report.by_status("accepted")] == [DAY]

    result = _cli(settings, "ingest", str(feed))
    assert result.exit_code == 1
    assert result.output.count("rejected: ") == 4 and "warning: " in result.output


# ---- 7. hostile text on the terminal and in CSV ----------------------------------------------------------------

def test_hostile_titles_are_shown_as_text_and_exported_without_formulas(settings, monkeypatch, tmp_path):
    _tiny_warehouse(settings.warehouse_path, HOSTILE_TITLES)

    table = _cli(settings, "query", "select title from dim_papers order by paper_id")
    assert table.exit_code == 0, table.output
    assert "[/INST]" in table.output and "[bold red]Not red[/bold red]" in table.output  # not markup
    assert "\x1b" not in table.output and "\x07" not in table.output and "Red ok" in table.output

    csv_out = _cli(settings, "query", "select title from dim_papers order by paper_id", "--format", "csv")
    cells = [row[0] for row in csv.reader(io.StringIO(csv_out.output))][1:]
    assert "\x1b" not in csv_out.output
    assert cells[3] == "'=HYPERLINK(\"http://x\",\"y\")" and cells[4].startswith("'+cmd")
    assert cells[5] == "'-2+3" and cells[6] == "'@SUM(A1)" and cells[1] == "[bold red]Not red[/bold red]"

    monkeypatch.setattr(export, "_dbt_manifest_path", lambda s: tmp_path / "no_manifest.json")
    out = export.export_warehouse(settings)
    with duckdb.connect() as con:
        titles = [r[0] for r in con.execute(f"select title from read_csv('{out / 'dim_papers.csv'}', "
                                            f"{export.CSV_READ_OPTIONS}) order by paper_id").fetchall()]
    assert titles[2] == "Red ok" and not any(t.startswith(("=", "+", "-", "@")) for t in titles)
    assert "'=HYPERLINK" in titles[3]
    assert pq.read_table(out / "dim_papers.parquet").column("title").to_pylist() == HOSTILE_TITLES  # data as is

    _write(tmp_path, "x.txt", "x")
    from paperhouse.landing import quarantine as keep
    keep(settings, b"x", ".txt", {"stage": "raw_gate", "snapshot_date": DAY,
                                  "reason": "title_like_abstract: e.g. 'Tokens [/INST] \x1b[2J[bold red]x'"})
    listing = _cli(settings, "quarantine", "list")
    assert listing.exit_code == 0, listing.output
    assert "\x1b" not in listing.output and "[/INST]" in listing.output

    runs = settings.quality_dir / "runs"
    runs.mkdir(parents=True)
    (runs / f"20260810T000000_raw_{DAY}.json").write_text(json.dumps({
        "started_at": "2026-08-10T00:00:00", "stage": "raw", "subject": str(DAY), "ok": False, "duration_s": 1.0,
        "checks": [{"name": "title_like_abstract", "ok": False, "waived": False,
                    "detail": "1 of 4 rows, e.g. 'Tokens [/INST] \x1b[2J[bold red]x'"}]}))
    quality = _cli(settings, "quality")
    assert quality.exit_code == 0, quality.output
    assert "[/INST]" in quality.output and "\x1b" not in quality.output


# ---- 9. disk full and broken Great Expectations stores ------------------------------------------------------

def test_a_full_disk_is_one_line_and_leaves_the_lake_as_it_was(settings, tmp_path, monkeypatch):
    _write(settings.feed_dir, f"{DAY}.txt", page_text())

    def no_space(table, where, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(where))

    monkeypatch.setattr(lake.pq, "write_table", no_space)
    result = _cli(settings, "ingest")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "No space left on device" in lines[0] and "Traceback" not in result.output
    assert lake.partition_dates(settings.lake_dir) == []
    assert not [p for p in settings.lake_dir.rglob("*") if p.is_file()]  # no half-written partition


@pytest.mark.slow
def test_empty_great_expectations_store_files_are_rebuilt_from_code(settings):
    from paperhouse.quality.results import gx_context

    gx_context(settings)
    gx_dir = settings.quality_dir / "gx"
    (gx_dir / "great_expectations.yml").write_bytes(b"")
    (gx_dir / "expectations").mkdir(exist_ok=True)
    (gx_dir / "expectations" / "raw_entries.json").write_bytes(b"")
    (gx_dir / "validation_definitions").mkdir(exist_ok=True)
    (gx_dir / "validation_definitions" / "raw_entries.json").write_bytes(b'{"half": ')

    context = gx_context(settings)
    assert "paperhouse" in context.list_data_docs_sites()
    assert (gx_dir / "great_expectations.yml").stat().st_size > 0
    assert not (gx_dir / "expectations" / "raw_entries.json").exists()
    assert not (gx_dir / "validation_definitions" / "raw_entries.json").exists()


@pytest.mark.slow
def test_a_broken_validation_result_written_after_the_last_check_is_removed(settings):
    from paperhouse.quality.results import drop_broken_store_files, gx_context

    gx_context(settings)
    gx_dir = settings.quality_dir / "gx"
    run_dir = gx_dir / "uncommitted" / "validations" / "raw_entries" / "run"
    run_dir.mkdir(parents=True)
    (run_dir / "readable.json").write_text('{"success": true}')
    assert drop_broken_store_files(gx_dir) == []
    (run_dir / "half.json").write_bytes(b'{"success": ')  # a later run's write cut short
    assert drop_broken_store_files(gx_dir) == [run_dir / "half.json"]
    assert (run_dir / "readable.json").exists()


# ---- 10. two runs at once ------------------------------------------------------------------------------------

def test_a_second_writer_says_whom_it_waits_for(settings, caplog):
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from paperhouse.locking import writer_lock
        from paperhouse.settings import Settings
        with writer_lock(Settings.from_env({{"PAPERHOUSE_HOME": {str(settings.home)!r}}})):
            print("held", flush=True)
            time.sleep(60)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with caplog.at_level(logging.WARNING, logger="paperhouse.locking"):
            with pytest.raises(PaperhouseError, match=f"pid {holder.pid} since 20"):
                with writer_lock(settings, timeout_s=1.0):
                    pass
        assert f"waiting for the paperhouse run holding" in caplog.text and f"pid {holder.pid}" in caplog.text
    finally:
        holder.kill()
        holder.wait()
    with writer_lock(settings, timeout_s=5.0):  # released when its holder died
        assert (settings.state_dir / "writer.lock").read_text().startswith(f"pid {os.getpid()} ")


# ---- 11. the analyst's SQL does not reach the host ------------------------------------------------------------

def test_query_cannot_read_or_write_files_unless_allowed(settings, tmp_path):
    _tiny_warehouse(settings.warehouse_path, ["a title"])
    written = tmp_path / "written.csv"
    secret = _write(tmp_path, "secret.txt", "operator-only")
    for sql in (f"COPY (SELECT 1) TO '{written}'", "SELECT content FROM read_text('/etc/passwd')",
                f"SELECT * FROM read_csv('{secret}')", f"ATTACH '{tmp_path / 'other.duckdb'}' AS other",
                "SET enable_external_access = true"):
        result = _cli(settings, "query", sql)
        assert result.exit_code == 1 and "Traceback" not in result.output, sql
        assert result.output.startswith("error: ") and len(result.output.strip().splitlines()) == 1, result.output
    assert not written.exists() and not (tmp_path / "other.duckdb").exists()

    allowed = _cli(settings, "query", f"SELECT content FROM read_text('{secret}')", "--allow-files", "--format", "json")
    assert allowed.exit_code == 0 and json.loads(allowed.output)["content"] == "operator-only"
