import csv
import dataclasses
import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import duckdb
import pytest
import sqlalchemy

import paperhouse
from paperhouse import export
from paperhouse.errors import PaperhouseError
from paperhouse.export import export_warehouse, latest_export, prune_exports
from paperhouse.settings import Settings

MARTS = ("agg_daily_feed", "bridge_paper_authors", "dim_papers", "dim_snapshots", "fct_claims")


@pytest.fixture
def settings(tmp_path, monkeypatch):
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path / "home")})
    settings.warehouse_dir.mkdir(parents=True)
    # No dbt target unless a test writes one.
    monkeypatch.setattr(export, "_dbt_manifest_path", lambda s: tmp_path / "dbt_target" / "manifest.json")
    return settings


def build_warehouse(path: Path, days: list[dt.date], papers: int = 3) -> None:
    """A small warehouse with the architecture's mart columns, plus tables that are not marts."""
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    con.execute("""CREATE TABLE dim_snapshots (snapshot_id VARCHAR, snapshot_date DATE, source VARCHAR,
        format VARCHAR, layout VARCHAR, in_page_date VARCHAR, byte_size BIGINT, entry_count INTEGER,
        ingested_at TIMESTAMPTZ, parser_version VARCHAR, extractor_version VARCHAR)""")
    for i, day in enumerate(days):
        con.execute("INSERT INTO dim_snapshots VALUES (?, ?, 'feed/x.txt', 'page', 'blank_separated', NULL, 100, ?, "
                    "TIMESTAMPTZ '2025-01-01 10:00:00+00', 'p1', 'e1')", [f"snap{i}", day, papers])
    con.execute("""CREATE TABLE dim_papers (paper_id VARCHAR, arxiv_id VARCHAR, title VARCHAR, title_key VARCHAR,
        abstract VARCHAR, first_seen_date DATE, last_seen_date DATE, days_on_feed INTEGER, latest_upvotes INTEGER,
        has_code BOOLEAN, repo_count INTEGER, claim_count INTEGER)""")
    for i in range(papers):
        # Commas, quotes and a line break: the CSV must quote them and still hold one row per paper.
        abstract = f'Paper {i} says "hello, world"\nand improves accuracy by {i}.5%.'
        con.execute("INSERT INTO dim_papers VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 0, 1)",
                    [f"arxiv:2501.{i:05d}", f"2501.{i:05d}", f"Title {i}", f"title {i}", abstract,
                     days[0], days[-1], i, i % 2 == 0])
    con.execute("""CREATE TABLE fct_claims AS SELECT 'c' || i AS claim_id, 'arxiv:2501.0000' || (i % 3) AS paper_id,
        'snap0' AS snapshot_id, DATE '2025-01-01' AS snapshot_date, i AS position, 10 * i AS char_offset,
        i + 0.5 AS value, NULL::DOUBLE AS value_max, 'percent' AS unit, 'gain' AS kind, NULL::VARCHAR AS qualifier,
        'accuracy' AS metric, 'by ' || i || '.5%' AS text, 'e1' AS extractor_version FROM range(7) t(i)""")
    con.execute("CREATE TABLE bridge_paper_authors (paper_id VARCHAR, author_id VARCHAR, author_position INTEGER)")
    con.execute("""CREATE TABLE agg_daily_feed AS SELECT snapshot_date, entry_count AS papers, 0 AS new_papers,
        ['a', 'b'] AS top_claim_ids FROM dim_snapshots""")
    con.execute("CREATE TABLE int_paper_keys (title_key VARCHAR, arxiv_id VARCHAR)")
    con.execute("CREATE VIEW stg_entries AS SELECT 1 AS x")
    con.execute("CREATE VIEW dim_not_a_table AS SELECT 1 AS x")
    con.close()


def warehouse_rows(path: Path, table: str) -> tuple[int, list[str]]:
    with duckdb.connect(str(path), read_only=True) as con:
        count = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        columns = [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]
    return count, columns


