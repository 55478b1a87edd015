"""warehouse.py without dbt: the staging copy, publishing, read-only access."""
from __future__ import annotations

import os

import duckdb
import pytest

from paperhouse import warehouse
from paperhouse.errors import BuildFailed, PaperhouseError


def make_warehouse(path, label: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create or replace table marker as select ? as label", [label])


def label_of(path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select label from marker").fetchone()[0]


def test_staging_starts_as_a_copy_of_published_and_drops_leftovers(wh_settings):
    make_warehouse(wh_settings.warehouse_path, "published")
    make_warehouse(wh_settings.staging_warehouse_path, "leftover of a killed run")
    leftover_wal = wh_settings.staging_warehouse_path.with_name("staging.duckdb.wal")
    leftover_wal.write_bytes(b"half a transaction")

    staging = warehouse._prepare_staging(wh_settings, full_refresh=False)

    assert staging == wh_settings.staging_warehouse_path
    assert staging.read_bytes() == wh_settings.warehouse_path.read_bytes()
    assert not leftover_wal.exists()
    assert label_of(staging) == "published"


def test_full_refresh_and_first_build_start_from_no_staging_file(wh_settings):
    make_warehouse(wh_settings.staging_warehouse_path, "leftover")
    assert not warehouse._prepare_staging(wh_settings, full_refresh=False).exists()  # nothing published yet

    make_warehouse(wh_settings.warehouse_path, "published")
    assert not warehouse._prepare_staging(wh_settings, full_refresh=True).exists()
    assert label_of(wh_settings.warehouse_path) == "published"


def test_publish_renames_staging_onto_published(wh_settings):
    make_warehouse(wh_settings.warehouse_path, "old")
    make_warehouse(wh_settings.staging_warehouse_path, "new")
    staged_inode = os.stat(wh_settings.staging_warehouse_path).st_ino

    # A reader that opened the old file keeps reading it whole: the file is replaced, never rewritten.
    reader = duckdb.connect(str(wh_settings.warehouse_path), read_only=True)
    try:
        published = warehouse.publish_staging(wh_settings)
        assert reader.execute("select label from marker").fetchone()[0] == "old"
    finally:
        reader.close()

    assert published == wh_settings.warehouse_path
    assert os.stat(published).st_ino == staged_inode
    assert not wh_settings.staging_warehouse_path.exists()
    assert label_of(published) == "new"


def test_publish_without_staging_names_the_file(wh_settings):
    with pytest.raises(PaperhouseError, match="staging.duckdb: no staging warehouse"):
        warehouse.publish_staging(wh_settings)


def test_publish_refuses_a_staging_file_with_a_pending_wal(wh_settings):
    make_warehouse(wh_settings.warehouse_path, "old")
    make_warehouse(wh_settings.staging_warehouse_path, "new")
    wh_settings.staging_warehouse_path.with_name("staging.duckdb.wal").write_bytes(b"pending")

    with pytest.raises(PaperhouseError, match="write-ahead log"):
        warehouse.publish_staging(wh_settings)
    assert label_of(wh_settings.warehouse_path) == "old"


def test_query_reads_the_published_warehouse(wh_settings):
    make_warehouse(wh_settings.warehouse_path, "published")
    make_warehouse(wh_settings.staging_warehouse_path, "staged")

    columns, rows = warehouse.query(wh_settings, "select label, 40 + 2 as answer from marker")

    assert columns == ["label", "answer"]
    assert rows == [("published", 42)]
    assert warehouse.query(wh_settings, "select label from marker", path=wh_settings.staging_warehouse_path)[1] == [("staged",)]


def test_query_cannot_write(wh_settings):
    make_warehouse(wh_settings.warehouse_path, "published")
    with pytest.raises(PaperhouseError, match="paperhouse.duckdb: .*read-only"):
        warehouse.query(wh_settings, "create table intruder (x int)")
    assert warehouse.query(wh_settings, "select count(*) from information_schema.tables where table_name = 'intruder'")[1] == [(0,)]


def test_query_before_anything_is_published_is_one_clear_line(wh_settings):
    with pytest.raises(PaperhouseError) as err:
        warehouse.query(wh_settings, "select 1")
    assert str(err.value) == f"{wh_settings.warehouse_path}: no warehouse here yet (build and publish one first)"


def test_query_reports_bad_sql_with_the_file(wh_settings):
    make_warehouse(wh_settings.warehouse_path, "published")
    with pytest.raises(PaperhouseError, match=r"paperhouse.duckdb: .*no_such_table"):
        warehouse.query(wh_settings, "select * from no_such_table")


def test_build_on_an_empty_lake_fails_before_running_dbt(wh_settings):
    with pytest.raises(BuildFailed, match="no committed snapshots in the lake"):
        warehouse.build_staging(wh_settings)
    assert not wh_settings.staging_warehouse_path.exists()


def test_dbt_target_dir_is_under_the_data_root(wh_settings):
    target = warehouse.dbt_target_dir(wh_settings)
    assert target.is_relative_to(wh_settings.home)
    assert not target.is_relative_to(warehouse.DBT_PROJECT_DIR)