def snapshot_tree(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_mart_is_exported_as_parquet_and_csv(settings):
    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 1), dt.date(2025, 1, 2)])

    out = export_warehouse(settings, run_id="run-1")

    assert out == settings.exports_dir / "2025-01-02"
    assert latest_export(settings) == out
    assert os.readlink(settings.exports_dir / "latest") == "2025-01-02"
    expected_files = {f"{t}.{ext}" for t in MARTS for ext in ("parquet", "csv")} | {"paperhouse.duckdb", "manifest.json", "report.html"}
    assert {p.name for p in out.iterdir()} == expected_files
    for table in MARTS:
        count, columns = warehouse_rows(settings.warehouse_path, table)
        with duckdb.connect() as con:
            parquet = con.execute(f"SELECT * FROM read_parquet('{out / (table + '.parquet')}')")
            assert [d[0] for d in parquet.description] == columns
            assert len(parquet.fetchall()) == count
        with open(out / f"{table}.csv", newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == columns
        assert len(rows) - 1 == count
    with open(out / "dim_papers.csv", newline="", encoding="utf-8") as handle:
        abstracts = [row["abstract"] for row in csv.DictReader(handle)]
    assert 'Paper 0 says "hello, world"\nand improves accuracy by 0.5%.' in abstracts


def test_manifest_lists_tables_checksums_and_run(settings, tmp_path):
    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 3), dt.date(2025, 1, 1), dt.date(2025, 1, 2)])
    dbt_manifest = tmp_path / "dbt_target" / "manifest.json"
    dbt_manifest.parent.mkdir()
    dbt_manifest.write_text(json.dumps({"nodes": {
        "model.paperhouse.dim_papers": {"resource_type": "model", "name": "dim_papers", "alias": "dim_papers",
                                        "description": "One row per paper.",
                                        "columns": {"paper_id": {"name": "paper_id", "description": "Paper key."}}},
        "test.paperhouse.not_null_dim_papers_paper_id": {"resource_type": "test", "name": "dim_papers",
                                                         "description": "a test, not a table"},
    }}))

    out = export_warehouse(settings, run_id="scheduled__2025-01-03")
    manifest = json.loads((out / "manifest.json").read_text())

    assert manifest["snapshot_date"] == "2025-01-03"
    assert manifest["snapshot_range"] == {"min": "2025-01-01", "max": "2025-01-03"}
    assert manifest["run"]["run_id"] == "scheduled__2025-01-03"
    assert manifest["run"]["paperhouse_version"] == paperhouse.__version__
    assert dt.datetime.fromisoformat(manifest["run"]["produced_at"]).tzinfo is not None
    assert set(manifest["files"]) == {p.name for p in out.iterdir()} - {"manifest.json"}
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == sha256(out / name)
        assert entry["bytes"] == (out / name).stat().st_size

    tables = {t["name"]: t for t in manifest["tables"]}
    assert sorted(tables) == sorted(MARTS)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        for name, table in tables.items():
            described = con.execute(f"DESCRIBE {name}").fetchall()
            assert [(c["name"], c["type"]) for c in table["columns"]] == [(row[0], row[1]) for row in described]
            assert table["row_count"] == con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            assert table["files"] == {"parquet": f"{name}.parquet", "csv": f"{name}.csv"}
    papers = tables["dim_papers"]
    assert papers["description"] == "One row per paper."
    column_docs = {c["name"]: c["description"] for c in papers["columns"]}
    assert column_docs["paper_id"] == "Paper key."
    assert column_docs["abstract"] == ""
    assert tables["fct_claims"]["description"] == ""


def test_without_dbt_manifest_descriptions_are_empty(settings):
    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 1)])

    manifest = json.loads((export_warehouse(settings) / "manifest.json").read_text())

    assert manifest["run"]["run_id"] is None
    assert all(t["description"] == "" for t in manifest["tables"])
    assert all(c["description"] == "" for t in manifest["tables"] for c in t["columns"])


def test_warehouse_copy_is_read_only_and_answers_through_sqlalchemy(settings):
    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 1)], papers=5)

    copy = export_warehouse(settings) / "paperhouse.duckdb"

    assert sha256(copy) == sha256(settings.warehouse_path)
    assert copy.stat().st_mode & 0o222 == 0
    engine = sqlalchemy.create_engine(f"duckdb:///{copy}", connect_args={"read_only": True})
    try:
        with engine.connect() as conn:
            papers_with_code = conn.execute(sqlalchemy.text("SELECT count(*) FROM dim_papers WHERE has_code")).scalar_one()
            with pytest.raises(sqlalchemy.exc.DBAPIError):
                conn.execute(sqlalchemy.text("DELETE FROM dim_papers"))
    finally:
        engine.dispose()
    assert papers_with_code == 3  # papers 0, 2 and 4


class FailingConnection:
    """Wraps a DuckDB connection and fails the statement that mentions `needle`."""

    def __init__(self, con, needle: str):
        self._con = con
        self._needle = needle

    def execute(self, sql, *args):
        if self._needle in sql:
            raise duckdb.IOException(f"simulated failure writing {self._needle}")
        return self._con.execute(sql, *args)

    def close(self):
        self._con.close()


@pytest.mark.parametrize("next_days", [
    [dt.date(2025, 1, 1), dt.date(2025, 1, 2)],   # a new date
    [dt.date(2025, 1, 1)],                        # the same date as the export in place
], ids=["new-date", "same-date"])
def test_failed_export_leaves_latest_untouched(settings, monkeypatch, next_days):
    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 1)])
    first = export_warehouse(settings, run_id="good")
    before_listing = sorted(p.name for p in settings.exports_dir.iterdir())
    before_files = snapshot_tree(first)
    before_link = os.readlink(settings.exports_dir / "latest")

    build_warehouse(settings.warehouse_path, next_days, papers=4)
    real_connect = duckdb.connect
    monkeypatch.setattr(export.duckdb, "connect",
                        lambda *a, **kw: FailingConnection(real_connect(*a, **kw), "fct_claims.csv"))
    with pytest.raises(duckdb.IOException, match="fct_claims.csv"):
        export_warehouse(settings, run_id="bad")

    assert sorted(p.name for p in settings.exports_dir.iterdir()) == before_listing
    assert os.readlink(settings.exports_dir / "latest") == before_link
    assert latest_export(settings) == first
    assert snapshot_tree(first) == before_files


def test_an_export_held_for_approval_appears_only_once_approved(settings, tmp_path):
    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 1)])
    first = export_warehouse(settings, run_id="published")
    staged = tmp_path / "staged.duckdb"  # a build not published yet
    build_warehouse(staged, [dt.date(2025, 1, 1), dt.date(2025, 1, 2)], papers=4)
    seen = []

    def approve():  # by then every file is written and verified, and nothing is visible yet
        seen.append((latest_export(settings), sorted(p.name for p in settings.exports_dir.iterdir())))

    final = export_warehouse(settings, run_id="staged", warehouse_path=staged, approve=approve)
    (latest_then, listing_then), = seen
    assert latest_then == first and "2025-01-02" not in listing_then
    assert any(name.startswith(".tmp-") for name in listing_then)
    assert latest_export(settings) == final and final.name == "2025-01-02"
    manifest = json.loads((final / "manifest.json").read_text())
    assert manifest["build_id"] == sha256(staged) and manifest["run"]["run_id"] == "staged"
    assert warehouse_rows(final / "paperhouse.duckdb", "dim_papers")[0] == 4


def test_an_export_refused_at_approval_leaves_nothing(settings, tmp_path):
    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 1)])
    first = export_warehouse(settings, run_id="published")
    listing = sorted(p.name for p in settings.exports_dir.iterdir())
    staged = tmp_path / "staged.duckdb"
    build_warehouse(staged, [dt.date(2025, 1, 1), dt.date(2025, 1, 2)], papers=4)

    def refuse():
        raise PaperhouseError("the audit stopped this build")

    with pytest.raises(PaperhouseError, match="audit stopped"):
        export_warehouse(settings, run_id="staged", warehouse_path=staged, approve=refuse)
    assert sorted(p.name for p in settings.exports_dir.iterdir()) == listing
    assert latest_export(settings) == first


class CuttingConnection(FailingConnection):
    """Wraps a DuckDB connection and cuts the file named `needle` short right after COPY writes it."""

    def __init__(self, con, needle: str, cut):
        super().__init__(con, needle)
        self._cut = cut

    def execute(self, sql, *args):
        result = self._con.execute(sql, *args)
        if sql.startswith("COPY") and self._needle in sql:
            path = Path(sql.split(" TO '")[1].split("'")[0])
            data = path.read_bytes()
            path.write_bytes(data[: self._cut(data)])
        return result


def _last_record_start(data: bytes) -> int:
    return data.rindex(b"\narxiv:") + 1


def _inside_quoted_line_break(data: bytes) -> int:
    return data.rindex(b'world""\n') + len(b'world""\n')  # mid-abstract, right after its line break


@pytest.mark.parametrize("needle, cut", [
    ("dim_papers.parquet", lambda data: len(data) - 100),   # no footer left
    ("dim_papers.csv", _last_record_start),                 # one record short, still ends in a line break
    ("dim_papers.csv", _inside_quoted_line_break),          # ends in a line break inside a quoted cell
    ("dim_papers.csv", lambda data: len(data) - 3),         # the last record cut mid-line
], ids=["parquet-footer", "csv-last-record", "csv-in-quotes", "csv-mid-line"])
def test_a_file_cut_short_fails_the_export_and_leaves_latest(settings, monkeypatch, needle, cut):
    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 1)])
    first = export_warehouse(settings, run_id="good")
    before_files = snapshot_tree(first)

    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 1), dt.date(2025, 1, 2)], papers=4)
    real_connect = duckdb.connect
    monkeypatch.setattr(export.duckdb, "connect",
                        lambda *a, **kw: CuttingConnection(real_connect(*a, **kw), needle, cut))
    with pytest.raises(PaperhouseError, match=needle):
        export_warehouse(settings, run_id="bad")

    assert latest_export(settings) == first
    assert snapshot_tree(first) == before_files
    assert sorted(p.name for p in settings.exports_dir.iterdir()) == [".lock", "2025-01-01", "latest"]


def test_csv_records_are_counted_across_read_chunks(settings, monkeypatch):
    """A chunk boundary may fall inside a quoted cell or between a doubled quote's two halves."""
    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 1), dt.date(2025, 1, 2)], papers=9)
    out = export_warehouse(settings)
    for chunk in (1, 2, 3, 7, 64):
        monkeypatch.setattr(export, "READ_CHUNK", chunk)
        for path in sorted(out.glob("*.csv")):
            with open(path, newline="", encoding="utf-8") as handle:
                rows = list(csv.reader(handle))
            assert export._csv_shape(path) == (len(rows) - 1, rows[0]), (path.name, chunk)


def test_csv_cells_made_safe_in_sql_are_those_of_csv_safe():
    from paperhouse.safe_text import csv_safe, sql_csv_safe

    values = ["plain", "=1+2", "+cmd", "-2", "@SUM(A1)", "\tx", "\t=x", "\r-x", "\x1b[31m=Red\x1b[0m",
              "a\x1b]0;title\x07b", "\x9b31mx", "caf\u00e9\x85", "", None, "a\nb", "'=x", "\x00-1", "ok\x7f", "\n=x"]
    with duckdb.connect() as con:
        made_safe = [row[0] for row in con.execute(
            f"SELECT {sql_csv_safe('v')} FROM unnest(?) WITH ORDINALITY t(v, i) ORDER BY i", [values]).fetchall()]
    assert made_safe == [csv_safe(value) for value in values]


def test_reexport_of_the_same_date_replaces_cleanly(settings):
    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 1)], papers=2)
    first = export_warehouse(settings, run_id="one")
    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 1)], papers=6)

    second = export_warehouse(settings, run_id="two")

    assert second == first
    assert sorted(p.name for p in settings.exports_dir.iterdir()) == [".lock", "2025-01-01", "latest"]
    manifest = json.loads((second / "manifest.json").read_text())
    assert manifest["run"]["run_id"] == "two"
    assert {t["name"]: t["row_count"] for t in manifest["tables"]}["dim_papers"] == 6
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == sha256(second / name)
    assert latest_export(settings) == second


def test_a_newer_date_moves_latest_and_keeps_the_older_export(settings):
    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 1)])
    older = export_warehouse(settings)
    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 1), dt.date(2025, 1, 2)])

    newer = export_warehouse(settings)

    assert newer.name == "2025-01-02" and older.is_dir()
    assert latest_export(settings) == newer


def test_only_the_newest_exports_are_kept(settings):
    settings = dataclasses.replace(settings, export_keep=2)
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=n) for n in range(4)]
    for index in range(len(days)):
        build_warehouse(settings.warehouse_path, days[: index + 1])
        export_warehouse(settings)

    kept = sorted(p.name for p in settings.exports_dir.iterdir() if not p.name.startswith("."))
    assert kept == ["2025-01-03", "2025-01-04", "latest"]
    assert latest_export(settings).name == "2025-01-04"


def test_pruning_never_removes_what_latest_points_to(settings):
    exports = settings.exports_dir
    for name in ("2025-01-01", "2025-01-02", "2025-01-03"):
        (exports / name).mkdir(parents=True)
    os.symlink("2025-01-01", exports / "latest")  # an older re-export moved latest back

    removed = prune_exports(exports, keep=1)

    assert removed == ["2025-01-02"]
    assert sorted(p.name for p in exports.iterdir()) == ["2025-01-01", "2025-01-03", "latest"]
    assert prune_exports(exports, keep=0) == []


def test_leftovers_of_a_crashed_export_are_swept(settings):
    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 1)])
    settings.exports_dir.mkdir(parents=True)
    (settings.exports_dir / ".tmp-crashed").mkdir()
    (settings.exports_dir / ".tmp-crashed" / "dim_papers.csv").write_text("half")
    os.symlink("2024-12-31", settings.exports_dir / ".latest-crashed")

    export_warehouse(settings)

    assert sorted(p.name for p in settings.exports_dir.iterdir()) == [".lock", "2025-01-01", "latest"]


def test_no_export_without_a_published_warehouse(settings):
    assert latest_export(settings) is None
    with pytest.raises(PaperhouseError, match="paperhouse.duckdb"):
        export_warehouse(settings)
    assert latest_export(settings) is None


def test_empty_dim_snapshots_is_refused_and_leaves_nothing(settings):
    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 1)])
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute("DELETE FROM dim_snapshots")

    with pytest.raises(PaperhouseError, match=r"warehouse/paperhouse.duckdb: dim_snapshots is empty"):
        export_warehouse(settings)

    assert sorted(p.name for p in settings.exports_dir.iterdir()) == [".lock"]


def test_descriptions_come_from_the_warehouse_dbt_target(tmp_path, monkeypatch):
    from paperhouse import warehouse

    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path / "home")})
    settings.warehouse_dir.mkdir(parents=True)
    build_warehouse(settings.warehouse_path, [dt.date(2025, 1, 1)])
    target = tmp_path / "target"
    target.mkdir()
    (target / "manifest.json").write_text(json.dumps({"nodes": {"model.paperhouse.fct_claims": {
        "resource_type": "model", "name": "fct_claims", "description": "One row per claim.", "columns": {}}}}))
    monkeypatch.setattr(warehouse, "dbt_target_dir", lambda s: target if s == settings else None)

    manifest = json.loads((export_warehouse(settings) / "manifest.json").read_text())

    assert {t["name"]: t["description"] for t in manifest["tables"]}["fct_claims"] == "One row per claim."


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_export_of_a_pipeline_built_warehouse_matches_its_manifest(tmp_path):
    """The real path: synthetic days in both page layouts and the API's JSON, through ingest, gates,
    dbt and publish; every exported file is then checked against the manifest and the warehouse."""
    from paperhouse import pipeline
    from paperhouse.synth import write_feed

    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path / "home")})
    write_feed(settings.feed_dir, days=3, papers_per_day=12, seed=5, formats="mixed")
    report = pipeline.run(settings)
    assert report.ok and report.exported, report.summary()

    folder = latest_export(settings)
    assert folder == report.exported
    manifest = json.loads((folder / "manifest.json").read_text())
    for name, recorded in manifest["files"].items():
        assert sha256(folder / name) == recorded["sha256"], name
        assert (folder / name).stat().st_size == recorded["bytes"], name

    with duckdb.connect(str(settings.warehouse_path), read_only=True) as published:
        marts = {row[0] for row in published.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
            if row[0].split("_")[0] in ("dim", "fct", "bridge", "agg")}
        assert {table["name"] for table in manifest["tables"]} == marts
        assert manifest["snapshot_range"] == {"min": "2026-01-01", "max": "2026-01-03"}
        for table in manifest["tables"]:
            name = table["name"]
            expected_types = [(c["name"], c["type"]) for c in table["columns"]]
            assert expected_types == [(row[0], row[1]) for row in published.execute(f"DESCRIBE {name}").fetchall()]
            assert table["row_count"] == published.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            assert table["description"], f"{name} has no dbt description in the manifest"
            parquet = str(folder / table["files"]["parquet"])
            # Parquet keeps every type DuckDB wrote (timestamps with time zone included).
            assert [(row[0], row[1]) for row in published.execute(
                "DESCRIBE SELECT * FROM read_parquet(?)", [parquet]).fetchall()] == expected_types
            assert published.execute("SELECT count(*) FROM read_parquet(?)", [parquet]).fetchone()[0] == table["row_count"]
            # The Parquet file holds the same rows as the warehouse table, not just as many.
            assert published.execute(
                f"SELECT count(*) FROM (SELECT * FROM {name} EXCEPT ALL SELECT * FROM read_parquet(?))",
                [parquet]).fetchone()[0] == 0
            with open(folder / table["files"]["csv"], newline="", encoding="utf-8") as handle:
                rows = list(csv.reader(handle))
            assert rows[0] == [c["name"] for c in table["columns"]]
            assert len(rows) - 1 == table["row_count"]
        assert manifest["tables"] and any(t["row_count"] > 0 for t in manifest["tables"] if t["name"] == "fct_claims")
